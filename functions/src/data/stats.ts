import { ancestorScopes } from '@mashang/shared';
import { IX, K } from './keys';
import { addTo, getItem, queryBetween, queryIndex, strip, transact, update, type TxItem } from './table';

/**
 * The statistics counters, one typed map for the writers (ratings, cases, complaints, escalation) and the reader
 * (GET /v1/stats/summary). Day counters live in one item per scope and China-time day; gauges (what is open now)
 * in one item per scope.
 */
const DAY_COUNTERS = [
  'ratings',
  'l1',
  'l2',
  'l3',
  'l4',
  'l5',
  'good',
  'bad',
  'cases',
  'complaints',
  'replied',
  // 差评回复率's numerator: 差评 (window ratings 不满意/非常不满意) whose FIRST callback came by the callback deadline,
  // counted on the day of the 差评 itself (like its denominator `bad`), so a month's rate is about that month's 差评.
  'badRepliedInTime',
  'rectified',
  'closed',
  'callbacks',
  'followUps',
  'satisfiedFollowUps',
  'letters',
  'talks',
  // 约谈 records, one per person talked to (case action `interview`).
  'interviews',
  // Cases inspectors opened from their own supervision findings (source `inspection`); also counted in `cases`.
  'inspectionCases',
  'overdue',
  'appeals',
  'appealsUpheld',
  // Enterprise ratings of windows (企业评价), counted apart from citizens' ones.
  'entRatings',
  'entGood',
  // Officials' visits (干部访企登记) and the enterprises' ratings of them.
  'visits',
  'visitsWithdrawn',
  'visitRatings',
  'vl1',
  'vl2',
  'vl3',
  'vl4',
  'vl5',
  'visitGood',
  'visitBad',
  'visitSolved',
  'visitNegative',
  'visitCases',
  'visitWarnings',
  // 一事一评 (SMS rating invitations): services reported; invitation SMS sent, delivered, failed (send or receipt),
  // skipped (daily cap, opt-out); rated through the invitation; expired unrated (未评 = invitationsExpired / invitationsSent).
  'servicesReported',
  'invitationsSent',
  'invitationsDelivered',
  'invitationsFailed',
  'invitationsSkipped',
  'invitationsRated',
  'invitationsExpired',
] as const;
export type DayCounter = (typeof DAY_COUNTERS)[number];
export type DayCounts = Partial<Record<DayCounter, number>>;

export type Gauge = 'open' | 'overdue';
export type GaugeCounts = Partial<Record<Gauge, number>>;

/** A change to the day counters of a scope path and all its ancestors. */
export interface CounterChange {
  path: string;
  date: string;
  add: DayCounts;
}

/**
 * The transaction updates for counter changes: every ancestor scope of each path, merged so that one
 * transaction touches each counter item once (a DynamoDB rule).
 */
export function counterWrites(changes: CounterChange[]): TxItem[] {
  const buckets = new Map<string, { path: string; date: string; add: Record<string, number> }>();
  for (const c of changes) {
    if (Object.keys(c.add).length === 0) continue;
    for (const path of ancestorScopes(c.path)) {
      const id = `${path} ${c.date}`;
      const b = buckets.get(id) ?? { path, date: c.date, add: {} };
      for (const [k, v] of Object.entries(c.add)) b.add[k] = (b.add[k] ?? 0) + (v ?? 0);
      buckets.set(id, b);
    }
  }
  return [...buckets.values()].map((b) => addTo(K.statDay(b.path, b.date), b.add));
}

/** The day counters of one item only (an enterprise's or an official's), not of its ancestors. */
export function singleCounterWrite(path: string, date: string, add: DayCounts): TxItem {
  return addTo(K.statDay(path, date), add as Record<string, number>);
}

/** The gauge updates of a path and its ancestors; nothing when every change is zero. */
export function gaugeWrites(path: string, add: GaugeCounts): TxItem[] {
  if (!Object.values(add).some((v) => v !== 0)) return [];
  return ancestorScopes(path).map((p) => addTo(K.statGauge(p), add as Record<string, number>));
}

/** The day counters of a scope summed over a period (inclusive dates, YYYY-MM-DD). */
export async function sumDayCounts(scope: string, from: string, to: string): Promise<Record<DayCounter, number>> {
  const sums = Object.fromEntries(DAY_COUNTERS.map((c) => [c, 0])) as Record<DayCounter, number>;
  for (const item of await queryBetween(K.statDay(scope, from), K.statDay(scope, to))) {
    for (const c of DAY_COUNTERS) if (typeof item[c] === 'number') sums[c] += item[c] as number;
  }
  return sums;
}

