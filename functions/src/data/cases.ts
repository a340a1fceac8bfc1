import { QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { ancestorScopes, shanghaiDate, type CaseListStatus, type CaseView } from '@mashang/shared';
import type { AlertItem } from './alerts';
import { db, table } from './client';
import { K } from './keys';
import { decodeCursor, encodeCursor } from './paging';
import { statUpdate } from './ratings';
import { storedRequestPut, type StoredRequest } from './requests';

export type CaseBucket = CaseListStatus;

/** What departments may read of a case (the shared CaseView less its display label): no identity of the filer. */
export type CaseItem = Omit<CaseView, 'statusLabel'>;

/** Who filed it (rater or complainant), kept apart from the case and encrypted where it is contact data. */
export interface OwnerItem {
  caseId: string;
  userId: string;
  /** Encrypted. */
  phone?: string;
  /** Encrypted; complaints only. */
  name?: string;
  source: CaseItem['source'];
}

export interface TimelineEntry {
  caseId: string;
  at: string;
  seq: string;
  action: string;
  actor: { id: string; role: string; name?: string };
  note?: string;
  data?: Record<string, unknown>;
}

export interface DueMarker {
  caseId: string;
  dueAt: string;
  /** callback / rectify deadline, or the grace period after the first lapse. */
  kind: 'callback' | 'rectify' | 'second';
  path: string;
}

export interface CaseEvent {
  caseId: string;
  eventId: string;
  kind: 'opened' | 'overdue' | 'talk' | 'reopened' | 'closed';
  at: string;
  path: string;
  source: CaseItem['source'];
  summary: string;
  windowName?: string;
}

/**
 * Case lists per scope level and bucket: gsi1 = department, gsi2 = region (county / 州本级), gsi3 = prefecture.
 * Sort key = creation time, so each list is newest-first by a Query. A case filed at the prefecture (a complaint
 * without a window) has only the prefecture key.
 */
export function caseIndexKeys(path: string, bucket: CaseBucket, createdAt: string) {
  const [prefecture, region, department] = ancestorScopes(path);
  return {
    ...(department ? { gsi1pk: `CASES#${department}#${bucket}`, gsi1sk: createdAt } : {}),
    ...(region ? { gsi2pk: `CASES#${region}#${bucket}`, gsi2sk: createdAt } : {}),
    gsi3pk: `CASES#${prefecture}#${bucket}`,
    gsi3sk: createdAt,
  };
}

/** Which index lists the cases of a scope: the scope's depth decides. */
export function caseListIndex(scope: string): 'gsi1' | 'gsi2' | 'gsi3' {
  const depth = scope.split('/').length;
  return depth >= 3 ? 'gsi1' : depth === 2 ? 'gsi2' : 'gsi3';
}

// Keys last: a case read back from the table carries its old index keys, which must not survive a change.
export const caseItem = (c: CaseItem) => ({ ...c, ...K.case(c.id), ...caseIndexKeys(c.path, c.bucket, c.createdAt), type: 'case' });
export const ownerItem = (o: OwnerItem) => ({ pk: K.case(o.caseId).pk, sk: 'OWNER', type: 'owner', ...o });
export const timelineItem = (t: TimelineEntry) => ({ ...K.timeline(t.caseId, t.at, t.seq), type: 'timeline', ...t });
export const eventItem = (e: CaseEvent) => ({ pk: K.case(e.caseId).pk, sk: e.eventId, type: 'event', ...e });

/** Open deadlines are found by the scheduler through gsi1 ("DUE", due time), never by a scan. */
export const dueMarkerItem = (m: DueMarker) => ({
  pk: K.case(m.caseId).pk,
  sk: 'DUE',
  type: 'due',
  gsi1pk: 'DUE',
  gsi1sk: `${m.dueAt}#${m.caseId}`,
  ...m,
});

export interface LetterItem {
  caseId: string;
  no: string;
  recipient: string;
  text: string;
  issuer: string;
  issuedAt: string;
  issuedBy: string;
}

export interface CaseBundle {
  case?: CaseItem;
  owner?: OwnerItem;
  timeline: TimelineEntry[];
  alerts: AlertItem[];
  letters: LetterItem[];
  due?: DueMarker;
}

/** The whole case partition in one Query: case, owner, timeline, alerts, letters, deadline marker. */
export async function loadCase(id: string): Promise<CaseBundle> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await db().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': K.case(id).pk },
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    items.push(...(r.Items ?? []));
    start = r.LastEvaluatedKey;
  } while (start);
  const of = (t: string) => items.filter((i) => i.type === t);
  return {
    case: of('case')[0] as unknown as CaseItem | undefined,
    owner: of('owner')[0] as unknown as OwnerItem | undefined,
    timeline: of('timeline') as unknown as TimelineEntry[],
    alerts: of('alert') as unknown as AlertItem[],
    letters: of('letter') as unknown as LetterItem[],
    due: of('due').find((d) => d.gsi1pk) as unknown as DueMarker | undefined,
  };
}

