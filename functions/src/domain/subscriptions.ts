import { isOfficial, type FailedAlertView } from '@mashang/shared';
import * as z from 'zod/mini';
import { failedAlerts } from '../data/alerts';
import { recordNoticeConsent } from '../data/owners';
import { setSubscribed } from '../data/users';
import { forbidden, notFound } from '../lib/errors';
import type { Session } from '../lib/session';
import { parseWith } from '../lib/validate';
import { readableScope } from './case-views';

/** Officials (case alerts) and bound enterprise contacts (visit notices) record their subscribe-message consent. */
export async function setSubscription(session: Session, accepted: boolean) {
  if (!isOfficial(session.grants) && !session.grants.some((g) => g.role === 'enterprise')) throw forbidden();
  await setSubscribed(session.userId, accepted, new Date().toISOString());
  return { subscribed: accepted };
}

/**
 * The filer's answer to the subscribe-message request made on their submit tap (处理结果通知, domain/owner-notices),
 * for the case that submission opened. Someone else's case, or an unknown one, is not found and changes nothing.
 */
export async function consentToOwnerNotice(session: Session, caseId: string, accepted: boolean, now = new Date()) {
  if (!(await recordNoticeConsent(caseId, session.userId, accepted, now.toISOString()))) throw notFound('督办件');
  return { subscribed: accepted, caseId };
}

export async function failedAlertsFor(session: Session, query: unknown): Promise<{ items: FailedAlertView[] }> {
  const q = parseWith(z.strictObject({ scope: z.optional(z.string().check(z.maxLength(200))) }), query);
  const scope = readableScope(session, q.scope, ['inspector']);
  const items = await failedAlerts(scope);
  return {
    items: items.map((a) => ({
      caseId: a.caseId,
      event: a.eventKind,
      recipientRole: a.recipientRole,
      recipient: a.recipientMasked,
      attempts: a.attempts,
      lastError: a.lastError,
      updatedAt: a.updatedAt,
    })),
  };
}
