import type { MonthlyReport } from '@mashang/shared';
import * as z from 'zod/mini';
import { getReport, type ReportRecord } from '../data/reports';
import { downloadUrl, headObject, putObject } from '../gateways/storage';
import { AppError } from '../lib/errors';
import { logger } from '../lib/logger';
import type { Session } from '../lib/session';
import { parseWith } from '../lib/validate';
import { readableScope } from './case-views';
import { monthField, REPORT_ROLES, reportFileName, scopeField } from './report-content';

const LINK_SECONDS = 3600;
const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
/** The Word renderer and docx with it load at the first Word file, not with the bundle (a plain reading never does). */
const renderReportDocx = async (r: ReportRecord) => (await import('./report-docx')).renderReportDocx(r);

const ReportQuery = z.strictObject({ scope: scopeField, month: monthField });

/**
 * The Word file's link. The Word file is rendered from the stored snapshot at the report's first reading (usually the
 * console's, right after generating it), under `docxKey` — or, for a report generated before Word files existed
 * (issue 14, no `docxKey`), under the key its PDF's key implies (`….pdf` → `….docx`) — and found there by a HEAD at
 * later readings. Decision (issue 9): rendering it at generation put both renderers, jspdf and docx, in one bundle,
 * whose cold init reached 1.5× the floor; now the generating function carries jspdf only and the reading function docx
 * only. The snapshot item is not rewritten (reading stays a read of the table); two first readings at once store the
 * same report twice, harmlessly. If that fails, the answer has no Word link (logged), never an error: the report and
 * its PDF stay readable.
 */
async function docxLink(r: ReportRecord): Promise<MonthlyReport['docx']> {
  const link = { filename: reportFileName(r, 'docx'), expiresInSeconds: LINK_SECONDS };
  const key = r.docxKey ?? r.pdfKey.replace(/\.pdf$/, '.docx');
  try {
    if (!(await headObject(key))) await putObject(key, await renderReportDocx(r), DOCX_TYPE);
    return await downloadUrl(key, link);
  } catch (e) {
    logger.warn('Word file of an earlier report not rendered', { key, error: (e as Error).message });
    return undefined;
  }
}

/**
 * GET /v1/reports/monthly?scope=&month=: the stored snapshot with fresh links to its PDF and its Word file; 404 before
 * generation.
 */
export async function getMonthlyReport(session: Session, query: unknown): Promise<MonthlyReport> {
  const q = parseWith(ReportQuery, query);
  const scope = readableScope(session, q.scope, REPORT_ROLES);
  const r = await getReport(scope, q.month);
  if (!r) throw new AppError('NOT_FOUND', '该月报告尚未生成');
  const { pdfKey, docxKey: _docx, generatedBy: _by, ...report } = r;
  const [pdf, docx] = await Promise.all([
    downloadUrl(pdfKey, { filename: reportFileName(r, 'pdf'), expiresInSeconds: LINK_SECONDS }),
    docxLink(r),
  ]);
  return { ...report, pdf, ...(docx ? { docx } : {}) };
}
