import type { ImportKind, ImportRowError, ImportState } from '@mashang/shared';
import { auditPut } from './audit';
import type { AuditEntry } from '@mashang/shared';
import { codeItem, type CodeItem } from './codes';
import { finishJob } from './jobs';
import { IX, K, indexAttrs } from './keys';
import { creditCodeItem, type DepartmentItem, type EnterpriseItem, type WindowItem } from './registry';
import { batchGet, getItem, putAny, putNew, queryIndex, strip, transact, update, type TxItem } from './table';

/**
 * Imports. The record (IMPORT#<id>/META) carries the state the worker reacts to; progress lives apart.
 * Rows are written in two phases so that a commit applies all rows or none:
 *  1. every item is put *staged* — no index keys (no list shows it), status `staged` (its code does not resolve) —
 *     conditional on its id being free or already staged by this same import (a resumed run);
 *  2. once all are staged, each is made active and given its index keys.
 * A conflict in phase 1 fails the import with nothing visible; a crash anywhere is resumed by running it again.
 */
export interface ImportRecord {
  id: string;
  fileName: string;
  fileKey: string;
  kind?: ImportKind;
  state: ImportState;
  scope: string;
  counts: Record<ImportKind, number>;
  errorCount: number;
  errors: ImportRowError[];
  reportKey?: string;
  createdAt: string;
  createdBy: string;
  attempt: number;
  commitRequestedAt?: string;
  committedAt?: string;
  failure?: string;
}

const recordItem = (r: ImportRecord) => ({
  ...K.importJob(r.id),
  ...indexAttrs(IX.imports(r.createdAt, r.id)),
  type: 'import',
  ...r,
});

export async function createImport(r: ImportRecord, audit: AuditEntry): Promise<void> {
  const outcome = await transact([putNew(recordItem(r)), auditPut(audit)]);
  if (outcome !== 'stored') throw new Error(`import record not stored: ${outcome.reasons.join(',')}`);
}

export const getImport = (id: string) => getItem<ImportRecord>(K.importJob(id), { consistent: true });

export async function getImportProgress(id: string): Promise<{ done: number; total: number }> {
  const p = await getItem<{ done?: number; total?: number }>(K.importProgress(id));
  return { done: p?.done ?? 0, total: p?.total ?? 0 };
}

export async function setImportProgress(id: string, done: number, total: number): Promise<void> {
  await transact([putAny({ ...K.importProgress(id), type: 'import-progress', done, total })]);
}

export async function listImports(cursor: string | undefined, limit: number) {
  const page = await queryIndex(IX.imports(), { newestFirst: true, cursor, limit });
  return { items: page.items.map((i) => strip<ImportRecord>(i)), cursor: page.cursor };
}

/**
 * Ask for a (re)run of the commit: validated, committing (a run died) or failed → committing, attempt + 1. The
 * change of `attempt` is what the stream worker wakes on. False when the state does not allow it.
 */
export async function requestCommit(id: string, at: string): Promise<boolean> {
  const outcome = await transact([
    update(K.importJob(id), {
      set: 'SET #state = :committing, attempt = attempt + :one, commitRequestedAt = if_not_exists(commitRequestedAt, :at) REMOVE failure',
      condition: '#state IN (:validated, :committing, :failed)',
      names: { '#state': 'state' },
      values: { ':committing': 'committing', ':one': 1, ':at': at, ':validated': 'validated', ':failed': 'failed' },
    }),
  ]);
  return outcome === 'stored';
}

export async function finishImport(
  id: string,
  state: 'done' | 'failed',
  fields: Partial<ImportRecord>,
  audit?: AuditEntry,
): Promise<void> {
  await finishJob(K.importJob(id), 'committing', state, fields, audit, 'import');
}

/** Which of these ids already exist (any status), with the import that staged them. */
export async function existing(
  kind: 'window' | 'enterprise' | 'department',
  ids: string[],
): Promise<Map<string, { importId?: string; status?: string }>> {
  const key = (id: string) =>
    kind === 'window' ? K.window(id) : kind === 'enterprise' ? K.enterprise(id) : K.department(id);
  const found = await batchGet<{ id: string; importId?: string; status?: string }>(ids.map(key));
  const out = new Map<string, { importId?: string; status?: string }>();
  for (const v of found.values()) out.set(v.id, { importId: v.importId, status: v.status });
  return out;
}

