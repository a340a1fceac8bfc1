import {
  CASE_DEADLINES,
  decide,
  isBadRating,
  shanghaiDate,
  type Actor,
  type CaseActionRequest,
  type CaseActionResult,
  type Refusal,
  type Role,
} from '@mashang/shared';
import { workingDeadline } from '@mashang/shared/src/calendar';
import type { CaseBundle, CaseChange, CaseItem } from '../data/cases';
import { caseEvent } from './case-opening';
import { enterpriseRatingCounters, negated, ratingCounters } from './counters';

/** Who acts on a case: the caller's id and the roles with which they stand on it (see actorsOn). */
export interface CaseCaller {
  userId: string;
  actors: Actor[];
}

/** A reminder letter's number and issuer, taken from the issuer's counter before the plan is made. */
export interface NumberedLetter {
  no: string;
  issuer: string;
}

export interface CasePlan {
  change: CaseChange;
  result: CaseActionResult;
}

const ROLE_RANK: Role[] = ['inspector', 'handler', 'window_staff', 'operator'];

/** The role a timeline entry names for the caller: the highest official role, else the filer. */
function primaryRole(actors: Actor[]): string {
  return ROLE_RANK.find((r) => actors.includes(r)) ?? (actors.includes('owner') ? 'owner' : 'unknown');
}

export const letterPdfPath = (caseId: string, no: string) =>
  `/v1/cases/${caseId}/letters/${encodeURIComponent(no)}.pdf`;

/**
 * What one workflow action does to a case, decided without any I/O: the refusal (nothing changes), or the case
 * after it, its timeline entry, the counters and gauges it moves, its deadline marker, the outbox event and
 * what the caller is answered. The caller stores the change (data/cases commitCaseChange) with its request record.
 */
