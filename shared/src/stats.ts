/**
 * Statistics DTOs and definitions (SPEC §2.6, issue 14): trends and rankings over the day counters. Zod-free, so the
 * console and the officials' pages import it without zod. The definitions are the ones the README's table states and
 * the console shows as tooltips: one text per figure, written once here.
 */
import { CASE_DEADLINES } from './facts';

/** How a trend groups days: China-time days, weeks starting on Monday, calendar months. */
export const TREND_BUCKETS = ['day', 'week', 'month'] as const;
export type TrendBucket = (typeof TREND_BUCKETS)[number];

/** One point of a trend (rates in percent, null when nothing to divide by). */
export interface TrendPoint {
  /** First day of the bucket (YYYY-MM-DD), or the month (YYYY-MM). */
  key: string;
  ratings: number;
  /** 群众评价 / 企业评价 (ratings = citizen + enterprise). */
  citizen: number;
  enterprise: number;
  good: number;
  bad: number;
  goodRate: number | null;
  cases: number;
  closed: number;
  overdue: number;
  visits: number;
}

/** GET /v1/stats/trend */
export interface StatsTrend {
  scope: string;
  from: string;
  to: string;
  bucket: TrendBucket;
  points: TrendPoint[];
}

export const RANKING_UNITS = ['department', 'window'] as const;
export type RankingUnit = (typeof RANKING_UNITS)[number];
export const RANKING_ORDERS = ['goodRate', 'bad', 'overdue'] as const;
export type RankingOrder = (typeof RANKING_ORDERS)[number];

export const RANKING_ORDER_LABELS: Record<RankingOrder, string> = {
  goodRate: '好评率',
  bad: '差评数',
  overdue: '逾期件数',
};
export const RANKING_UNIT_LABELS: Record<RankingUnit, string> = { department: '部门', window: '窗口' };

/** A unit is ranked by 好评率 only with at least this many ratings in the period (the page states it). */
export const RANKING_MIN_RATINGS = 10;

export interface RankingRow {
  /** 1-based place; absent for a unit with too few ratings to be ranked by 好评率. */
  rank?: number;
  id: string;
  name: string;
  path: string;
  /** The department of a window; the county of a department. */
  parentName: string;
  ratings: number;
  good: number;
  bad: number;
  goodRate: number | null;
  cases: number;
  overdue: number;
}

/** GET /v1/stats/ranking: one page of the ranking (cursor = the next place), plus counts. */
export interface StatsRanking {
  scope: string;
  from: string;
  to: string;
  unit: RankingUnit;
  by: RankingOrder;
  minRatings: number;
  /** Units in the scope. */
  total: number;
  /** Units below `minRatings` (by 好评率 only: listed after the ranked ones, without a place). */
  unranked: number;
  items: RankingRow[];
  cursor?: string;
}

/** Percent with one decimal, null when the denominator is zero. */
export const percent = (n: number, d: number): number | null => (d > 0 ? Math.round((n / d) * 1000) / 10 : null);

/**
 * Every figure's definition (README "Statistics definitions", console tooltips). Keys are the summary's field names.
 */
export const STAT_DEFINITIONS = {
  ratings: { label: '评价数', text: '统计期内收到的评价（群众评价与企业评价合计；申诉成立的评价不计）' },
  enterpriseRatings: { label: '企业评价', text: '已绑定企业的联系人以企业身份作出的评价数' },
  citizenRatings: { label: '群众评价', text: '评价数减去企业评价数' },
  goodRate: { label: '好评率', text: '“非常满意”“满意”评价数 ÷ 评价数' },
  badCount: { label: '差评数', text: '“不满意”“非常不满意”评价数' },
  badReplyRate: {
    label: '差评回复率',
    text: `统计期内的差评中，在回访时限（${CASE_DEADLINES.callback} 个工作日）内完成首次电话回访的条数 ÷ 差评数（按差评发生日统计）`,
  },
  callbackRectifyRate: { label: '回访整改率', text: '已反馈整改的督办件数 ÷ 新开督办件数' },
  followUpSatisfactionRate: { label: '回访整改满意率', text: '追评为满意的次数 ÷ 追评次数' },
  unratedRate: { label: '未评率', text: '评价短信发出后 7 天内未评价而过期的条数 ÷ 发出的评价短信条数' },
  casesOpened: { label: '新开督办件', text: '统计期内因差评、投诉、走访差评或监督检查新开的督办件数' },
  casesClosed: { label: '办结件数', text: '统计期内办结的督办件数' },
  overdue: { label: '逾期件数', text: '统计期内首次逾期（未按期回访或整改）的督办件数' },
  open: { label: '当前未办结', text: '此刻仍未办结的督办件数（不随统计期变化）' },
  overdueNow: { label: '当前逾期', text: '此刻处于逾期状态的督办件数（不随统计期变化）' },
  reminderLetters: { label: '工作提示函', text: '统计期内制发的工作提示函份数' },
  callbacks: { label: '电话回访', text: '统计期内记录的电话回访次数' },
  talks: { label: '约谈提示', text: '统计期内经工作提示后仍逾期、系统提示须约谈部门负责人的督办件数' },
  interviews: { label: '约谈', text: '约谈日期在统计期内的约谈人次（纪检监察逐人记录，每名被约谈人计一次）' },
  inspectionCases: { label: '监督检查发现问题', text: '统计期内纪检监察根据监督检查发现问题新开的督办件数' },
  visits: { label: '干部访企登记', text: '统计期内登记的干部走访企业次数（撤回的不计）' },
  visitSatisfactionRate: { label: '访企满意率', text: '企业对走访评价为“非常满意”“满意”的次数 ÷ 走访评价次数' },
  invitationsSent: { label: '评价短信', text: '统计期内发出的一事一评评价短信条数' },
} as const;
export type StatDefinitionKey = keyof typeof STAT_DEFINITIONS;

/** GET /v1/public/satisfaction?month= (公示): satisfaction by department, aggregates only. */
export interface PublicSatisfaction {
  month: string;
  /** A department is listed only with at least this many ratings in the month. */
  minRatings: number;
  /** When the figures were read (they are cached for a few minutes). */
  generatedAt: string;
  prefecture: { ratings: number; goodRate: number | null };
  /** Departments listed (enough ratings) and left out (too few). */
  listed: number;
  unlisted: number;
  departments: { rank: number; id: string; name: string; county: string; ratings: number; goodRate: number | null }[];
  cursor?: string;
}