export async function readGauges(scope: string): Promise<Record<Gauge, number>> {
  const g = (await getItem<Record<string, unknown>>(K.statGauge(scope))) ?? {};
  return { open: Number(g.open ?? 0), overdue: Number(g.overdue ?? 0) };
}

/** The last stream sequence number a consumer has counted on a shard (undefined: nothing yet). */
export async function readStreamMark(consumer: string, shardId: string): Promise<string | undefined> {
  const m = await getItem<{ seq?: string }>(K.streamMark(consumer, shardId), { consistent: true });
  return m?.seq;
}

/**
 * Apply one slice of a stream batch: its counter changes (one ADD per scope and day, every counter of the slice in
 * it) and the shard's high-water mark moved from `from` to `to`, in ONE transaction conditional on the mark still
 * being `from`. A redelivered slice finds the mark moved and changes nothing ('stale'); the caller re-reads the mark.
 * At most 99 counter items per call (a transaction holds 100).
 */
export async function applyCounterSlice(
  consumer: string,
  shardId: string,
  from: string | undefined,
  to: string,
  changes: CounterChange[],
): Promise<'stored' | 'stale' | 'conflict'> {
  const writes = counterWrites(changes);
  if (writes.length > MAX_COUNTER_ITEMS_PER_SLICE) throw new Error(`counter slice of ${writes.length} items`);
  const outcome = await transact([
    update(K.streamMark(consumer, shardId), {
      set: 'SET seq = :to, updatedAt = :now',
      condition: from === undefined ? 'attribute_not_exists(seq)' : 'seq = :from',
      values: { ':to': to, ':now': new Date().toISOString(), ...(from === undefined ? {} : { ':from': from }) },
    }),
    ...writes,
  ]);
  if (outcome === 'stored') return 'stored';
  if (outcome.reasons[0] === 'ConditionalCheckFailed') return 'stale';
  if (outcome.reasons.includes('TransactionConflict')) return 'conflict';
  throw new Error(`counter transaction cancelled: ${outcome.reasons.join(',')}`);
}

/** Counter items one slice may touch (a transaction holds 100 items; one is the mark). */
export const MAX_COUNTER_ITEMS_PER_SLICE = 99;

/** How many counter items a set of changes touches (every ancestor scope and day, merged). */
export function counterItemCount(changes: CounterChange[]): number {
  const ids = new Set<string>();
  for (const c of changes)
    if (Object.keys(c.add).length) for (const p of ancestorScopes(c.path)) ids.add(`${p} ${c.date}`);
  return ids.size;
}

/** The day counter items of a scope over a period (inclusive dates), one per day that has any; one Query. */
export async function dayCountsByDate(
  scope: string,
  from: string,
  to: string,
): Promise<{ date: string; counts: Record<DayCounter, number> }[]> {
  return (await queryBetween(K.statDay(scope, from), K.statDay(scope, to))).map((item) => ({
    date: String(item.sk).slice(2),
    counts: Object.fromEntries(
      DAY_COUNTERS.map((c) => [c, typeof item[c] === 'number' ? (item[c] as number) : 0]),
    ) as Record<DayCounter, number>,
  }));
}

/** A unit a ranking lists: a department or a window, with the name of what it belongs to. */
export interface StatUnit {
  id: string;
  name: string;
  path: string;
  parentName: string;
}

/**
 * The active departments or windows under a scope path (registry index, `begins_with(sk, <path>/)`, paged through:
 * 1200 windows are 3 Queries of up to 1 MB).
 */
export async function unitsUnder(unit: 'department' | 'window', path: string): Promise<StatUnit[]> {
  const out: StatUnit[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryIndex(unit === 'window' ? IX.windows(`${path}/`) : IX.departments(`${path}/`), {
      sk: 'prefix',
      cursor,
      limit: 1000,
    });
    for (const raw of page.items) {
      const i = strip<{
        id: string;
        name: string;
        path: string;
        status?: string;
        regionName?: string;
        department?: { name: string };
      }>(raw);
      if (i.status === 'retired' || i.status === 'staged') continue;
      out.push({
        id: i.id,
        name: i.name,
        path: i.path,
        parentName: (unit === 'window' ? i.department?.name : i.regionName) ?? '',
      });
    }
    cursor = page.cursor;
  } while (cursor);
  return out;
}
