/** The rating scale and reasons (zod-free: the mini-program's main package imports these). */
import type { PhotoView } from './photos';

/** The five levels of 国办发〔2019〕51号, best first. */
export const RATING_LEVELS = [
  { level: 5, label: '非常满意' },
  { level: 4, label: '满意' },
  { level: 3, label: '基本满意' },
  { level: 2, label: '不满意' },
  { level: 1, label: '非常不满意' },
] as const;

export type RatingLevel = 1 | 2 | 3 | 4 | 5;

/** Reason labels grouped by dimension; the API accepts exactly these labels. */
export const REASON_GROUPS = [
  { dimension: '服务态度', reasons: ['态度生硬', '推诿扯皮', '不一次性告知'] },
  { dimension: '办事效率', reasons: ['办事效率低', '多次跑腿', '超时办理', '排队时间长'] },
  { dimension: '服务规范', reasons: ['吃拿卡要', '违规收费', '政策解释不清', '材料要求不明'] },
  { dimension: '环境设施', reasons: ['设施故障', '环境脏乱', '指引不清'] },
  { dimension: '其他', reasons: ['其他'] },
] as const;

export const REASONS = REASON_GROUPS.flatMap((g) => g.reasons) as string[];

export const COMMENT_MAX = 500;
/** Mainland China mobile numbers (11 digits, 13x–19x). */
export const PHONE_PATTERN = /^1[3-9]\d{9}$/;

/** Levels 1–2 are 差评: they need a reason and open a case. */
export function isBadRating(level: number): boolean {
  return level <= 2;
}

/** Levels 4–5 count as 好评 for the 好评率. */
export function isGoodRating(level: number): boolean {
  return level >= 4;
}

/** What a rating form holds before it is sent (the API's body less its ids). */
export interface RatingDraft {
  level: number;
  reasons?: readonly string[];
  comment?: string;
  phone?: string;
  anonymous?: boolean;
}

export interface RatingProblem {
  path: 'level' | 'reasons' | 'comment' | 'phone';
  message: string;
}

export const PHONE_MESSAGE = '手机号格式不正确，请填写 11 位手机号';
export const COMMENT_TOO_LONG = `评价内容不能超过 ${COMMENT_MAX} 字`;

/**
 * The rules across a rating's fields: one function for the API's schema (SubmitRatingRequest) and the rate page,
 * so both refuse the same ratings with the same words.
 */
export function ratingRuleProblems(r: RatingDraft): RatingProblem[] {
  const out: RatingProblem[] = [];
  const reasons = r.reasons ?? [];
  if (isBadRating(r.level) && reasons.length === 0)
    out.push({ path: 'reasons', message: '请至少选择一项不满意的原因' });
  if (!isBadRating(r.level) && reasons.length > 0) out.push({ path: 'reasons', message: '只有不满意评价需要选择原因' });
  if (new Set(reasons).size !== reasons.length) out.push({ path: 'reasons', message: '评价原因不能重复' });
  if (reasons.includes('其他') && !(r.comment ?? '').trim()) {
    out.push({ path: 'comment', message: '选择“其他”时，请在下方写明具体情况' });
  }
  if (r.anonymous && r.phone) out.push({ path: 'phone', message: '匿名评价不能留手机号' });
  return out;
}

/** Everything the rate page checks before sending, in the order the person should fix it: the rules and the formats. */
export function ratingFormProblems(r: RatingDraft): RatingProblem[] {
  if (![1, 2, 3, 4, 5].includes(r.level)) return [{ path: 'level', message: '请选择满意程度' }];
  return [
    ...ratingRuleProblems(r),
    ...((r.comment ?? '').length > COMMENT_MAX ? [{ path: 'comment' as const, message: COMMENT_TOO_LONG }] : []),
    ...(r.phone && !PHONE_PATTERN.test(r.phone) ? [{ path: 'phone' as const, message: PHONE_MESSAGE }] : []),
  ];
}

export function levelLabel(level: number): string {
  return RATING_LEVELS.find((l) => l.level === level)?.label ?? String(level);
}

export interface SubmitRatingResponse {
  rating: { id: string; level: RatingLevel; createdAt: string };
  caseId: string | null;
}

export interface MyRatingItem {
  id: string;
  level: RatingLevel;
  reasons: string[];
  comment?: string;
  createdAt: string;
  window: { id: string; name: string; departmentName: string; countyName: string };
  caseId: string | null;
  caseStatus?: string;
  /** The photos the rater attached, as expiring links (no content-check marks: those are for officials). */
  photos?: PhotoView[];
}