export async function listCases(scope: string, bucket: CaseBucket, cursor: string | undefined, limit: number) {
  const index = caseListIndex(scope);
  const pkName = `${index}pk`;
  const r = await db().send(
    new QueryCommand({
      TableName: table(),
      IndexName: index,
      KeyConditionExpression: `${pkName} = :pk`,
      ExpressionAttributeValues: { ':pk': `CASES#${scope}#${bucket}` },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor, { [pkName]: `CASES#${scope}#${bucket}` }),
    }),
  );
  return { items: (r.Items ?? []) as CaseItem[], cursor: encodeCursor(r.LastEvaluatedKey) };
}

export type CaseChangeOutcome = 'stored' | 'duplicate-request' | 'stale';

/**
 * One case change in one transaction: the case (only if still at the version that was read), its timeline
 * entry, the request record (idempotency), counters, gauges, deadline marker, outbox event and any extra items.
 */
export async function commitCaseChange(args: {
  before: CaseItem;
  after: CaseItem;
  timeline: TimelineEntry;
  request?: StoredRequest;
  counters?: Record<string, number>;
  /** Counters of another day bucket (e.g. removing an upheld appeal's rating from its own day). */
  extraCounters?: { date: string; path: string; add: Record<string, number> }[];
  gauges?: Record<string, number>;
  due?: DueMarker | 'remove';
  event?: CaseEvent;
  puts?: Record<string, unknown>[];
  updates?: Record<string, unknown>[];
}): Promise<CaseChangeOutcome> {
  const { before, after } = args;
  const shanghaiDay = shanghaiDate(after.updatedAt);
  const items: any[] = [];
  if (args.request) {
    items.push(storedRequestPut(args.request, new Date(after.updatedAt)));
  }
  items.push(
    { Put: { TableName: table(), Item: caseItem(after), ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': before.version } } },
    { Put: { TableName: table(), Item: timelineItem(args.timeline), ConditionExpression: 'attribute_not_exists(pk)' } },
  );
  const scopes = ancestorScopes(after.path);
  // A transaction may touch an item once: counters for the same scope and day are merged into one update.
  const buckets = new Map<string, { path: string; date: string; add: Record<string, number> }>();
  const bump = (path: string, date: string, add: Record<string, number>) => {
    const b = buckets.get(`${path} ${date}`) ?? { path, date, add: {} };
    for (const [k, v] of Object.entries(add)) b.add[k] = (b.add[k] ?? 0) + v;
    buckets.set(`${path} ${date}`, b);
  };
  for (const p of scopes) if (args.counters && Object.keys(args.counters).length) bump(p, shanghaiDay, args.counters);
  for (const c of args.extraCounters ?? []) for (const p of ancestorScopes(c.path)) bump(p, c.date, c.add);
  for (const b of buckets.values()) items.push(statUpdate(b.path, b.date, b.add));
  if (args.gauges && Object.values(args.gauges).some((v) => v !== 0)) {
    for (const p of scopes) items.push(gaugeUpdate(p, args.gauges));
  }
  if (args.due === 'remove') {
    items.push({ Update: { TableName: table(), Key: { pk: K.case(after.id).pk, sk: 'DUE' }, UpdateExpression: 'REMOVE gsi1pk, gsi1sk SET removedAt = :at', ExpressionAttributeValues: { ':at': after.updatedAt } } });
  } else if (args.due) {
    items.push({ Put: { TableName: table(), Item: dueMarkerItem(args.due) } });
  }
  if (args.event) items.push({ Put: { TableName: table(), Item: eventItem(args.event), ConditionExpression: 'attribute_not_exists(pk)' } });
  for (const Item of args.puts ?? []) items.push({ Put: { TableName: table(), Item, ConditionExpression: 'attribute_not_exists(pk)' } });
  for (const u of args.updates ?? []) items.push({ Update: { TableName: table(), ...u } });
  try {
    await db().send(new TransactWriteCommand({ TransactItems: items }));
    return 'stored';
  } catch (e) {
    if (!(e instanceof TransactionCanceledException)) throw e;
    const reasons = e.CancellationReasons ?? [];
    if (args.request && reasons[0]?.Code === 'ConditionalCheckFailed') return 'duplicate-request';
    if (reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) return 'stale';
    throw e;
  }
}

/** Current open/overdue cases per scope: a gauge item beside the day buckets. */
export function gaugeUpdate(path: string, add: Record<string, number>) {
  const u = statUpdate(path, 'x', add).Update;
  return { Update: { ...u, Key: { pk: `STAT#${path}`, sk: 'GAUGE' } } };
}

/** The next number of a reminder letter for an issuer and year (an atomic counter). */
export async function nextLetterNumber(issuer: string, year: number): Promise<number> {
  const r = await db().send(
    new UpdateCommand({
      TableName: table(),
      Key: { pk: `LETTERSEQ#${issuer}`, sk: String(year) },
      UpdateExpression: 'ADD n :one',
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(r.Attributes?.n);
}

/** Deadline markers due at or before `now` (gsi1 "DUE"), oldest first. */
export async function dueMarkers(now: string, limit = 100): Promise<DueMarker[]> {
  const r = await db().send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :due AND gsi1sk <= :now',
      ExpressionAttributeValues: { ':due': 'DUE', ':now': `${now}#~` },
      Limit: limit,
    }),
  );
  return (r.Items ?? []) as DueMarker[];
}
