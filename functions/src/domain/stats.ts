import {
  percent,
  RANKING_MIN_RATINGS,
  RANKING_ORDERS,
  RANKING_UNITS,
  shanghaiDate,
  TREND_BUCKETS,
  type RankingRow,
  type StatsRanking,
  type StatsSummary,
  type StatsTrend,
  type TrendBucket,
  type TrendPoint,
} from '@mashang/shared';
import * as z from 'zod/mini';
import { dayCountsByDate, readGauges, sumDayCounts, unitsUnder, type DayCounter, type StatUnit } from '../data/stats';
import { AppError } from '../lib/errors';
import type { Session } from '../lib/session';
import { parseWith } from '../lib/validate';
import { readableScope } from './case-views';

const periodFields = {
  scope: z.optional(z.string().check(z.regex(/^haibei(\/[A-Za-z0-9-]+){0,3}$/, '范围格式不正确'))),
  from: z.optional(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, '开始日期格式须为 YYYY-MM-DD'))),
  to: z.optional(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, '结束日期格式须为 YYYY-MM-DD'))),
};
const Query = z.strictObject(periodFields);

/**
 * GET /v1/stats/summary: the §2.6 figures for a scope and period, summed from the per-day counter items
 * (one Query over at most a year of days, whatever the number of ratings) plus the open/overdue gauges.
 */
export async function statsSummary(session: Session, query: unknown, now: Date): Promise<StatsSummary> {
  const q = parseWith(Query, query);
  const { scope, from, to } = periodOf(session, q, now);

  const [sums, gauge] = await Promise.all([sumDayCounts(scope, from, to), readGauges(scope)]);
  const n = (k: DayCounter) => sums[k];
  return {
    scope,
    from,
    to,
    ratings: {
      total: n('ratings'),
      byLevel: { 5: n('l5'), 4: n('l4'), 3: n('l3'), 2: n('l2'), 1: n('l1') },
      enterprise: n('entRatings'),
      citizen: n('ratings') - n('entRatings'),
    },
    enterpriseGoodRate: percent(n('entGood'), n('entRatings')),
    visits: {
      total: n('visits'),
      withdrawn: n('visitsWithdrawn'),
      rated: n('visitRatings'),
      byLevel: { 5: n('vl5'), 4: n('vl4'), 3: n('vl3'), 2: n('vl2'), 1: n('vl1') },
      bad: n('visitBad'),
      negativeList: n('visitNegative'),
      solved: n('visitSolved'),
      cases: n('visitCases'),
      warnings: n('visitWarnings'),
    },
    visitSatisfactionRate: percent(n('visitGood'), n('visitRatings')),
    goodRate: percent(n('good'), n('ratings')),
    badCount: n('bad'),
    cases: {
      opened: n('cases'),
      complaints: n('complaints'),
      inspections: n('inspectionCases'),
      replied: n('replied'),
      rectified: n('rectified'),
      closed: n('closed'),
      overdue: n('overdue'),
    },
    badRepliedInTime: n('badRepliedInTime'),
    badReplyRate: percent(n('badRepliedInTime'), n('bad')),
    callbackRectifyRate: percent(n('rectified'), n('cases')),
    followUpSatisfactionRate: percent(n('satisfiedFollowUps'), n('followUps')),
    callbacks: n('callbacks'),
    reminderLetters: n('letters'),
    talks: n('talks'),
    interviews: n('interviews'),
    appealsUpheld: n('appealsUpheld'),
    open: gauge.open,
    overdue: gauge.overdue,
    invitations: {
      services: n('servicesReported'),
      sent: n('invitationsSent'),
      delivered: n('invitationsDelivered'),
      failed: n('invitationsFailed'),
      skipped: n('invitationsSkipped'),
      rated: n('invitationsRated'),
      expiredUnrated: n('invitationsExpired'),
    },
    unratedRate: percent(n('invitationsExpired'), n('invitationsSent')),
  };
}

const STATS_ROLES = ['inspector', 'handler', 'operator'];

/** The scope (the caller's widest readable one unless named) and the period (default: this month so far). */
function periodOf(session: Session, q: { scope?: string; from?: string; to?: string }, now: Date) {
  const scope = readableScope(session, q.scope, STATS_ROLES);
  const to = q.to ?? shanghaiDate(now);
  const from = q.from ?? `${to.slice(0, 8)}01`;
  if (Number.isNaN(Date.parse(from)) || Number.isNaN(Date.parse(to)))
    throw new AppError('VALIDATION_FAILED', '日期不存在，请检查后重试');
  if (from > to) throw new AppError('VALIDATION_FAILED', '开始日期不能晚于结束日期');
  if (Date.parse(to) - Date.parse(from) > 366 * 86400000)
    throw new AppError('VALIDATION_FAILED', '统计区间不能超过一年');
  return { scope, from, to };
}

const DAY_MS = 86400000;
const addDays = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** The bucket a China-time day belongs to: itself, the Monday of its week, or its month. */
export function bucketOf(date: string, bucket: TrendBucket): string {
  if (bucket === 'day') return date;
  if (bucket === 'month') return date.slice(0, 7);
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
  return addDays(date, -weekday);
}

