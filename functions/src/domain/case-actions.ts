import { refreshCalendar } from './calendar';
import {
  CaseActionRequest,
  decide,
  inspectorsOnly,
  scopeContains,
  shanghaiDate,
  type Actor,
  type CaseActionResult,
  type InterviewRequest,
  type PhotoRef,
} from '@mashang/shared';
import { actorOf, auditEntry } from './audit';
import * as cases from '../data/cases';
import type { CaseBundle, CaseChange, CaseChangeOutcome } from '../data/cases';
import * as letters from '../data/letters';
import { raterKindOfRating } from '../data/ratings';
import * as requests from '../data/requests';
import { AppError, notFound } from '../lib/errors';
import type { Session } from '../lib/session';
import { count, logger } from '../lib/logger';
import { parseWith } from '../lib/validate';
import { actionText, planCaseChange, type NumberedLetter } from './case-rules';
import { contentFlag, type ContentFlag } from './content-check';
import { onceOnly, type RequestStore, type RequestTicket } from './idempotency';
import { issuerPrefix, letterNumber } from './letters';
import { erasureOf } from './retention';
import { startPhotoChecks, takePhotos } from './photo-evidence';

/** The roles with which the caller stands on this case: official grants covering it, and 'owner' for its filer. */
export function actorsOn(session: Session, bundle: CaseBundle): Actor[] {
  const c = bundle.case!;
  // Visiting officials and enterprise contacts take no part in cases: a visit case must not reach the official
  // who was rated (not even a masked phone of the rater).
  const roles: Actor[] = session.grants
    .filter((g) => g.role !== 'visiting_official' && g.role !== 'enterprise' && scopeContains(g.scope, c.path))
    .map((g) => g.role);
  if (bundle.owner?.userId === session.userId) roles.push('owner');
  return [...new Set(roles)];
}

/** A 约谈 names an official: the record is also an audit entry (who recorded whom, when). */
function interviewAudit(session: Session, path: string, caseId: string, a: InterviewRequest, now: Date) {
  return auditEntry(
    {
      actor: actorOf(session, ['inspector'], path),
      action: 'case.interview',
      target: { kind: 'case', id: caseId },
      scope: path,
      after: { name: a.name, post: a.post, date: a.date, reason: a.reason },
    },
    now,
  );
}

/** What acting on a case needs from storage (data/ in production, in-memory fakes in the unit tests). */
export interface CaseStore extends RequestStore {
  loadCase(id: string): Promise<CaseBundle>;
  commitCaseChange(change: CaseChange): Promise<CaseChangeOutcome>;
  nextLetterNumber(issuer: string, year: number): Promise<number>;
  /** The content check of an action's text (msg_sec_check); absent = not checked. */
  contentFlag?(userId: string, text: string | undefined): Promise<ContentFlag | undefined>;
  /** A rectification report's photos: the caller's uploads taken as evidence, then WeChat's image check. */
  takePhotos?(userId: string, keys: readonly string[] | undefined): Promise<PhotoRef[]>;
  startPhotoChecks?: typeof startPhotoChecks;
  /** The stored holiday calendar, installed before a reopened case's new deadline is set; absent = the package's. */
  refreshCalendar?(): Promise<void>;
  /** Who gave a rating ('enterprise' or undefined): an upheld appeal takes it out of the enterprise counters too. */
  raterKindOf?(ratingId: string): Promise<'enterprise' | undefined>;
}

const tableStore: CaseStore = {
  getStoredRequest: requests.getStoredRequest,
  loadCase: cases.loadCase,
  commitCaseChange: cases.commitCaseChange,
  nextLetterNumber: letters.nextLetterNumber,
  contentFlag,
  takePhotos,
  startPhotoChecks,
  refreshCalendar,
  raterKindOf: raterKindOfRating,
};

