import type { Role } from './access';
import type { RatingLevel } from './rating';
import type { PhotoRef, PhotoView } from './photos';
import type { CaseActionRequest } from './case-schema';
import { FOLLOW_UP_REASON_REQUIRED } from './citizen-case';

/**
 * The case (督办件) workflow as data: states, actions, who may take each action and from which states, and
 * where it leads. The API enforces it; the officials' pages read it to offer only the legal actions.
 */
/** Where a case came from, as the officials' list filters and labels it. */
export const CASE_SOURCES = ['rating', 'complaint', 'visit', 'inspection'] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];
export const CASE_SOURCE_LABELS: Record<CaseSource, string> = {
  rating: '群众评价',
  complaint: '投诉举报',
  visit: '干部访企评价',
  inspection: '监督检查',
};

export type CaseStatus = 'open' | 'in_progress' | 'rectified' | 'appealed' | 'closed';

export const CASE_STATUS_LABELS: Record<CaseStatus, string> = {
  open: '待处理',
  in_progress: '处理中',
  rectified: '已反馈整改',
  appealed: '申诉复核中',
  closed: '已办结',
};

/** Honest outcomes only (SPEC §2.3); 申诉成立 is reached only through an upheld appeal. */
export const CLOSE_OUTCOMES = ['已整改', '情况不属实', '不属本单位职责'] as const;
export type CloseOutcome = (typeof CLOSE_OUTCOMES)[number] | '申诉成立';

const CASE_ACTIONS = [
  'forward',
  'assign',
  'callback',
  'reminder_letter',
  'rectification',
  'close',
  'follow_up',
  'reopen',
  'appeal',
  'interview',
] as const;
export type CaseActionType = (typeof CASE_ACTIONS)[number];

/** Who acts: an official role, or the citizen/enterprise who filed the rating or complaint. */
export type Actor = Role | 'owner';

export interface ActionRule {
  label: string;
  by: readonly Actor[];
  from: readonly CaseStatus[];
  /** The state after the action; 'same' keeps the current state. Actions with a decision compute it (see nextStatus). */
  to: CaseStatus | 'same';
}

const ACTIVE = ['open', 'in_progress', 'rectified'] as const;

export const CASE_RULES: Record<CaseActionType, ActionRule> = {
  // Complaints only: an inspector passes the complaint on to the department, with the text the department may read.
  forward: { label: '转办', by: ['inspector'], from: ['open', 'in_progress'], to: 'same' },
  assign: { label: '受理/分派', by: ['inspector', 'handler'], from: ACTIVE, to: 'in_progress' },
  callback: { label: '电话回访', by: ['inspector', 'handler'], from: ACTIVE, to: 'same' },
  reminder_letter: { label: '工作提示函', by: ['inspector'], from: [...ACTIVE, 'appealed'], to: 'same' },
  rectification: { label: '整改反馈', by: ['handler', 'inspector'], from: ['open', 'in_progress'], to: 'rectified' },
  close: { label: '办结', by: ['inspector'], from: ACTIVE, to: 'closed' },
  follow_up: { label: '追评', by: ['owner'], from: ['closed'], to: 'same' },
  reopen: { label: '重新办理', by: ['inspector'], from: ['closed'], to: 'in_progress' },
  appeal: {
    label: '申诉复核',
    by: ['window_staff', 'handler', 'inspector'],
    from: [...ACTIVE, 'appealed'],
    to: 'same',
  },
  // A 约谈 record, one per person talked to, on any case and in any state (SPEC §2.3): it changes no state.
  interview: { label: '约谈', by: ['inspector'], from: [...ACTIVE, 'appealed', 'closed'], to: 'same' },
};

export interface CaseFacts {
  status: CaseStatus;
  hasContact: boolean;
  callbackDone: boolean;
  rectificationReported: boolean;
  source?: CaseSource;
  /** Complaints: passed on to the department by an inspector (转办). */
  forwarded?: boolean;
  /** The filer has rated this closure (one 追评 per closure). */
  followUpDone?: boolean;
}

