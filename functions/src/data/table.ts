import {
  BatchGetCommand,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { AsyncLocalStorage } from 'node:async_hooks';
import { db, table } from './client';
import type { IndexKey, Key } from './keys';
import { decodeCursor, encodeCursor } from './paging';

/**
 * The single table's generic operations, for the entity modules of data/ only. Everything read here leaves
 * without its storage attributes (pk, sk, gsi*, type): callers outside data/ never see a key.
 */
type Item = Record<string, unknown>;

const STORAGE = new Set(['pk', 'sk', 'type', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk']);

export function strip<T>(item: Item): T {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !STORAGE.has(k))) as T;
}

export async function getItem<T>(
  key: Key,
  opts: { consistent?: boolean; projection?: string[] } = {},
): Promise<T | undefined> {
  const names = opts.projection ? Object.fromEntries(opts.projection.map((p, i) => [`#p${i}`, p])) : undefined;
  const r = await db().send(
    new GetCommand({
      TableName: table(),
      Key: key,
      ConsistentRead: opts.consistent,
      ...(names ? { ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names } : {}),
    }),
  );
  return r.Item ? strip<T>(r.Item) : undefined;
}

/** Every item of a table partition (optionally those whose sort key starts with `skPrefix`), raw, for data/ only. */
export async function queryPartition(
  pk: string,
  opts: { skPrefix?: string; consistent?: boolean } = {},
): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const r = await db().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: opts.skPrefix ? 'pk = :pk AND begins_with(sk, :sk)' : 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk, ...(opts.skPrefix ? { ':sk': opts.skPrefix } : {}) },
        ExclusiveStartKey: start,
        ConsistentRead: opts.consistent,
      }),
    );
    items.push(...(r.Items ?? []));
    start = r.LastEvaluatedKey;
  } while (start);
  return items;
}

/** A table partition's items with sort keys between two keys' (inclusive), all pages. */
export async function queryBetween(from: Key, to: Key): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const r = await db().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': from.pk, ':from': from.sk, ':to': to.sk },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(r.Items ?? []));
    start = r.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * One page of an index access pattern. `sk` says how the pattern's sort key is used: not at all, as a prefix,
 * as an upper bound (`<= <sk>~`, for "due by now") or as a lower bound (`>= <sk>`, for "since").
 */
export async function queryIndex(
  key: IndexKey,
  opts: {
    sk?: 'any' | 'prefix' | 'upTo' | 'from';
    newestFirst?: boolean;
    limit?: number;
    cursor?: string;
    filter?: { contains: { name: string; value: string } } | { equals: { name: string; value: string } };
    /** Sort keys in [from, to] (either end open): a key condition, so only matching items are read. */
    range?: { from?: string; to?: string };
  },
): Promise<{ items: Item[]; cursor?: string }> {
  const pkName = `${key.index}pk`;
  const skName = `${key.index}sk`;
  const sk = opts.sk ?? 'any';
  const range = opts.range && (opts.range.from || opts.range.to) ? opts.range : undefined;
  const condition = range
    ? range.from && range.to
      ? `${pkName} = :pk AND ${skName} BETWEEN :lo AND :hi`
      : range.from
        ? `${pkName} = :pk AND ${skName} >= :lo`
        : `${pkName} = :pk AND ${skName} <= :hi`
    : sk === 'prefix'
      ? `${pkName} = :pk AND begins_with(${skName}, :sk)`
      : sk === 'upTo'
        ? `${pkName} = :pk AND ${skName} <= :sk`
        : sk === 'from'
          ? `${pkName} = :pk AND ${skName} >= :sk`
          : `${pkName} = :pk`;
  const input: QueryCommandInput = {
    TableName: table(),
    IndexName: key.index,
    KeyConditionExpression: condition,
    ExpressionAttributeValues: {
      ':pk': key.pk,
      ...(range
        ? { ...(range.from ? { ':lo': range.from } : {}), ...(range.to ? { ':hi': range.to } : {}) }
        : sk === 'prefix' || sk === 'from'
          ? { ':sk': key.sk }
          : sk === 'upTo'
            ? { ':sk': `${key.sk}~` }
            : {}),
    },
    ScanIndexForward: opts.newestFirst ? false : undefined,
    Limit: opts.limit,
    ExclusiveStartKey: decodeCursor(opts.cursor, { [pkName]: key.pk }),
  };
  if (opts.filter) {
    const f = 'contains' in opts.filter ? opts.filter.contains : opts.filter.equals;
    input.FilterExpression = 'contains' in opts.filter ? 'contains(#f, :f)' : '#f = :f';
    input.ExpressionAttributeNames = { '#f': f.name };
    input.ExpressionAttributeValues![':f'] = f.value;
  }
  const r = await db().send(new QueryCommand(input));
  return { items: r.Items ?? [], cursor: encodeCursor(r.LastEvaluatedKey) };
}

/**
 * BatchGet by key, in the order of `keys`; missing items are left out. Unprocessed keys (throttling) are asked
 * again with exponential backoff; if some are still unprocessed after the last try this throws, so the caller
 * fails (a stream record is retried) instead of going on with part of the items.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
 */
export const BATCH_GET_POLICY = { attempts: 6, baseDelayMs: 25, maxDelayMs: 800 };

