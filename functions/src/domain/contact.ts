import { mayRevealContact, RevealContactRequest, type RevealContactResponse } from '@mashang/shared';
import { loadCase } from '../data/cases';
import { decryptPii } from '../lib/crypto';
import { AppError, forbidden, notFound } from '../lib/errors';
import type { Session } from '../lib/session';
import { parseWith } from '../lib/validate';
import { actorOf, recordAudit } from './audit';
import { actorsOn } from './case-actions';
import { visibleTo } from './case-views';

/**
 * POST /v1/cases/{id}/contact {reason}: the filer's phone (and a complainant's name) for someone allowed to call
 * (shared/src/contact.ts mayRevealContact: inspectors; the department handler for a rating whose rater chose the
 * department). The audit entry (who, in which role, when, which case, why) is written first: no entry, no number.
 */
export async function revealContact(
  session: Session,
  caseId: string,
  input: unknown,
  now: Date,
): Promise<RevealContactResponse> {
  const { reason } = parseWith(RevealContactRequest, input);
  const bundle = await loadCase(caseId);
  if (!bundle.case) throw notFound('督办件');
  const c = bundle.case;
  const actors = actorsOn(session, bundle);
  if (!visibleTo(c, actors)) throw notFound('督办件');
  if (!mayRevealContact(c.source, c.callbackBy, actors)) throw forbidden();
  const owner = bundle.owner;
  if (!owner?.phone) throw new AppError('NOT_FOUND', '该督办件没有留下联系电话');
  const actor = actorOf(session, actors.includes('inspector') ? ['inspector'] : ['handler'], c.path);
  await recordAudit(
    { actor, action: 'contact.reveal', target: { kind: 'case', id: caseId }, scope: c.path, reason },
    now,
  );
  return {
    phone: decryptPii(owner.phone),
    ...(c.source === 'complaint' && owner.name ? { name: decryptPii(owner.name) } : {}),
  };
}