/** A complaint not yet forwarded is the inspectors' alone: nobody else acts on it (the filer's 追评 aside). */
export function inspectorsOnly(c: CaseFacts): boolean {
  return c.source === 'complaint' && !c.forwarded;
}

export type Refusal = {
  code: 'ILLEGAL_TRANSITION' | 'RECTIFICATION_REQUIRED' | 'CALLBACK_REQUIRED' | 'FORBIDDEN' | 'VALIDATION_FAILED';
  message: string;
};

/**
 * Is this action legal on this case by this actor? Returns the refusal (stable code, Chinese message) or the
 * resulting status. Pure: the same rule for the API and the UI.
 */
export function decide(
  c: CaseFacts,
  action: CaseActionRequest,
  actors: readonly Actor[],
): { refusal: Refusal } | { status: CaseStatus } {
  const rule = CASE_RULES[action.type];
  if (!rule.by.some((a) => actors.includes(a))) {
    return { refusal: { code: 'FORBIDDEN', message: `您无权进行“${rule.label}”操作` } };
  }
  if (inspectorsOnly(c) && action.type !== 'follow_up' && !actors.includes('inspector')) {
    return { refusal: { code: 'FORBIDDEN', message: '投诉举报须由纪检监察先行办理或转办' } };
  }
  if (!rule.from.includes(c.status)) {
    return {
      refusal: {
        code: 'ILLEGAL_TRANSITION',
        message: `督办件${CASE_STATUS_LABELS[c.status]}，不能进行“${rule.label}”`,
      },
    };
  }
  // An inspectors' own finding has nobody who rated or complained: no callback to make, no 追评 to take.
  if (c.source === 'inspection' && (action.type === 'callback' || action.type === 'follow_up')) {
    return { refusal: { code: 'ILLEGAL_TRANSITION', message: `监督检查发现的问题没有评价人，无需“${rule.label}”` } };
  }
  switch (action.type) {
    case 'forward':
      if (c.source !== 'complaint') return { refusal: { code: 'ILLEGAL_TRANSITION', message: '只有投诉举报需要转办' } };
      if (c.forwarded) return { refusal: { code: 'ILLEGAL_TRANSITION', message: '该投诉已转办' } };
      return { status: c.status };
    case 'close':
      if (action.outcome === '已整改' && !c.rectificationReported) {
        return { refusal: { code: 'RECTIFICATION_REQUIRED', message: '尚未收到整改反馈，不能以“已整改”办结' } };
      }
      if (c.hasContact && !c.callbackDone) {
        return { refusal: { code: 'CALLBACK_REQUIRED', message: '评价人留有电话，须先完成电话回访才能办结' } };
      }
      return { status: 'closed' };
    case 'follow_up':
      if (c.followUpDone) return { refusal: { code: 'ILLEGAL_TRANSITION', message: '您已对本次办结作出追评' } };
      if (!action.satisfied && !action.comment?.trim())
        return { refusal: { code: 'VALIDATION_FAILED', message: FOLLOW_UP_REASON_REQUIRED } };
      return { status: action.satisfied ? 'closed' : 'in_progress' };
    case 'appeal': {
      if (c.source !== undefined && c.source !== 'rating') {
        return { refusal: { code: 'ILLEGAL_TRANSITION', message: '申诉复核只适用于评价，不适用于投诉举报' } };
      }
      if (action.stage === 'file') {
        if (c.status === 'appealed') return { refusal: { code: 'ILLEGAL_TRANSITION', message: '申诉已在复核中' } };
        if (!actors.some((a) => a === 'window_staff' || a === 'handler')) {
          return { refusal: { code: 'FORBIDDEN', message: '申诉须由被评价窗口或部门提出' } };
        }
        if (!action.reason) return { refusal: { code: 'VALIDATION_FAILED', message: '请填写申诉理由' } };
        return { status: 'appealed' };
      }
      if (c.status !== 'appealed') return { refusal: { code: 'ILLEGAL_TRANSITION', message: '没有待复核的申诉' } };
      if (!actors.includes('inspector')) return { refusal: { code: 'FORBIDDEN', message: '申诉须由纪检监察复核' } };
      if (action.upheld === undefined || !action.note) {
        return { refusal: { code: 'VALIDATION_FAILED', message: '请选择复核结论并填写复核意见' } };
      }
      return { status: action.upheld ? 'closed' : 'in_progress' };
    }
    default:
      return { status: rule.to === 'same' ? c.status : rule.to };
  }
}

