import type { AuditEntry, Role, RoleGrant } from '@mashang/shared';
import { auditPut } from './audit';
import { table } from './client';
import { IX, K, indexAttrs } from './keys';
import { grantChangeWrites, grantItem } from './users';
import { putNew, queryIndex, queryPartition, strip, transact, type TxItem } from './table';

/**
 * People registered in the console. PERSON#<id> holds the record (META), the person's role grants (GRANT#<role>#<scope>,
 * the console's source of truth) and, once the person bound their WeChat account, BOUND {userId}. A bound person's
 * grants are also the user's own grant items (USER#<userId>/GRANT#…, what sign-in reads): every grant and revoke
 * writes both in one transaction.
 */
export interface PersonItem {
  id: string;
  name: string;
  post: string;
  /** Encrypted. */
  phone: string;
  department: { id: string; name: string };
  county: { id: string; name: string };
  path: string;
  createdAt: string;
  createdBy: string;
}

export interface Person extends PersonItem {
  grants: RoleGrant[];
  userId?: string;
  boundAt?: string;
}

const personItem = (p: PersonItem) => ({
  ...K.person(p.id),
  ...indexAttrs(IX.people(p.path, p.id)),
  type: 'person',
  ...p,
});
const personGrantItem = (id: string, g: RoleGrant) => ({
  ...K.personGrant(id, g.role, g.scope),
  type: 'person-grant',
  role: g.role,
  scope: g.scope,
});

/** The record, its grants and its binding in one Query on the person's partition. */
export async function getPerson(id: string): Promise<Person | undefined> {
  const items = await queryPartition(K.personPartition(id));
  const meta = items.find((i) => i.sk === 'META');
  if (!meta) return undefined;
  const bound = items.find((i) => i.sk === 'BOUND');
  return {
    ...strip<PersonItem>(meta),
    grants: items
      .filter((i) => i.type === 'person-grant')
      .map((i) => ({ role: i.role as Role, scope: String(i.scope) })),
    ...(bound ? { userId: String(bound.userId), boundAt: String(bound.boundAt) } : {}),
  };
}

export async function createPerson(p: PersonItem, grants: RoleGrant[], audits: AuditEntry[]): Promise<boolean> {
  const outcome = await transact([
    putNew(personItem(p)),
    ...grants.map((g) => putNew(personGrantItem(p.id, g))),
    ...audits.map(auditPut),
  ]);
  if (outcome === 'stored') return true;
  if (outcome.reasons[0] === 'ConditionalCheckFailed') return false;
  throw new Error(`person not stored: ${outcome.reasons.join(',')}`);
}

/**
 * Grant or revoke a role: the person's grant item, the audit entry and, for a bound person, the user's grant item
 * with their grants version bumped (data/users.grantChangeWrites), so a token carrying the old roles stops working
 * at the next request. One transaction. False when the person already holds (add) or does not hold (remove) it.
 */
export async function changePersonGrant(
  p: Person,
  g: RoleGrant,
  change: 'add' | 'remove',
  audit: AuditEntry,
): Promise<boolean> {
  const items: TxItem[] = [
    change === 'add'
      ? putNew(personGrantItem(p.id, g))
      : {
          Delete: {
            TableName: table(),
            Key: K.personGrant(p.id, g.role, g.scope),
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
    auditPut(audit),
  ];
  if (p.userId) items.push(...grantChangeWrites(p.userId, g, change, audit.at));
  const outcome = await transact(items);
  if (outcome === 'stored') return true;
  if (outcome.reasons[0] === 'ConditionalCheckFailed') return false;
  throw new Error(`role ${change} not stored: ${outcome.reasons.join(',')}`);
}

/** The items a binding creates (each only if absent, in the binding code's transaction). */
export function bindingItems(p: Person, userId: string, at: string): Record<string, unknown>[] {
  return [
    { ...K.personBound(p.id), type: 'person-bound', personId: p.id, userId, boundAt: at },
    ...p.grants.map((g) => grantItem(userId, g)),
  ];
}

export async function listPeople(path: string, opts: { q?: string; cursor?: string; limit: number }) {
  const page = await queryIndex(IX.people(`${path}/`), {
    sk: 'prefix',
    cursor: opts.cursor,
    limit: opts.limit,
    ...(opts.q ? { filter: { contains: { name: 'name', value: opts.q } } } : {}),
  });
  return { items: page.items.map((i) => strip<PersonItem>(i)), cursor: page.cursor };
}
