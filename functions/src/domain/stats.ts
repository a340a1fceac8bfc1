import { shanghaiDate, type StatsSummary } from '@mashang/shared';
import { z } from 'zod';
import { readGauges, sumDayCounts, type DayCounter } from '../data/stats';
import { AppError } from '../lib/errors';
import type { Session } from '../lib/session';
import { parseWith } from '../lib/validate';
import { readableScope } from './case-views';

const Query = z.strictObject({
  scope: z
    .string()
    .regex(/^haibei(\/[A-Za-z0-9-]+){0,3}$/, '范围格式不正确')
    .optional(),
  from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, '开始日期格式须为 YYYY-MM-DD')
    .optional(),
  to: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, '结束日期格式须为 YYYY-MM-DD')
    .optional(),
});

const ratio = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 1000) / 10 : null);

/**
 * GET /v1/stats/summary: the §2.6 figures for a scope and period, summed from the per-day counter items
 * (one Query over at most a year of days, whatever the number of ratings) plus the open/overdue gauges.
 */
export async function statsSummary(session: Session, query: unknown, now: Date): Promise<StatsSummary> {
  const q = parseWith(Query, query);
  const scope = readableScope(session, q.scope, ['inspector', 'handler', 'operator']);
  const to = q.to ?? shanghaiDate(now);
  const from = q.from ?? `${to.slice(0, 8)}01`;
  if (from > to) throw new AppError('VALIDATION_FAILED', '开始日期不能晚于结束日期');
  if (Date.parse(to) - Date.parse(from) > 366 * 86400000)
    throw new AppError('VALIDATION_FAILED', '统计区间不能超过一年');

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
    enterpriseGoodRate: ratio(n('entGood'), n('entRatings')),
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
    visitSatisfactionRate: ratio(n('visitGood'), n('visitRatings')),
    goodRate: ratio(n('good'), n('ratings')),
    badCount: n('bad'),
    cases: {
      opened: n('cases'),
      complaints: n('complaints'),
      replied: n('replied'),
      rectified: n('rectified'),
      closed: n('closed'),
    },
    badReplyRate: ratio(n('replied'), n('cases')),
    callbackRectifyRate: ratio(n('rectified'), n('cases')),
    followUpSatisfactionRate: ratio(n('satisfiedFollowUps'), n('followUps')),
    callbacks: n('callbacks'),
    reminderLetters: n('letters'),
    talks: n('talks'),
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
    unratedRate: ratio(n('invitationsExpired'), n('invitationsSent')),
  };
}
