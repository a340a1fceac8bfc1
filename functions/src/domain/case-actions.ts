import {
  CaseActionRequest,
  decide,
  scopeContains,
  shanghaiDate,
  type Actor,
  type CaseActionResult,
  type Role,
} from '@mashang/shared';
import { workingDeadline } from '@mashang/shared/src/calendar';
import { commitCaseChange, loadCase, nextLetterNumber, type CaseBundle, type CaseItem } from '../data/cases';
import { K } from '../data/keys';
import { ratingCounters } from '../data/ratings';
import { getStoredRequest } from '../data/requests';
import { table } from '../data/client';
import { AppError, notFound } from '../lib/errors';
import { sha256 } from '../lib/crypto';
import type { Session } from '../lib/session';
import { parseWith } from '../lib/validate';
import { DEADLINES } from './case-opening';
import { issuerPrefix, letterNumber } from './letters';

/** The roles with which the caller stands on this case: official grants covering it, and 'owner' for its filer. */
export function actorsOn(session: Session, bundle: CaseBundle): Actor[] {
  const c = bundle.case!;
  const roles: Actor[] = session.grants.filter((g) => scopeContains(g.scope, c.path)).map((g) => g.role);
  if (bundle.owner?.userId === session.userId) roles.push('owner');
  return [...new Set(roles)];
}

const ROLE_RANK: Role[] = ['inspector', 'handler', 'window_staff', 'operator'];
function primaryRole(actors: Actor[]): string {
  return ROLE_RANK.find((r) => actors.includes(r)) ?? (actors.includes('owner') ? 'owner' : 'unknown');
}

export type ActionResult = CaseActionResult;

const MAX_RETRIES = 3;

/** POST /v1/cases/{id}/actions: one legal step of the workflow, recorded on the timeline, or a refusal that changes nothing. */
export async function actOnCase(session: Session, caseId: string, input: unknown, now: Date): Promise<ActionResult> {
  const action = parseWith(CaseActionRequest, input);
  const bodyHash = sha256(JSON.stringify({ ...action, requestId: undefined, caseId }));
  for (let attempt = 0; ; attempt++) {
    const stored = await getStoredRequest(session.userId, action.requestId);
    if (stored) {
      if (stored.bodyHash !== bodyHash) throw new AppError('IDEMPOTENCY_KEY_REUSED', '该请求编号已用于另一项操作，请刷新后重试');
      return stored.response as ActionResult;
    }
    const bundle = await loadCase(caseId);
    if (!bundle.case) throw notFound('督办件');
    const actors = actorsOn(session, bundle);
    if (actors.length === 0) throw notFound('督办件'); // outside the caller's scope: indistinguishable from unknown
    const before = bundle.case;
    const verdict = decide(before, action, actors);
    if ('refusal' in verdict) throw new AppError(verdict.refusal.code, verdict.refusal.message);

    const at = now.toISOString();
    const role = primaryRole(actors);
    const after: CaseItem = { ...before, status: verdict.status, updatedAt: at, version: before.version + 1 };
    const change: Parameters<typeof commitCaseChange>[0] = {
      before,
      after,
      timeline: { caseId, at, seq: String(before.version).padStart(3, '0'), action: action.type, actor: { id: session.userId, role } },
      counters: {},
      gauges: {},
    };
    let result: ActionResult = { case: { id: caseId, status: after.status, version: after.version }, entry: { action: action.type, at } };
    const reopen = () => {
      after.bucket = 'open';
      after.closedAt = undefined;
      after.outcome = undefined;
      after.rectificationReported = false;
      after.rectifyDueAt = workingDeadline(now, DEADLINES[after.source].rectify);
      change.gauges = { open: 1 };
      change.due = { caseId, dueAt: after.rectifyDueAt, kind: 'rectify', path: after.path };
      change.event = { caseId, eventId: `EVT#${at}#reopened`, kind: 'reopened', at, path: after.path, source: after.source, summary: after.summary, windowName: after.window?.name };
    };
    const close = (outcome: string) => {
      after.bucket = 'closed';
      after.outcome = outcome;
      after.closedAt = at;
      change.counters = { ...change.counters, closed: 1 };
      change.gauges = { open: -1, ...(before.bucket === 'overdue' ? { overdue: -1 } : {}) };
      change.due = 'remove';
      change.event = { caseId, eventId: `EVT#${at}#closed`, kind: 'closed', at, path: after.path, source: after.source, summary: after.summary, windowName: after.window?.name };
    };

    switch (action.type) {
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
        if (!before.callbackDone && bundle.due?.kind === 'callback') {
          change.due = { caseId, dueAt: before.rectifyDueAt, kind: 'rectify', path: before.path };
        }
        if (before.status === 'open') after.status = 'in_progress';
        break;
      case 'reminder_letter': {
        const grant = session.grants.find((g) => g.role === 'inspector' && scopeContains(g.scope, before.path))!;
        const year = Number(shanghaiDate(now).slice(0, 4));
        const no = letterNumber(issuerPrefix(grant.scope), year, await nextLetterNumber(issuerPrefix(grant.scope), year));
        change.puts = [{ pk: K.case(caseId).pk, sk: `LETTER#${no}`, type: 'letter', caseId, no, recipient: action.recipient, text: action.text, issuer: grant.scope, issuedAt: at, issuedBy: session.userId }];
        change.timeline.note = `制发工作提示函 ${no}，受文单位：${action.recipient}`;
        change.timeline.data = { no, recipient: action.recipient };
        change.counters = { letters: 1 };
        result = { ...result, letter: { no, pdf: `/v1/cases/${caseId}/letters/${encodeURIComponent(no)}.pdf` } };
        break;
      }
      case 'rectification':
        after.rectificationReported = true;
        change.timeline.note = action.report;
        change.counters = { rectified: 1 };
        change.due = 'remove';
        break;
      case 'close':
        close(action.outcome);
        change.timeline.note = action.note;
        change.timeline.data = { outcome: action.outcome };
        break;
      case 'follow_up':
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
            const minus = Object.fromEntries(Object.entries(ratingCounters(before.level as 1 | 2)).map(([k, v]) => [k, -v]));
            change.extraCounters = [{ date: before.ratingDate, path: before.path, add: minus }];
            change.updates = [{ TableName: table(), Key: K.rating(before.ratingId), UpdateExpression: 'SET excluded = :t, excludedBy = :c', ExpressionAttributeValues: { ':t': true, ':c': caseId } }];
          }
        } else {
          change.timeline.note = action.note;
          change.timeline.data = { stage: 'decide', upheld: false };
        }
        break;
    }
    change.timeline.data = { ...change.timeline.data, from: before.status, to: after.status };
    change.request = { userId: session.userId, requestId: action.requestId, bodyHash, status: 200, response: result };
    const outcome = await commitCaseChange(change);
    if (outcome === 'stored') return result;
    if (attempt >= MAX_RETRIES) throw new AppError('CONFLICT', '督办件刚被他人更新，请刷新后重试');
  }
}

