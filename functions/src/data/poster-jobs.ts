import type { AuditEntry, PosterJobState } from '@mashang/shared';
import { auditPut } from './audit';
import { finishJob } from './jobs';
import { IX, K, indexAttrs } from './keys';
import type { DepartmentItem, WindowItem } from './registry';
import { getItem, putAny, putNew, queryIndex, strip, transact, update } from './table';

/**
 * Poster jobs. The record (POSTERJOB#<id>/META) carries the state the stream worker wakes on (INSERT or a retry's
 * MODIFY with state `running`); progress lives apart (…/PROGRESS) so progress writes do not wake it again.
 */
export interface PosterJobRecord {
  id: string;
  /** The scope path the job covers and its name (海北州, a county, a department). */
  scope: string;
  scopeName: string;
  state: PosterJobState;
  createdAt: string;
  createdBy: string;
  attempt: number;
  zipKey: string;
  windows?: number;
  bytes?: number;
  finishedAt?: string;
  failure?: string;
}

const recordItem = (r: PosterJobRecord) => ({
  ...K.posterJob(r.id),
  ...indexAttrs(IX.posterJobs(r.createdAt, r.id)),
  type: 'posterjob',
  ...r,
});

/** Store a new job with its audit entry; false when a job with this id exists (a retried request). */
export async function createPosterJob(r: PosterJobRecord, audit: AuditEntry): Promise<boolean> {
  const outcome = await transact([putNew(recordItem(r)), auditPut(audit)]);
  if (outcome === 'stored') return true;
  if (outcome.reasons[0] === 'ConditionalCheckFailed') return false;
  throw new Error(`poster job not stored: ${outcome.reasons.join(',')}`);
}

export const getPosterJob = (id: string) => getItem<PosterJobRecord>(K.posterJob(id), { consistent: true });

export async function getPosterProgress(id: string): Promise<{ done: number; total: number }> {
  const p = await getItem<{ done?: number; total?: number }>(K.posterProgress(id));
  return { done: p?.done ?? 0, total: p?.total ?? 0 };
}

export async function setPosterProgress(id: string, done: number, total: number): Promise<void> {
  await transact([putAny({ ...K.posterProgress(id), type: 'posterjob-progress', done, total })]);
}

export async function listPosterJobs(cursor: string | undefined, limit: number) {
  const page = await queryIndex(IX.posterJobs(), { newestFirst: true, cursor, limit });
  return { items: page.items.map((i) => strip<PosterJobRecord>(i)), cursor: page.cursor };
}

/** A failed job → running again (attempt + 1 is the MODIFY the worker wakes on). False if not failed. */
export async function retryPosterJob(id: string): Promise<boolean> {
  const outcome = await transact([
    update(K.posterJob(id), {
      set: 'SET #state = :running, attempt = attempt + :one REMOVE failure',
      condition: '#state = :failed',
      names: { '#state': 'state' },
      values: { ':running': 'running', ':one': 1, ':failed': 'failed' },
    }),
  ]);
  return outcome === 'stored';
}

/** running → done/failed with fields; a second run that finished first leaves the record as it is. */
export async function finishPosterJob(
  id: string,
  state: 'done' | 'failed',
  fields: Partial<PosterJobRecord>,
  audit?: AuditEntry,
): Promise<void> {
  await finishJob(K.posterJob(id), 'running', state, fields, audit, 'poster job');
}

async function all<T>(list: 'windows' | 'departments', prefix: string): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryIndex(IX[list](prefix), { sk: 'prefix', cursor, limit: 500 });
    out.push(...page.items.map((i) => strip<T>(i)));
    cursor = page.cursor;
  } while (cursor);
  return out;
}

/** Active departments at or under a scope path (Query on the registry index, paged through). */
export async function departmentsUnder(path: string): Promise<DepartmentItem[]> {
  const items = await all<DepartmentItem & { status?: string }>('departments', `${path}/`);
  const self = await getItem<DepartmentItem & { status?: string }>(K.department(path.split('/').pop() ?? ''));
  if (self && self.path === path) items.push(self);
  return items.filter((d) => d.status !== 'retired' && d.status !== 'staged');
}

/** Active windows of one department. */
export async function windowsOfDepartment(deptPath: string): Promise<WindowItem[]> {
  const items = await all<WindowItem & { status?: string }>('windows', `${deptPath}/`);
  return items.filter((w) => w.status !== 'retired' && w.status !== 'staged').sort((a, b) => a.id.localeCompare(b.id));
}
