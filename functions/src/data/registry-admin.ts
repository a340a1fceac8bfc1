import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '@mashang/shared';
import { auditPut } from './audit';
import { db, table } from './client';
import { codeItem, type CodeItem } from './codes';
import { IX, K } from './keys';
import {
  creditCodeItem,
  departmentItem,
  enterpriseItem,
  windowItem,
  type DepartmentItem,
  type EnterpriseItem,
  type WindowItem,
} from './registry';
import { putNew, transact, update, type TxItem } from './table';

/**
 * Registry writes (operators): each change and its audit entry in one transaction. Creation is conditional on
 * the id (and, for enterprises, the credit code) being free; edits and retirement are conditional on the item
 * existing and being active.
 */
export type RegistryStatusFields = {
  status?: 'active' | 'retired';
  retiredAt?: string;
  retireReason?: string;
  importId?: string;
};

/** A condition of the transaction failed; `field` names which (id, code, creditCode, status). */
export class RegistryConflict extends Error {
  constructor(readonly field: string) {
    super(`conflict on ${field}`);
  }
}

async function run(items: TxItem[], fields: string[]): Promise<void> {
  const outcome = await transact(items);
  if (outcome === 'stored') return;
  const i = outcome.reasons.findIndex((r) => r === 'ConditionalCheckFailed');
  if (i >= 0) throw new RegistryConflict(fields[i] ?? 'item');
  throw new Error(`registry write cancelled: ${outcome.reasons.join(',')}`);
}

export const windowRecord = (w: WindowItem & RegistryStatusFields) => ({
  ...windowItem(w),
  status: w.status ?? 'active',
});
export const enterpriseRecord = (e: EnterpriseItem & RegistryStatusFields) => ({
  ...enterpriseItem(e),
  status: e.status ?? 'active',
});
export const departmentRecord = (d: DepartmentItem & RegistryStatusFields) => ({
  ...departmentItem(d),
  status: d.status ?? 'active',
});

/** The transaction items that create a window with its code (also used by imports). */
export const newWindowItems = (w: WindowItem & RegistryStatusFields, code: CodeItem): TxItem[] => [
  putNew(windowRecord(w)),
  putNew(codeItem(code)),
];
export const newEnterpriseItems = (e: EnterpriseItem & RegistryStatusFields, code: CodeItem): TxItem[] => [
  putNew(enterpriseRecord(e)),
  putNew(codeItem(code)),
  putNew(creditCodeItem(e.creditCode, e.id)),
];
export const newDepartmentItems = (d: DepartmentItem & RegistryStatusFields): TxItem[] => [putNew(departmentRecord(d))];

export async function createWindowItems(w: WindowItem, code: CodeItem, audit: AuditEntry): Promise<void> {
  await run([...newWindowItems(w, code), auditPut(audit)], ['id', 'code', 'audit']);
}

export async function createEnterpriseItems(e: EnterpriseItem, code: CodeItem, audit: AuditEntry): Promise<void> {
  await run([...newEnterpriseItems(e, code), auditPut(audit)], ['id', 'code', 'creditCode', 'audit']);
}

export async function createDepartmentItem(d: DepartmentItem, audit: AuditEntry): Promise<void> {
  await run([...newDepartmentItems(d), auditPut(audit)], ['id', 'audit']);
}

/**
 * Set fields of an active registry item (an edit, or retirement), with its audit entry. Refused (RegistryConflict
 * 'status') when the item is gone or already retired, so a retried retire changes nothing twice.
 */
export async function updateRegistryItem(
  kind: 'window' | 'enterprise' | 'department',
  id: string,
  set: Record<string, unknown>,
  audit: AuditEntry,
): Promise<void> {
  const key = kind === 'window' ? K.window(id) : kind === 'enterprise' ? K.enterprise(id) : K.department(id);
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = { ':retired': 'retired' };
  const parts = Object.entries(set)
    .filter(([, v]) => v !== undefined)
    .map(([k, v], i) => {
      names[`#f${i}`] = k;
      values[`:v${i}`] = v;
      return `#f${i} = :v${i}`;
    });
  await run(
    [
      update(key, {
        set: `SET ${parts.join(', ')}`,
        condition: 'attribute_exists(pk) AND (attribute_not_exists(#status) OR #status <> :retired)',
        names,
        values,
      }),
      auditPut(audit),
    ],
    ['status', 'audit'],
  );
}

async function anyUnder(
  list: 'windows' | 'enterprises' | 'departments',
  parentPath: string,
  filter: { expr: string; names: Record<string, string>; values: Record<string, unknown> },
  accept: (i: Record<string, unknown>) => boolean,
) {
  const key = IX[list](`${parentPath}/`);
  let cursor: Record<string, unknown> | undefined;
  do {
    const r = await db().send(
      new QueryCommand({
        TableName: table(),
        IndexName: key.index,
        KeyConditionExpression: `${key.index}pk = :pk AND begins_with(${key.index}sk, :prefix)`,
        FilterExpression: filter.expr,
        ExpressionAttributeNames: filter.names,
        ExpressionAttributeValues: { ':pk': key.pk, ':prefix': key.sk, ...filter.values },
        ExclusiveStartKey: cursor,
      }),
    );
    if ((r.Items ?? []).some(accept)) return true;
    cursor = r.LastEvaluatedKey;
  } while (cursor);
  return false;
}

/** Is a name already used by another item of the same list under `parentPath` (Queries bounded by the parent)? */
export function nameTaken(
  list: 'windows' | 'enterprises' | 'departments',
  parentPath: string,
  name: string,
  exceptId?: string,
): Promise<boolean> {
  return anyUnder(
    list,
    parentPath,
    { expr: '#name = :name', names: { '#name': 'name' }, values: { ':name': name } },
    (i) => i.id !== exceptId,
  );
}

/** Does a department hold at least one active window? */
export function hasActiveWindows(departmentPath: string): Promise<boolean> {
  return anyUnder(
    'windows',
    departmentPath,
    {
      expr: 'attribute_not_exists(#status) OR #status <> :retired',
      names: { '#status': 'status' },
      values: { ':retired': 'retired' },
    },
    () => true,
  );
}