/** The next number of the caller's commission for a reminder letter (a gap is left if the change then fails). */
async function numberLetter(store: CaseStore, session: Session, path: string, now: Date): Promise<NumberedLetter> {
  const grant = session.grants.find((g) => g.role === 'inspector' && scopeContains(g.scope, path))!;
  const year = Number(shanghaiDate(now).slice(0, 4));
  const prefix = issuerPrefix(grant.scope);
  return { no: letterNumber(prefix, year, await store.nextLetterNumber(prefix, year)), issuer: grant.scope };
}

/**
 * POST /v1/cases/{id}/actions: load the case, check the caller may see it, plan the step (case-rules), store it
 * with the request record. A refusal changes nothing; a retried request gets the first answer; a change that
 * lost a race with another one is planned again on the fresh case.
 */
export async function actOnCase(
  session: Session,
  caseId: string,
  input: unknown,
  now: Date,
  store: CaseStore = tableStore,
  ticket?: RequestTicket,
): Promise<CaseActionResult> {
  const action = parseWith(CaseActionRequest, input);
  const { requestId, ...intent } = action;
  await store.refreshCalendar?.();
  let flag: { value?: ContentFlag } | undefined;
  let photos: PhotoRef[] | undefined;
  const photoKeys = action.type === 'rectification' ? action.photos : undefined;
  return onceOnly(
    store,
    {
      ticket,
      userId: session.userId,
      requestId,
      intent: { route: 'case-action', caseId, ...intent },
      status: 200,
      busyMessage: '督办件刚被他人更新，请刷新后重试',
      maxAttempts: 4,
    },
    async (record) => {
      const bundle = await store.loadCase(caseId);
      if (!bundle.case) throw notFound('督办件');
      const actors = actorsOn(session, bundle);
      if (actors.length === 0) throw notFound('督办件'); // outside the caller's scope: indistinguishable from unknown
      // A complaint not yet forwarded does not exist for its department, its windows or the operators.
      if (inspectorsOnly(bundle.case) && !actors.includes('inspector') && !actors.includes('owner'))
        throw notFound('督办件');
      const caller = { userId: session.userId, actors };
      // A legal reminder letter takes its number first (an atomic counter outside the case's transaction).
      const numbered = action.type === 'reminder_letter' && !('refusal' in decide(bundle.case, action, actors));
      const letter = numbered ? await numberLetter(store, session, bundle.case.path, now) : undefined;
      // Officials' notes and the filer's 追评 are checked like any text: flagged, never refused (checked once).
      if (!flag && !('refusal' in decide(bundle.case, action, actors)))
        flag = { value: await store.contentFlag?.(session.userId, actionText(action)) };
      // An upheld appeal removes the case's rating from the statistics: whose rating it was decides which counters.
      const upheld = action.type === 'appeal' && action.stage === 'decide' && action.upheld && bundle.case.ratingId;
      const raterKind = upheld ? await store.raterKindOf?.(bundle.case.ratingId!) : undefined;
      const planned = planCaseChange(
        { case: bundle.case, due: bundle.due, ...(raterKind ? { raterKind } : {}) },
        action,
        caller,
        now,
        letter,
        flag?.value,
      );
      if ('refusal' in planned) throw new AppError(planned.refusal.code, planned.refusal.message);
      // The report's photos (taken once, after the step is known to be legal) stand on its timeline entry.
      photos ??= (await store.takePhotos?.(session.userId, photoKeys)) ?? [];
      if (photos.length) planned.change.timeline.data = { ...planned.change.timeline.data, photos };
      const outcome = await store.commitCaseChange({
        ...planned.change,
        ...erasureOf(planned.change),
        ...(action.type === 'interview'
          ? { audit: interviewAudit(session, bundle.case.path, caseId, action, now) }
          : {}),
        request: record(planned.result),
      });
      if (outcome === 'stored') {
        logger.info('case action stored', {
          caseId,
          action: action.type,
          from: bundle.case.status,
          to: planned.result.case.status,
          version: planned.result.case.version,
        });
        count('CaseActions');
        await store.startPhotoChecks?.(session.userId, photos, { caseId }, now);
      }
      return { outcome, response: planned.result };
    },
  );
}