/** Actions an actor may take now, for the UI. */
export function availableActions(c: CaseFacts, actors: readonly Actor[]): CaseActionType[] {
  return CASE_ACTIONS.filter((t) => {
    if (!CASE_RULES[t].from.includes(c.status) || !CASE_RULES[t].by.some((a) => actors.includes(a))) return false;
    if (inspectorsOnly(c) && t !== 'follow_up' && !actors.includes('inspector')) return false;
    if (t === 'forward') return c.source === 'complaint' && !c.forwarded;
    if (t === 'appeal') return c.source === undefined || c.source === 'rating';
    if (t === 'follow_up') return !c.followUpDone && c.source !== 'inspection';
    if (t === 'callback') return c.source !== 'inspection';
    return true;
  });
}

/**
 * The list a case appears in (its *bucket*): open, overdue or closed. Not the case's state (CaseStatus): an
 * in-progress case is in the open bucket, an overdue one keeps its state. The public `GET /v1/cases?status=`
 * parameter names a bucket (SPEC §5).
 */
export const CASE_LIST_BUCKETS = ['open', 'overdue', 'closed'] as const;
export type CaseListBucket = (typeof CASE_LIST_BUCKETS)[number];

/** Chinese labels of timeline entries, including the system's own (opening, lapses, 约谈). */
export const TIMELINE_LABELS: Record<string, string> = {
  opened: '受理',
  overdue: '逾期提醒',
  // The scheduler's second lapse: a 约谈 is due (who was talked to is recorded by an inspector, action `interview`).
  talk: '约谈提示',
  ...Object.fromEntries(CASE_ACTIONS.map((a) => [a, CASE_RULES[a].label])),
};

/** A case as every official in scope (and its filer) sees it: never who filed it. */
export interface CaseView {
  id: string;
  source: CaseSource;
  status: CaseStatus;
  statusLabel: string;
  bucket: CaseListBucket;
  path: string;
  county: { id: string; name: string };
  department?: { id: string; name: string };
  window?: { id: string; name: string };
  ratingId?: string;
  ratingDate?: string;
  /** A visit case (source `visit`): the visit rated 不满意 or citing the negative list. */
  visit?: {
    id: string;
    officialName: string;
    enterpriseName: string;
    visitedAt: string;
    purpose: string;
    negativeItemIds: string[];
  };
  /** An inspectors' own finding (source `inspection`): the deadline they set, in working days, and who opened it. */
  inspection?: { deadlineWorkingDays: number; openedBy: string };
  level?: RatingLevel;
  reasons?: string[];
  category?: string;
  /** What departments read: for a complaint, its category and the text an inspector forwarded (never the original). */
  summary: string;
  /** Complaints: forwarded to the department (转办) and when. */
  forwarded?: boolean;
  forwardedAt?: string;
  /** Ratings: who the rater allows to call back (default the department). */
  callbackBy?: 'department' | 'inspectors';
  /** msg_sec_check verdict on the filer's text: shown to officials, never a refusal. */
  contentFlag?: 'risky' | 'review' | 'unchecked';
  /** The filer's photos (stored copies without metadata); officials get them as links in the case view. */
  photos?: PhotoRef[];
  followUpDone?: boolean;
  hasContact: boolean;
  createdAt: string;
  updatedAt: string;
  callbackDueAt: string;
  rectifyDueAt: string;
  callbackDone: boolean;
  rectificationReported: boolean;
  overdueStrikes: number;
  assignee?: string;
  /** What officials published to the filer: the rectification summary and the closing note (citizen case view). */
  publishedRectification?: string;
  publishedClosingNote?: string;
  outcome?: string;
  closedAt?: string;
  version: number;
}

