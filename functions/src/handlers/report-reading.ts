import '../domain/grants';
import { getMonthlyReport } from '../domain/report-reading';
import { http } from '../lib/http';

/** GET /v1/reports/monthly?scope=&month=: the stored report with links to its PDF and its Word file. */
export const get = http(async (req) => ({ body: await getMonthlyReport(await req.session(), req.query) }));
