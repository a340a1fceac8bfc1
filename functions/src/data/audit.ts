import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AuditAction, AuditEntry, AuditTargetKind, Page } from '@mashang/shared';
import { db, table } from './client';
import { IX, K, indexAttrs, type IndexKey } from './keys';
import { decodeCursor, encodeCursor } from './paging';
import { putNew, strip, transact, type TxItem } from './table';

/**
 * The audit trail: append-only entries, never updated or deleted (nothing here updates one; every put is
 * conditional, so the same entry twice is refused, never duplicated).
 *
 *   table  K.audit            AUDIT#<targetKind>#<targetId> / <at>#<id>   the history of one target
 *   gsi1   IX.auditOfRegion     AUDIT#<region path> / <at>#<id>          a county's (or 州本级's) trail
 *   gsi2   IX.auditOfPrefecture AUDIT#haibei / <at>#<id>                 the prefecture's whole trail
 *   gsi3   IX.auditBy           AUDITBY#<userId> / <at>#<id>             what one official did
 * Entries at the prefecture itself (a calendar change) carry no gsi1 key (sparse).
 */
function regionOf(scope: string): string | undefined {
  const parts = scope.split('/');
  return parts.length >= 2 ? parts.slice(0, 2).join('/') : undefined;
}

export function toItem(e: AuditEntry): Record<string, unknown> {
  const region = regionOf(e.scope);
  return {
    ...K.audit(e.target.kind, e.target.id, e.at, e.id),
    ...indexAttrs(
      ...(region ? [IX.auditOfRegion(region, e.at, e.id)] : []),
      IX.auditOfPrefecture(e.scope.split('/')[0], e.at, e.id),
      IX.auditBy(e.actor.userId, e.at, e.id),
    ),
    type: 'audit',
    ...e,
  };
}

export const fromItem = (item: Record<string, unknown>) => strip<AuditEntry>(item);

/**
 * The entry as one element of a transaction (data/table `transact`), so an action and its audit entry are
 * stored together or not at all.
 */
export const auditPut = (e: AuditEntry): TxItem => putNew(toItem(e));

/** Append one entry on its own. Writing the very same entry again (same target, time and id) changes nothing. */
export async function putAudit(e: AuditEntry): Promise<void> {
  const outcome = await transact([auditPut(e)]);
  if (outcome !== 'stored' && outcome.reasons[0] !== 'ConditionalCheckFailed')
    throw new Error(`audit put cancelled: ${outcome.reasons.join(',')}`);
}

export interface AuditListOptions {
  /** Scope path to list; entries whose scope lies inside it. */
  scope: string;
  /** ISO instants, inclusive. */
  from?: string;
  to?: string;
  action?: AuditAction;
  actor?: string;
  target?: { kind: AuditTargetKind; id: string };
  cursor?: string;
  limit: number;
}

/**
 * One page of entries inside `scope`, newest first, each request one Query:
 * a target's history → the table; one actor → gsi3; the prefecture → gsi2; a county or narrower → gsi1.
 * Narrower-than-county scopes and actions are filters on the key-conditioned page (a page may then hold fewer
 * than `limit` entries; the cursor continues).
 */
export async function listAudit(o: AuditListOptions): Promise<Page<AuditEntry>> {
  const region = regionOf(o.scope);
  let pkName = 'pk';
  let skName = 'sk';
  let pkValue: string;
  let index: IndexKey['index'] | undefined;
  if (o.target) {
    pkValue = K.auditOf(o.target.kind, o.target.id);
  } else {
    const key = o.actor ? IX.auditBy(o.actor) : region ? IX.auditOfRegion(region) : IX.auditOfPrefecture(o.scope);
    index = key.index;
    [pkName, skName, pkValue] = [`${key.index}pk`, `${key.index}sk`, key.pk];
  }
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':pk': pkValue };
  const filters: string[] = [];
  let keyCondition = `${pkName} = :pk`;
  if (o.from && o.to) {
    keyCondition += ` AND ${skName} BETWEEN :from AND :to`;
    [values[':from'], values[':to']] = [o.from, `${o.to}~`];
  } else if (o.from) {
    keyCondition += ` AND ${skName} >= :from`;
    values[':from'] = o.from;
  } else if (o.to) {
    keyCondition += ` AND ${skName} <= :to`;
    values[':to'] = `${o.to}~`;
  }
  // The key bounds the scope for the prefecture and a county; anything else is filtered.
  if (o.target || o.actor || (region && o.scope !== region)) {
    names['#scope'] = 'scope';
    [values[':scope'], values[':scopeChildren']] = [o.scope, `${o.scope}/`];
    filters.push('(#scope = :scope OR begins_with(#scope, :scopeChildren))');
  }
  if (o.action) {
    names['#action'] = 'action';
    values[':action'] = o.action;
    filters.push('#action = :action');
  }
  if (o.actor && o.target) {
    names['#actor'] = 'actor';
    values[':actor'] = o.actor;
    filters.push('#actor.userId = :actor');
  }
  const input: QueryCommandInput = {
    TableName: table(),
    ...(index ? { IndexName: index } : {}),
    KeyConditionExpression: keyCondition,
    ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
    ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
    ExpressionAttributeValues: values,
    ScanIndexForward: false,
    ExclusiveStartKey: decodeCursor(o.cursor, { [pkName]: pkValue }),
    Limit: o.limit,
  };
  const r = await db().send(new QueryCommand(input));
  return {
    items: (r.Items ?? []).map(fromItem),
    ...(r.LastEvaluatedKey ? { cursor: encodeCursor(r.LastEvaluatedKey) } : {}),
  };
}