/** Which credit codes are registered, and to which enterprise. */
export async function creditCodeOwners(codes: string[]): Promise<Map<string, string>> {
  const found = await batchGet<{ enterpriseId: string }>(codes.map((c) => K.creditCode(c)));
  const out = new Map<string, string>();
  for (const [pk, v] of found) out.set(pk.replace(/^CREDIT#/, ''), v.enterpriseId);
  return out;
}

/** Names already used under a parent path (windows of a department, departments of a region): name → id. */
export async function namesUnder(list: 'windows' | 'departments', parentPath: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const page = await queryIndex(IX[list](`${parentPath}/`), { sk: 'prefix', cursor, limit: 500 });
    for (const i of page.items) out.set(String(i.name), String(i.id));
    cursor = page.cursor;
  } while (cursor);
  return out;
}

export type StagedRow =
  | { kind: 'department'; item: DepartmentItem }
  | { kind: 'window'; item: WindowItem; code: CodeItem }
  | { kind: 'enterprise'; item: EnterpriseItem; code: CodeItem };

const mainKey = (r: StagedRow) =>
  r.kind === 'window'
    ? K.window(r.item.id)
    : r.kind === 'enterprise'
      ? K.enterprise(r.item.id)
      : K.department(r.item.id);

function stagedItems(r: StagedRow, importId: string): TxItem[] {
  const base = { ...mainKey(r), type: r.kind, ...r.item, status: 'staged', importId };
  if (r.kind === 'department') return [putNew(base)];
  if (r.kind === 'window') return [putNew(base), putNew(codeItem(r.code))];
  return [putNew(base), putNew(codeItem(r.code)), putNew(creditCodeItem(r.item.creditCode, r.item.id))];
}

/**
 * Phase 1 for a chunk of rows (≤ 30, so a transaction stays under 100 items). Rows already staged or activated by
 * this import are skipped (resume). Returns the external ids that conflict with something else.
 */
export async function stageRows(rows: StagedRow[], importId: string): Promise<string[]> {
  const already = await batchGet<{ id: string; importId?: string }>(rows.map(mainKey));
  const conflicts: string[] = [];
  const todo: StagedRow[] = [];
  for (const r of rows) {
    const found = already.get(mainKey(r).pk);
    if (!found) todo.push(r);
    else if (found.importId !== importId) conflicts.push(r.item.id);
  }
  if (conflicts.length || todo.length === 0) return conflicts;
  const outcome = await transact(todo.flatMap((r) => stagedItems(r, importId)));
  if (outcome === 'stored') return [];
  if (outcome.reasons.every((x) => !x || x === 'None' || x === 'ConditionalCheckFailed')) {
    // Something took an id, a code or a credit code meanwhile: find which row, one at a time.
    for (const r of todo) {
      const one = await transact(stagedItems(r, importId));
      if (one !== 'stored') conflicts.push(r.item.id);
    }
    return conflicts;
  }
  throw new Error(`import staging cancelled: ${outcome.reasons.join(',')}`);
}

/** Phase 2 for a chunk (≤ 100 rows): staged → active with index keys. Rows already active are left as they are. */
export async function activateRows(rows: StagedRow[], importId: string): Promise<void> {
  const items = rows.map((r) => {
    const ix =
      r.kind === 'window'
        ? IX.windows(r.item.path)
        : r.kind === 'enterprise'
          ? IX.enterprises(r.item.path)
          : IX.departments(r.item.path);
    return update(mainKey(r), {
      set: `SET #status = :active, ${ix.index}pk = :ipk, ${ix.index}sk = :isk`,
      condition: 'importId = :imp',
      names: { '#status': 'status' },
      values: { ':active': 'active', ':ipk': ix.pk, ':isk': ix.sk, ':imp': importId },
    });
  });
  const outcome = await transact(items);
  if (outcome !== 'stored') throw new Error(`import activation cancelled: ${outcome.reasons.join(',')}`);
}

/** Every region (the prefecture's counties and 州本级): a handful of items on one index partition. */
export async function listRegions(): Promise<{ id: string; name: string; path: string }[]> {
  const page = await queryIndex({ ...IX.regions(''), sk: '' }, { limit: 100 });
  return page.items.map((i) => strip<{ id: string; name: string; path: string }>(i));
}
