import type { CaseStatus } from './cases';
import type { PhotoView } from './photos';
import type { RatingLevel } from './rating';

/**
 * GET /v1/me/cases/{id}: the case as the person who rated or complained sees it (SPEC §2.3) — the outcome, what the
 * officials chose to publish of the rectification and the closing, and a citizen-safe timeline: no official's
 * name or id, no internal note, no deadline or escalation. Then, and only then, the 追评.
 */
export interface CitizenCaseView {
  id: string;
  source: 'rating' | 'complaint';
  status: CaseStatus;
  /** What the citizen reads as the state: 办理中 / 已办结 / 重新办理中 … */
  statusLabel: string;
  window?: { name: string };
  department?: { name: string };
  county: { name: string };
  level?: RatingLevel;
  reasons?: string[];
  category?: string;
  trackingNo?: string;
  createdAt: string;
  closedAt?: string;
  /** 已整改 / 情况不属实 / 不属本单位职责 / 申诉成立 — once closed. */
  outcome?: string;
  /** What the department reported of the rectification, as published to the filer. */
  rectificationSummary?: string;
  /** The closing note, as published to the filer. */
  closingNote?: string;
  timeline: CitizenTimelineEntry[];
  /** The photos the filer attached, as expiring links. */
  photos?: PhotoView[];
  /** The 追评: offered once per closure, after the result is shown. */
  followUp: { allowed: boolean; done: boolean };
}

export interface CitizenTimelineEntry {
  at: string;
  label: string;
  /** Published text only (the filer's own 追评 comment, a published summary or closing note). */
  text?: string;
}

/** What the citizen reads as the state of their case. */
export const CITIZEN_STATUS_LABELS: Record<CaseStatus, string> = {
  open: '已受理',
  in_progress: '办理中',
  rectified: '整改中',
  appealed: '复核中',
  closed: '已办结',
};

/** What each timeline action says to the citizen; actions not listed are internal and not shown. */
export const CITIZEN_TIMELINE_LABELS: Record<string, string> = {
  opened: '已受理，转交相关部门办理',
  forward: '已转交相关部门办理',
  assign: '已安排专人办理',
  callback: '工作人员已电话回访',
  reminder_letter: '纪检监察机关已发函督办',
  rectification: '部门已反馈整改情况',
  close: '已办结',
  follow_up: '您已追评',
  reopen: '重新办理',
};

/** A 不满意 追评 must say why (it reopens the case): the same check in the API and on the page. */
export const FOLLOW_UP_REASON_REQUIRED = '请说明不满意的原因';