export async function batchGet<T>(keys: Key[]): Promise<Map<string, T>> {
  const found = new Map<string, Item>();
  let pending = keys;
  let unprocessedRounds = 0;
  while (pending.length > 0) {
    const chunk = pending.slice(0, 100);
    const rest = pending.slice(100);
    const r = await db().send(new BatchGetCommand({ RequestItems: { [table()]: { Keys: chunk } } }));
    for (const item of r.Responses?.[table()] ?? []) found.set(`${item.pk}|${item.sk}`, item);
    const unprocessed = (r.UnprocessedKeys?.[table()]?.Keys as Key[]) ?? [];
    pending = [...unprocessed, ...rest];
    if (unprocessed.length === 0) continue;
    unprocessedRounds++;
    if (unprocessedRounds >= BATCH_GET_POLICY.attempts) {
      throw new Error(`BatchGetItem: ${unprocessed.length} keys still unprocessed after ${unprocessedRounds} tries`);
    }
    const delay = Math.min(BATCH_GET_POLICY.maxDelayMs, BATCH_GET_POLICY.baseDelayMs * 2 ** unprocessedRounds);
    await new Promise((res) => setTimeout(res, delay * (0.5 + Math.random() / 2)));
  }
  const out = new Map<string, T>();
  for (const k of keys) {
    const item = found.get(`${k.pk}|${k.sk}`);
    if (item) out.set(k.pk, strip<T>(item));
  }
  return out;
}

/** Transaction items, built by the entity modules. */
export type TxItem = Record<string, unknown>;

/** A Put of a new item (fails the transaction if the key exists). */
export const putNew = (Item: Item): TxItem => ({
  Put: { TableName: table(), Item, ConditionExpression: 'attribute_not_exists(pk)' },
});
export const putAny = (Item: Item): TxItem => ({ Put: { TableName: table(), Item } });
/** A Put that replaces the item only if it is still at `version` (optimistic locking). */
export const putIfVersion = (Item: Item, version: number): TxItem => ({
  Put: { TableName: table(), Item, ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': version } },
});

/** An `ADD` of numbers to an item (counters, gauges). */
export function addTo(key: Key, add: Record<string, number>): TxItem {
  const names: Record<string, string> = {};
  const values: Record<string, number> = {};
  const parts = Object.entries(add).map(([k, v], i) => {
    names[`#c${i}`] = k;
    values[`:c${i}`] = v;
    return `#c${i} :c${i}`;
  });
  return {
    Update: {
      TableName: table(),
      Key: key,
      UpdateExpression: `ADD ${parts.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

export function update(
  key: Key,
  u: { set: string; values: Record<string, unknown>; names?: Record<string, string>; condition?: string },
): TxItem {
  return {
    Update: {
      TableName: table(),
      Key: key,
      UpdateExpression: u.set,
      ...(u.condition ? { ConditionExpression: u.condition } : {}),
      ...(u.names ? { ExpressionAttributeNames: u.names } : {}),
      ExpressionAttributeValues: u.values,
    },
  };
}

/**
 * The idempotency record of the write request being served (domain/idempotency httpWrite): it rides along with the
 * request's first transaction as a conditional Put, so the change and the record commit together or not at all.
 * `committed` turns true once a transaction holding the record (appended here, or put there by the entity module
 * itself) succeeded; `answered` when that record already held the answer.
 */
export interface RideAlong {
  item: Item;
  committed: boolean;
  answered: boolean;
}

const rideAlong = new AsyncLocalStorage<RideAlong>();

export function withRideAlong<T>(r: RideAlong, fn: () => Promise<T>): Promise<T> {
  return rideAlong.run(r, fn);
}

/** The request's record already existed when its transaction ran: a concurrent twin of the request got there first. */
export class DuplicateRequestError extends Error {
  constructor() {
    super('duplicate request');
  }
}

const putOf = (t: TxItem) => (t as { Put?: { Item?: Item } }).Put?.Item;

/**
 * Run a transaction. Returns 'stored', or the cancellation reasons (codes by position) when a condition failed
 * or another transaction conflicted; other errors are thrown. Inside a write request the request's record rides
 * along (see RideAlong); when its condition fails the request is a duplicate (DuplicateRequestError).
 */
export async function transact(items: TxItem[]): Promise<'stored' | { reasons: (string | undefined)[] }> {
  const r = rideAlong.getStore();
  const own =
    r && !r.committed ? items.find((t) => putOf(t)?.pk === r.item.pk && putOf(t)?.sk === r.item.sk) : undefined;
  const ride = !!r && !r.committed && !own && items.length < 100;
  const all = ride ? [...items, putNew(r.item)] : items;
  try {
    await db().send(new TransactWriteCommand({ TransactItems: all as never }));
    if (r && (ride || own)) {
      r.committed = true;
      r.answered = !!own && putOf(own)?.response !== undefined;
    }
    return 'stored';
  } catch (e) {
    if (!(e instanceof TransactionCanceledException)) throw e;
    const reasons = (e.CancellationReasons ?? []).map((c) => c.Code);
    if (ride && reasons[all.length - 1] === 'ConditionalCheckFailed') throw new DuplicateRequestError();
    return { reasons: reasons.slice(0, items.length) };
  }
}

/**
 * The items of one index partition whose sort key lies between two values (inclusive), one page (≤ 1 MB) at a time:
 * for jobs that walk a whole period (exports) without holding it in memory.
 */
export async function* queryIndexRange(key: IndexKey, from: string, to: string): AsyncGenerator<Item[]> {
  let start: Item | undefined;
  do {
    const r = await db().send(
      new QueryCommand({
        TableName: table(),
        IndexName: key.index,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#pk': `${key.index}pk`, '#sk': `${key.index}sk` },
        ExpressionAttributeValues: { ':pk': key.pk, ':from': from, ':to': to },
        ExclusiveStartKey: start,
      }),
    );
    yield r.Items ?? [];
    start = r.LastEvaluatedKey;
  } while (start);
}