export function planCaseChange(
  bundle: Pick<CaseBundle, 'due'> & {
    case: CaseItem;
    /** Who gave the case's rating ('enterprise': it also counts in entRatings), read for an upheld appeal. */
    raterKind?: 'enterprise';
  },
  action: CaseActionRequest,
  caller: CaseCaller,
  now: Date,
  letter?: NumberedLetter,
  /** msg_sec_check verdict on the action's text: recorded on its timeline entry for officials (never a refusal). */
  contentFlag?: 'risky' | 'review' | 'unchecked',
): { refusal: Refusal } | CasePlan {
  const before = bundle.case;
  const verdict = decide(before, action, caller.actors);
  if ('refusal' in verdict) return verdict;

  const caseId = before.id;
  const at = now.toISOString();
  const after: CaseItem = { ...before, status: verdict.status, updatedAt: at, version: before.version + 1 };
  const change: CaseChange = {
    before,
    after,
    timeline: {
      caseId,
      at,
      seq: String(before.version).padStart(3, '0'),
      action: action.type,
      actor: { id: caller.userId, role: primaryRole(caller.actors) },
    },
    counters: {},
    gauges: {},
  };
  let letterLink: CaseActionResult['letter'];

  const reopen = () => {
    after.bucket = 'open';
    after.closedAt = undefined;
    after.outcome = undefined;
    after.rectificationReported = false;
    after.publishedClosingNote = undefined;
    after.rectifyDueAt = workingDeadline(now, CASE_DEADLINES.rectify);
    change.gauges = { open: 1 };
    change.due = { caseId, dueAt: after.rectifyDueAt, kind: 'rectify', path: after.path };
    change.event = caseEvent(after, 'reopened', at);
  };
  const close = (outcome: string) => {
    after.followUpDone = false; // a new closure: its filer may rate it once
    after.bucket = 'closed';
    after.outcome = outcome;
    after.closedAt = at;
    change.counters = { ...change.counters, closed: 1 };
    change.gauges = { open: -1, ...(before.bucket === 'overdue' ? { overdue: -1 } : {}) };
    change.due = 'remove';
    change.event = caseEvent(after, 'closed', at);
  };

  switch (action.type) {
    case 'forward':
      if (!before.department) {
        return { refusal: { code: 'VALIDATION_FAILED', message: '该投诉未关联具体部门，无法转办；请直接办理' } };
      }
      after.forwarded = true;
      after.forwardedAt = at;
      // What the department reads from now on: the category and the inspector's text, never the original.
      after.summary = `【${before.category ?? '投诉举报'}】${action.text}`;
      change.timeline.note = `转办至${before.department.name}：${action.text}`;
      change.timeline.data = { department: before.department.name };
      change.event = caseEvent(after, 'forwarded', at);
      break;
    case 'assign':
      after.assignee = action.assignee;
      change.timeline.note = action.note ?? `分派给 ${action.assignee}`;
      change.timeline.data = { assignee: action.assignee };
      break;
    case 'callback':
      after.callbackDone = true;
      change.timeline.note = action.note;
      change.timeline.data = { reached: action.reached };
      change.counters = { callbacks: 1, ...(before.callbackDone ? {} : { replied: 1 }) };
      if (repliedInTime(before, now)) {
        // 差评回复率: the 差评's own day gains a reply in time (the denominator `bad` is counted on that day too).
        after.badRepliedInTime = true;
        change.extraCounters = [{ date: before.ratingDate!, path: before.path, add: { badRepliedInTime: 1 } }];
      }
      if (!before.callbackDone && bundle.due?.kind === 'callback') {
        change.due = { caseId, dueAt: before.rectifyDueAt, kind: 'rectify', path: before.path };
      }
      if (before.status === 'open') after.status = 'in_progress';
      break;
    case 'reminder_letter': {
      if (!letter) throw new Error('a reminder letter needs its number');
      change.letter = {
        caseId,
        no: letter.no,
        recipient: action.recipient,
        text: action.text,
        issuer: letter.issuer,
        issuedAt: at,
        issuedBy: caller.userId,
      };
      change.timeline.note = `制发工作提示函 ${letter.no}，受文单位：${action.recipient}`;
      // The letter as issued stands on the timeline (its text, not only its number).
      change.timeline.data = { no: letter.no, recipient: action.recipient, text: action.text };
      change.counters = { letters: 1 };
      letterLink = { no: letter.no, pdf: letterPdfPath(caseId, letter.no) };
      break;
    }
    case 'rectification':
      after.rectificationReported = true;
      change.timeline.note = action.report;
      if (action.publicSummary) {
        after.publishedRectification = action.publicSummary;
        change.timeline.data = { publicSummary: action.publicSummary };
      }
      change.counters = { rectified: 1 };
      change.due = 'remove';
      break;
    case 'close':
      close(action.outcome);
      change.timeline.note = action.note;
      change.timeline.data = {
        outcome: action.outcome,
        ...(action.publicNote ? { publicNote: action.publicNote } : {}),
      };
      after.publishedClosingNote = action.publicNote;
      break;
    case 'follow_up':
      after.followUpDone = true;
      change.timeline.note = action.comment ?? (action.satisfied ? '满意' : '不满意');
      change.timeline.data = { satisfied: action.satisfied };
      change.counters = { followUps: 1, ...(action.satisfied ? { satisfiedFollowUps: 1 } : {}) };
      if (!action.satisfied) {
        reopen();
        change.timeline.note = `追评不满意，督办件重新办理。${action.comment ?? ''}`.trim();
      }
      break;
    case 'reopen':
      reopen();
      change.timeline.note = action.reason;
      break;
    case 'interview':
      if (action.date > shanghaiDate(now)) {
        return { refusal: { code: 'VALIDATION_FAILED', message: '约谈日期不能晚于今天' } };
      }
      if (action.date < shanghaiDate(before.createdAt)) {
        return { refusal: { code: 'VALIDATION_FAILED', message: '约谈日期不能早于督办件受理日期' } };
      }
      change.timeline.note = `约谈${action.name}（${action.post}）：${action.reason}`;
      change.timeline.data = { name: action.name, post: action.post, date: action.date, reason: action.reason };
      // Counted on the day the 约谈 took place (a record entered days later still counts in its month).
      change.extraCounters = [{ path: before.path, date: action.date, add: { interviews: 1 } }];
      break;
    case 'appeal':
      if (action.stage === 'file') {
        change.timeline.note = action.reason;
        change.timeline.data = { stage: 'file' };
        change.counters = { appeals: 1 };
      } else if (action.upheld) {
        close('申诉成立');
        change.timeline.note = action.note;
        change.timeline.data = { stage: 'decide', upheld: true };
        change.counters = { ...change.counters, appealsUpheld: 1 };
        if (before.ratingId && before.ratingDate && before.level) {
          // The rating stays (immutable) but leaves the statistics of its own day, in this same transaction.
          change.extraCounters = [
            {
              date: before.ratingDate,
              path: before.path,
              add: {
                ...negated(ratingCounters(before.level)),
                // An enterprise's rating leaves the enterprise counters (企业评价) with it.
                ...(bundle.raterKind === 'enterprise' ? negated(enterpriseRatingCounters(before.level)) : {}),
                ...(before.badRepliedInTime ? { badRepliedInTime: -1 } : {}),
              },
            },
          ];
          change.excludeRating = before.ratingId;
        }
      } else {
        change.timeline.note = action.note;
        change.timeline.data = { stage: 'decide', upheld: false };
      }
      break;
  }
  change.timeline.data = {
    ...change.timeline.data,
    from: before.status,
    to: after.status,
    ...(contentFlag ? { contentFlag } : {}),
  };
  // The answer names the state as stored (a first callback moves an open case on to in_progress).
  const result: CaseActionResult = {
    case: { id: caseId, status: after.status, version: after.version },
    entry: { action: action.type, at },
    ...(letterLink ? { letter: letterLink } : {}),
  };
  return { change, result };
}

/**
 * A first callback that counts for 差评回复率: the case came from a window's 差评 (a rating at 不满意 or 非常不满意) and
 * is called back for the first time no later than its callback deadline.
 */
function repliedInTime(c: CaseItem, now: Date): boolean {
  return (
    c.source === 'rating' &&
    !c.callbackDone &&
    !!c.ratingDate &&
    c.level !== undefined &&
    isBadRating(c.level) &&
    now.getTime() <= Date.parse(c.callbackDueAt)
  );
}

/** The free text an action carries (checked by msg_sec_check and flagged). */
export function actionText(a: CaseActionRequest): string | undefined {
  switch (a.type) {
    case 'forward':
    case 'reminder_letter':
      return a.text;
    case 'assign':
    case 'callback':
    case 'close':
      return a.note;
    case 'rectification':
      return a.report;
    case 'follow_up':
      return a.comment;
    case 'reopen':
      return a.reason;
    case 'appeal':
      return [a.reason, a.note].filter(Boolean).join('\n') || undefined;
    case 'interview':
      return a.reason;
  }
}
