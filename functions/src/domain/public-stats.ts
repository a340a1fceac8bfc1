import { percent, PREFECTURE_ID, RANKING_MIN_RATINGS, shanghaiDate, type PublicSatisfaction } from '@mashang/shared';
import * as z from 'zod/mini';
import { sumDayCounts, unitsUnder } from '../data/stats';
import { AppError } from '../lib/errors';
import { TtlCache } from '../lib/ttl-cache';
import { parseWith } from '../lib/validate';
import { enforce } from './limits';

/** Public reads per address and minute: plenty for a person, a wall for a script (a CDN in front serves the rest). */
export const PUBLIC_READS_PER_ADDRESS_PER_MINUTE = 60;
/** Figures are computed at most once per month, instance and this many seconds. */
const CACHE_SECONDS = 300;

const Query = z.strictObject({
  month: z.optional(z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式须为 YYYY-MM'))),
  limit: z.optional(
    z.coerce.number({ error: '每页条数须为数字' }).check(z.int(), z.gte(1), z.lte(100, '每页最多 100 条')),
  ),
  cursor: z.optional(z.string().check(z.regex(/^\d{1,4}$/, '翻页参数不正确'))),
});

type Computed = Omit<PublicSatisfaction, 'departments' | 'cursor'> & { all: PublicSatisfaction['departments'] };
const cache = new TtlCache<string, Computed>(CACHE_SECONDS * 1000, 50);

const lastDay = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
};

/** The month's figures: every department's day counters of the month (≈ 70 Queries), no rating is read. */
async function compute(month: string, now: Date): Promise<Computed> {
  const from = `${month}-01`;
  const to = lastDay(month);
  const departments = await unitsUnder('department', PREFECTURE_ID);
  const rows: { d: (typeof departments)[number]; ratings: number; good: number }[] = [];
  for (let i = 0; i < departments.length; i += 16) {
    const chunk = departments.slice(i, i + 16);
    const sums = await Promise.all(chunk.map((d) => sumDayCounts(d.path, from, to)));
    chunk.forEach((d, j) => rows.push({ d, ratings: sums[j].ratings, good: sums[j].good }));
  }
  const total = await sumDayCounts(PREFECTURE_ID, from, to);
  const listed = rows
    .filter((r) => r.ratings >= RANKING_MIN_RATINGS)
    .map((r) => ({
      id: r.d.id,
      name: r.d.name,
      county: r.d.parentName,
      ratings: r.ratings,
      goodRate: percent(r.good, r.ratings),
    }))
    .sort(
      (a, b) => (b.goodRate ?? 0) - (a.goodRate ?? 0) || b.ratings - a.ratings || a.name.localeCompare(b.name, 'zh'),
    );
  const all = listed.map((r, i) => ({
    rank: i > 0 && listed[i - 1].goodRate === r.goodRate ? 0 : i + 1,
    ...r,
  }));
  all.forEach((r, i) => {
    if (r.rank === 0) r.rank = all[i - 1].rank;
  });
  return {
    month,
    minRatings: RANKING_MIN_RATINGS,
    generatedAt: now.toISOString(),
    prefecture: { ratings: total.ratings, goodRate: percent(total.good, total.ratings) },
    listed: all.length,
    unlisted: rows.length - all.length,
    all,
  };
}

/**
 * GET /v1/public/satisfaction?month= (公示, no login): satisfaction by department for a month — department name,
 * county, number of ratings and 好评率, for departments with enough ratings only; no person, no comment. Rate-limited
 * per address; cached per instance for 5 minutes and answered with Cache-Control so a CDN serves most reads
 * (the current month for 5 minutes, a past month, whose figures no longer change, for a day).
 */
export async function publicSatisfaction(
  query: unknown,
  sourceIp: string,
  now: Date,
): Promise<{ body: PublicSatisfaction; cacheControl: string }> {
  const q = parseWith(Query, query);
  const thisMonth = shanghaiDate(now).slice(0, 7);
  const month = q.month ?? thisMonth;
  if (month > thisMonth) throw new AppError('VALIDATION_FAILED', '该月份尚未开始，没有可公示的数据');
  await enforce(`public-ip#${sourceIp}`, PUBLIC_READS_PER_ADDRESS_PER_MINUTE, 60, now);
  let c = cache.get(month, now.getTime());
  if (!c) {
    c = await compute(month, now);
    cache.set(month, c, now.getTime());
  }
  const { all, ...rest } = c;
  const offset = Number(q.cursor ?? 0);
  const limit = q.limit ?? 100;
  return {
    body: {
      ...rest,
      departments: all.slice(offset, offset + limit),
      ...(offset + limit < all.length ? { cursor: String(offset + limit) } : {}),
    },
    cacheControl:
      month === thisMonth
        ? `public, max-age=${CACHE_SECONDS}, s-maxage=${CACHE_SECONDS}`
        : 'public, max-age=3600, s-maxage=86400',
  };
}
