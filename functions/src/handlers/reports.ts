import '../domain/grants';
import { generateMonthlyReport, getMonthlyReport } from '../domain/reports';
import { http } from '../lib/http';

/** POST /v1/reports/monthly {requestId, scope?, month, regenerate?}: 201, the snapshot's version. */
export const generate = http(async (req) => ({
  status: 201,
  body: await generateMonthlyReport(await req.session(), req.body, new Date()),
}));

/** GET /v1/reports/monthly?scope=&month=: the stored report with a link to its PDF. */
export const get = http(async (req) => ({ body: await getMonthlyReport(await req.session(), req.query) }));
