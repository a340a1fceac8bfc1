import type { AuditEntry } from '@mashang/shared';
import type { MonthlyReport } from '@mashang/shared';
import { auditPut } from './audit';
import { K } from './keys';
import { requestWrite, type StoredRequest } from './requests';
import { getItem, putIfVersion, putNew, strip, transact } from './table';

/**
 * A stored monthly report: the snapshot as generated, and where its PDF and its Word file are (`docxKey` is missing on
 * reports generated before Word files existed).
 */
export type ReportRecord = Omit<MonthlyReport, 'pdf' | 'docx'> & {
  pdfKey: string;
  docxKey?: string;
  generatedBy: string;
};

export async function getReport(scope: string, month: string): Promise<ReportRecord | undefined> {
  const item = await getItem<Record<string, unknown>>(K.report(scope, month), { consistent: true });
  return item ? strip<ReportRecord>(item) : undefined;
}

/**
 * Store a generated report with its audit entry and the request record, in one transaction: the first version only if
 * none exists, a regeneration only if the stored one is still the version it replaces. 'stale' when that condition
 * failed (another generation won), 'duplicate-request' when the request record was there.
 */
export async function storeReport(
  r: ReportRecord,
  audit: AuditEntry,
  request: StoredRequest,
): Promise<'stored' | 'stale' | 'duplicate-request' | 'conflict'> {
  const item = { ...K.report(r.scope, r.month), type: 'report', ...r };
  const outcome = await transact([
    requestWrite(request, new Date(r.generatedAt)),
    r.version === 1 ? putNew(item) : putIfVersion(item, r.version - 1),
    auditPut(audit),
  ]);
  if (outcome === 'stored') return 'stored';
  if (outcome.reasons[0] === 'ConditionalCheckFailed') return 'duplicate-request';
  if (outcome.reasons[1] === 'ConditionalCheckFailed') return 'stale';
  if (outcome.reasons.includes('TransactionConflict')) return 'conflict';
  throw new Error(`report not stored: ${outcome.reasons.join(',')}`);
}
