import '../domain/grants';
import { generateMonthlyReport, getMonthlyReport } from '../domain/reports';
import { httpWrite } from '../domain/idempotency';
import { http } from '../lib/http';

/** POST /v1/reports/monthly {requestId, scope?, month, regenerate?}: 201, the snapshot's version. */
export const generate = httpWrite(
  201,
  async (req, ticket) => generateMonthlyReport(await req.session(), req.body, new Date(), ticket),
  { keepRequestId: true },
);

/** GET /v1/reports/monthly?scope=&month=: the stored report with links to its PDF and its Word file. */
export const get = http(async (req) => ({ body: await getMonthlyReport(await req.session(), req.query) }));