const TrendQuery = z.strictObject({
  ...periodFields,
  bucket: z.optional(z.enum(TREND_BUCKETS, { error: '分组须为 day、week 或 month' })),
});

/**
 * GET /v1/stats/trend: the period's figures by day, week or month, every bucket present (zeros where nothing
 * happened). ONE Query of the scope's day items (≤ 366), whatever the number of ratings.
 */
export async function statsTrend(session: Session, query: unknown, now: Date): Promise<StatsTrend> {
  const q = parseWith(TrendQuery, query);
  const { scope, from, to } = periodOf(session, q, now);
  const bucket = q.bucket ?? 'day';
  const points = new Map<string, TrendPoint>();
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const key = bucketOf(d, bucket);
    if (!points.has(key))
      points.set(key, {
        key,
        ratings: 0,
        citizen: 0,
        enterprise: 0,
        good: 0,
        bad: 0,
        goodRate: null,
        cases: 0,
        closed: 0,
        overdue: 0,
        visits: 0,
      });
  }
  for (const { date, counts } of await dayCountsByDate(scope, from, to)) {
    const p = points.get(bucketOf(date, bucket));
    if (!p) continue;
    p.ratings += counts.ratings;
    p.enterprise += counts.entRatings;
    p.citizen += counts.ratings - counts.entRatings;
    p.good += counts.good;
    p.bad += counts.bad;
    p.cases += counts.cases;
    p.closed += counts.closed;
    p.overdue += counts.overdue;
    p.visits += counts.visits;
  }
  for (const p of points.values()) p.goodRate = percent(p.good, p.ratings);
  return { scope, from, to, bucket, points: [...points.values()] };
}

const RankingQuery = z.strictObject({
  ...periodFields,
  unit: z.optional(z.enum(RANKING_UNITS, { error: '排名对象须为 department 或 window' })),
  by: z.optional(z.enum(RANKING_ORDERS, { error: '排名依据须为 goodRate、bad 或 overdue' })),
  minRatings: z.optional(
    z.coerce
      .number({ error: '最少评价数须为数字' })
      .check(z.int('最少评价数须为整数'), z.gte(1, '最少评价数至少为 1'), z.lte(1000, '最少评价数最多为 1000')),
  ),
  limit: z.optional(
    z.coerce
      .number({ error: '每页条数须为数字' })
      .check(z.int(), z.gte(1, '每页至少 1 条'), z.lte(100, '每页最多 100 条')),
  ),
  cursor: z.optional(z.string().check(z.regex(/^\d{1,6}$/, '翻页参数不正确'))),
});

/** Counter reads of a ranking run this many at a time (one Query per unit). */
const RANKING_CONCURRENCY = 16;

async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * GET /v1/stats/ranking: departments or windows of a scope ranked by 好评率 (only units with at least `minRatings`
 * ratings get a place; the others follow, unranked), by 差评数 or by overdue cases. Cost: the unit list (one Query
 * per 1000 units) plus ONE Query of day items per unit — O(units), never O(ratings). Equal figures share a place.
 */
export async function statsRanking(session: Session, query: unknown, now: Date): Promise<StatsRanking> {
  const q = parseWith(RankingQuery, query);
  const { scope, from, to } = periodOf(session, q, now);
  const unit = q.unit ?? 'department';
  const by = q.by ?? 'goodRate';
  const minRatings = q.minRatings ?? RANKING_MIN_RATINGS;
  const limit = q.limit ?? 20;
  const offset = Number(q.cursor ?? 0);
  const units = await unitsUnder(unit, scope);
  const rows = await mapLimit(units, RANKING_CONCURRENCY, async (u: StatUnit): Promise<RankingRow> => {
    const c = await sumDayCounts(u.path, from, to);
    return {
      id: u.id,
      name: u.name,
      path: u.path,
      parentName: u.parentName,
      ratings: c.ratings,
      good: c.good,
      bad: c.bad,
      goodRate: percent(c.good, c.ratings),
      cases: c.cases,
      overdue: c.overdue,
    };
  });
  const figure = (r: RankingRow) => (by === 'goodRate' ? (r.goodRate ?? -1) : by === 'bad' ? r.bad : r.overdue);
  const eligible = (r: RankingRow) => by !== 'goodRate' || r.ratings >= minRatings;
  const ranked = rows
    .filter(eligible)
    .sort((a, b) => figure(b) - figure(a) || b.ratings - a.ratings || a.name.localeCompare(b.name, 'zh'));
  ranked.forEach((r, i) => {
    r.rank = i > 0 && figure(ranked[i - 1]) === figure(r) ? ranked[i - 1].rank : i + 1;
  });
  const rest = rows
    .filter((r) => !eligible(r))
    .sort((a, b) => b.ratings - a.ratings || a.name.localeCompare(b.name, 'zh'));
  const all = [...ranked, ...rest];
  const items = all.slice(offset, offset + limit);
  return {
    scope,
    from,
    to,
    unit,
    by,
    minRatings,
    total: all.length,
    unranked: rest.length,
    items,
    ...(offset + limit < all.length ? { cursor: String(offset + limit) } : {}),
  };
}
