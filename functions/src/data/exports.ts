import type { AuditEntry, ExportFormat, ExportJobState, ExportKind } from '@mashang/shared';
import { auditPut } from './audit';
import type { CaseItem } from './cases';
import type { InvitationItem } from './invitations';
import { finishJob } from './jobs';
import { IX, K, indexAttrs } from './keys';
import type { RatingItem } from './ratings';
import { unitsUnder } from './stats';
import { batchGet, getItem, putAny, putNew, queryIndex, queryIndexRange, strip, transact, update } from './table';
import type { VisitItem } from './visits';

/**
 * Export jobs. The record (EXPORTJOB#<id>/META) carries the state the stream worker wakes on (INSERT, or a retry's
 * MODIFY with state `running`); progress lives apart (…/PROGRESS) so progress writes do not wake it again.
 */
export interface ExportJobRecord {
  id: string;
  kind: ExportKind;
  format: ExportFormat;
  scope: string;
  scopeName: string;
  from: string;
  to: string;
  state: ExportJobState;
  createdAt: string;
  createdBy: string;
  attempt: number;
  fileKey: string;
  rows?: number;
  bytes?: number;
  finishedAt?: string;
  failure?: string;
}

const recordItem = (r: ExportJobRecord) => ({
  ...K.exportJob(r.id),
  ...indexAttrs(IX.exportJobs(r.createdAt, r.id)),
  type: 'exportjob',
  ...r,
});

/** Store a new job with its audit entry (export.create) in one transaction; false when the id exists (a retry). */
export async function createExportJob(r: ExportJobRecord, audit: AuditEntry): Promise<boolean> {
  const outcome = await transact([putNew(recordItem(r)), auditPut(audit)]);
  if (outcome === 'stored') return true;
  if (outcome.reasons[0] === 'ConditionalCheckFailed') return false;
  throw new Error(`export job not stored: ${outcome.reasons.join(',')}`);
}

export const getExportJob = (id: string) => getItem<ExportJobRecord>(K.exportJob(id), { consistent: true });

export async function getExportProgress(id: string): Promise<number> {
  return (await getItem<{ rows?: number }>(K.exportProgress(id)))?.rows ?? 0;
}

export async function setExportProgress(id: string, rows: number): Promise<void> {
  await transact([putAny({ ...K.exportProgress(id), type: 'exportjob-progress', rows })]);
}

export async function listExportJobs(cursor: string | undefined, limit: number) {
  const page = await queryIndex(IX.exportJobs(), { newestFirst: true, cursor, limit });
  return { items: page.items.map((i) => strip<ExportJobRecord>(i)), cursor: page.cursor };
}

/** A failed job → running again (attempt + 1 is the MODIFY the worker wakes on). False if not failed. */
export async function retryExportJob(id: string): Promise<boolean> {
  const outcome = await transact([
    update(K.exportJob(id), {
      set: 'SET #state = :running, attempt = attempt + :one REMOVE failure',
      condition: '#state = :failed',
      names: { '#state': 'state' },
      values: { ':running': 'running', ':one': 1, ':failed': 'failed' },
    }),
  ]);
  return outcome === 'stored';
}

export async function finishExportJob(
  id: string,
  state: 'done' | 'failed',
  fields: Partial<ExportJobRecord>,
): Promise<void> {
  await finishJob(K.exportJob(id), 'running', state, fields, undefined, 'export job');
}

/** Attributes that identify a person or are internal: never leave this module in an export row. */
const NEVER = ['rater', 'request', 'phone', 'phoneHash', 'name', 'official', 'trackingNo', 'reportedBy', 'link'];
const clean = <T>(item: Record<string, unknown>): T => {
  const o = strip<Record<string, unknown>>(item);
  for (const k of NEVER) delete o[k];
  return o as T;
};

/** Windows of a scope: those under it, or the window itself when the scope is one. */
async function windowIdsOf(scope: string): Promise<string[]> {
  if (scope.split('/').length >= 4) return [scope.split('/')[3]];
  return (await unitsUnder('window', scope)).map((w) => w.id);
}

/** The rows of an export, page by page (≤ 1 MB each), in the period [fromIso, toIso]; never the whole set at once. */
export async function* ratingsForExport(scope: string, fromIso: string, toIso: string): AsyncGenerator<RatingItem[]> {
  for (const id of await windowIdsOf(scope))
    for await (const page of queryIndexRange(IX.ratingsOfWindow(id), fromIso, `${toIso}~`))
      yield page.map((i) => clean<RatingItem>(i));
}

export async function* casesForExport(scope: string, fromIso: string, toIso: string): AsyncGenerator<CaseItem[]> {
  // A window's cases are listed with its department's.
  const listScope = scope.split('/').slice(0, 3).join('/');
  for (const bucket of ['open', 'overdue', 'closed'])
    for await (const page of queryIndexRange(IX.casesOf(listScope, bucket), fromIso, `${toIso}~`))
      yield page.map((i) => clean<CaseItem>(i)).filter((c) => c.path === scope || c.path.startsWith(`${scope}/`));
}

export async function* visitsForExport(scope: string, fromIso: string, toIso: string): AsyncGenerator<VisitItem[]> {
  const depth = scope.split('/').length;
  // Visits are listed by the enterprise's region; a department's are those its officials made, anywhere.
  const listScope = depth === 2 ? scope : scope.split('/')[0];
  for await (const page of queryIndexRange(IX.visitsInScope(listScope), fromIso, `${toIso}~`)) {
    const visits =
      depth === 2
        ? page.map((i) => clean<VisitItem>(i))
        : [...(await batchGet<Record<string, unknown>>(page.map((p) => K.visit(String(p.visitId))))).values()].map(
            (i) => clean<VisitItem>(i),
          );
    yield depth >= 3 ? visits.filter((v) => v.departmentPath === scope) : visits;
  }
}

export async function* invitationsForExport(
  scope: string,
  fromIso: string,
  toIso: string,
): AsyncGenerator<InvitationItem[]> {
  for (const id of await windowIdsOf(scope))
    for await (const page of queryIndexRange(IX.invitationsOfWindow(id), fromIso, `${toIso}~`))
      yield page.map((i) => clean<InvitationItem>(i));
}
