/** Officials' visits to enterprises (干部访企登记, SPEC §2.5): rules and views, zod-free for the mini-program. */

export const VISIT_PURPOSES = ['送政策', '解难题', '调研', '检查', '其他'] as const;
export type VisitPurpose = (typeof VISIT_PURPOSES)[number];

export const VISIT_RULES = {
  /** A visit may be registered up to this long after it happened. */
  maxBackdateMs: 3 * 86400_000,
  /** Clock skew tolerated for "not in the future". */
  futureToleranceMs: 5 * 60_000,
  /** A visit registered by mistake can be withdrawn within this time of its registration. */
  withdrawWindowMs: 3600_000,
  /** The enterprise rates a visit within this time of its registration. */
  ratingWindowMs: 7 * 86400_000,
  noteMax: 200,
  commentMax: 500,
  companionsMax: 10,
};

export const VISIT_SOLVED = [
  { value: 'yes', label: '已解决' },
  { value: 'partly', label: '部分解决' },
  { value: 'no', label: '未解决' },
  { value: 'na', label: '不涉及' },
] as const;
export type VisitSolved = (typeof VISIT_SOLVED)[number]['value'];

/**
 * The negative-list item that is 吃拿卡要 (offered first on the rating page).
 * @public Not imported yet: kept for pages being built (knip skips @public).
 */
export const NEGATIVE_ITEM_GRAB = 'N2';

/** A visit rating opens a case when it is 不满意/非常不满意 or cites any negative-list item. */
export function isBadVisitRating(level: number, negativeItemIds: readonly string[]): boolean {
  return level <= 2 || negativeItemIds.length > 0;
}

/** Frequency rule defaults (a prefecture setting): within `days`, ≥ perDepartment by one department or ≥ total in all. */
export const VISIT_FREQUENCY_DEFAULT = { days: 30, perDepartment: 3, total: 6 };

export type VisitStatus = 'active' | 'withdrawn';

export interface VisitRatingView {
  level: 1 | 2 | 3 | 4 | 5;
  negativeItemIds: string[];
  solved: VisitSolved;
  comment?: string;
  createdAt: string;
}

export interface VisitView {
  id: string;
  enterprise: { id: string; name: string };
  official: { name: string };
  department: { id: string; name: string };
  purpose: VisitPurpose;
  note?: string;
  companions: string[];
  visitedAt: string;
  createdAt: string;
  status: VisitStatus;
  withdrawnAt?: string;
  /** Until when the official may withdraw it. */
  withdrawableUntil: string;
  /** Until when the enterprise may rate it. */
  rateBy: string;
  rating?: VisitRatingView;
  caseId?: string;
}

export interface VisitWarningView {
  id: string;
  enterprise: { id: string; name: string };
  rule: 'department' | 'total';
  department?: { id: string; name: string };
  count: number;
  days: number;
  threshold: number;
  createdAt: string;
}

/** @public Not imported yet: kept for pages being built (knip skips @public). */
export function solvedLabel(v: string): string {
  return VISIT_SOLVED.find((s) => s.value === v)?.label ?? v;
}