export interface TimelineView {
  action: string;
  label: string;
  at: string;
  actor: { id?: string; role: string; name?: string };
  note?: string;
  data?: Record<string, unknown>;
}

export type AlertStatus = 'pending' | 'sending' | 'sent' | 'retrying' | 'failed';

export interface AlertView {
  recipientRole: string;
  channel?: 'wechat' | 'sms';
  recipient: string;
  status: AlertStatus;
  attempts: number;
  lastError?: string;
  event: string;
  updatedAt: string;
}

/** GET /v1/cases/{id} */
export interface CaseDetailView {
  case: CaseView;
  /** Inspectors only: the complaint as filed. */
  originalText?: string;
  /** The filer left a phone and this caller may reveal it (POST /v1/cases/{id}/contact, audited). */
  mayRevealContact: boolean;
  timeline: TimelineView[];
  alerts: AlertView[];
  letters: { no: string; recipient: string; issuedAt: string; pdf: string }[];
  /**
   * Photos as expiring links: the filer's (a complaint's only for inspectors, like its original text) and those of
   * rectification reports; a photo WeChat's check flagged carries `flag` and is still shown.
   */
  photos: PhotoView[];
  availableActions: CaseActionType[];
}

/** GET /v1/stats/summary (rates in percent, null when there is nothing to divide by) */
export interface StatsSummary {
  scope: string;
  from: string;
  to: string;
  ratings: { total: number; byLevel: Record<1 | 2 | 3 | 4 | 5, number>; enterprise: number; citizen: number };
  /** 好评率 of enterprise ratings (企业评价) alone. */
  enterpriseGoodRate: number | null;
  /** Officials' visits (干部访企登记) registered in the period (withdrawn ones excluded), their ratings and cases. */
  visits: {
    total: number;
    withdrawn: number;
    rated: number;
    byLevel: Record<1 | 2 | 3 | 4 | 5, number>;
    bad: number;
    negativeList: number;
    solved: number;
    cases: number;
    warnings: number;
  };
  /** 访企满意率: visit ratings at 满意 or 非常满意, of all visit ratings. */
  visitSatisfactionRate: number | null;
  goodRate: number | null;
  badCount: number;
  /** Cases opened, of them complaints; first callbacks, rectification reports, closures and first lapses (逾期) in the period. */
  cases: {
    opened: number;
    complaints: number;
    /** Opened by inspectors from their own supervision findings (source `inspection`). */
    inspections: number;
    replied: number;
    rectified: number;
    closed: number;
    overdue: number;
  };
  /** 差评 of the period whose first callback came by the callback deadline (差评回复率's numerator). */
  badRepliedInTime: number;
  /** 差评回复率 = badRepliedInTime / badCount, in percent. */
  badReplyRate: number | null;
  callbackRectifyRate: number | null;
  followUpSatisfactionRate: number | null;
  callbacks: number;
  reminderLetters: number;
  /** Second lapses after a reminder (the scheduler records that a 约谈 is due). */
  talks: number;
  /** 约谈 records, one per person talked to (action `interview`). */
  interviews: number;
  appealsUpheld: number;
  open: number;
  overdue: number;
  /** 一事一评: services reported, invitation SMS sent / delivered / failed / skipped, rated, expired unrated. */
  invitations: {
    services: number;
    sent: number;
    delivered: number;
    failed: number;
    skipped: number;
    rated: number;
    expiredUnrated: number;
  };
  /** 未评率 = invitations expired unrated / invitations sent, in percent (null when none were sent). */
  unratedRate: number | null;
}

/** POST /v1/cases/{id}/contact {reason} → the filer's contact, once per request, written to the audit trail. */
export interface RevealContactResponse {
  phone: string;
  name?: string;
}

/** POST /v1/cases/{id}/actions */
export interface CaseActionResult {
  case: { id: string; status: CaseStatus; version: number };
  entry: { action: string; at: string };
  letter?: { no: string; pdf: string };
}

/** GET /v1/alerts/failed item */
export interface FailedAlertView {
  caseId: string;
  event: string;
  recipientRole: string;
  recipient: string;
  attempts: number;
  lastError?: string;
  updatedAt: string;
}
