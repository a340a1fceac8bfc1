import '../domain/grants';
import { generateMonthlyReport } from '../domain/reports';
import { httpWrite } from '../domain/idempotency';

/*
 * Monthly reports: generating (this file: the PDF, jspdf) and reading (handlers/report-reading.ts: the Word file at
 * the first reading, docx) are two bundles, each with one renderer (issue 9, cold init).
 */

/** POST /v1/reports/monthly {requestId, scope?, month, regenerate?}: 201, the snapshot's version. */
export const generate = httpWrite(
  201,
  async (req, ticket) => generateMonthlyReport(await req.session(), req.body, new Date(), ticket),
  { keepRequestId: true },
);
