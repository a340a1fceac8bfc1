import {
  BindEnterpriseRequest,
  canAccess,
  type BindEnterpriseResponse,
  type EnterpriseContactView,
} from '@mashang/shared';
import { contactBindingItems, deleteContact, getContact, listContacts } from '../data/contacts';
import { getEnterprise, type EnterpriseItem } from '../data/registry';
import { loadUser } from '../data/users';
import { AppError, forbidden, notFound } from '../lib/errors';
import { decryptPii, encryptPii, maskPhone } from '../lib/crypto';
import { issueToken, type Session } from '../lib/session';
import { parseWith } from '../lib/validate';
import { checkBindingAttempt, countBindingFailure, redeemBindingCode } from './bindings';
import { actorOf, recordAudit } from './audit';
import { resolveCode } from './codes';

/** The role grant a bound contact holds: `enterprise` at the enterprise's scope path. */
export const enterpriseGrant = (e: { path: string }) => ({ role: 'enterprise' as const, scope: e.path });

/**
 * 绑定为本企业联系人: the scanned enterprise code, its 统一社会信用代码 and a one-time binding code. On success the
 * caller becomes a contact (several per enterprise are allowed) and gets a token carrying the new grant.
 */
export async function bindEnterpriseContact(
  session: Session,
  input: unknown,
  now: Date,
): Promise<BindEnterpriseResponse> {
  const body = parseWith(BindEnterpriseRequest, input);
  const target = await resolveCode(body.code);
  if (target.kind !== 'enterprise') throw new AppError('VALIDATION_FAILED', '请扫描企业监督码进行绑定');
  const e = target.enterprise;
  const subject = { kind: 'enterprise' as const, id: e.id };
  await checkBindingAttempt(subject, session.userId, now);
  if (body.creditCode !== e.creditCode) {
    await countBindingFailure(subject, now);
    throw new AppError('CREDIT_CODE_MISMATCH', '统一社会信用代码与该企业不符，请核对营业执照');
  }
  await redeemBindingCode(
    subject,
    body.bindingCode,
    session.userId,
    now,
    contactBindingItems(
      {
        enterpriseId: e.id,
        userId: session.userId,
        name: body.name,
        phone: body.phone ? encryptPii(body.phone) : undefined,
        boundAt: now.toISOString(),
      },
      enterpriseGrant(e),
    ),
  );
  const { grants, grantsVersion } = await loadUser(session.userId);
  return {
    enterprise: { id: e.id, name: e.name, county: e.county },
    token: await issueToken({ userId: session.userId, grants, grantsVersion }),
    user: { id: session.userId, roles: grants },
  };
}

export async function operatorEnterprise(session: Session, id: string): Promise<EnterpriseItem> {
  const e = await getEnterprise(id);
  if (!e) throw notFound('企业');
  if (!canAccess(session.grants, ['operator'], e.path)) throw forbidden();
  return e;
}

/** Operators list an enterprise's contacts (phone masked). */
export async function enterpriseContacts(
  session: Session,
  enterpriseId: string,
  cursor?: string,
): Promise<{ items: EnterpriseContactView[]; cursor?: string }> {
  await operatorEnterprise(session, enterpriseId);
  const page = await listContacts(enterpriseId, cursor, 50);
  return {
    items: page.items.map((c) => ({
      userId: c.userId,
      name: c.name,
      phone: c.phone ? maskPhone(decryptPii(c.phone)) : undefined,
      boundAt: c.boundAt,
    })),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  };
}

/** Operators unbind a contact: the contact and its grant go; unbinding twice answers NOT_FOUND and changes nothing. */
export async function unbindEnterpriseContact(
  session: Session,
  enterpriseId: string,
  userId: string,
): Promise<{ unbound: true }> {
  const e = await operatorEnterprise(session, enterpriseId);
  if (!(await deleteContact(e.id, userId, enterpriseGrant(e)))) throw notFound('企业联系人');
  await recordAudit({
    actor: actorOf(session, ['operator'], e.path),
    action: 'binding.unbind',
    target: { kind: 'binding', id: `${e.id}/${userId}`, name: e.name },
    scope: e.path,
    before: { role: 'enterprise', enterpriseId: e.id, userId },
  });
  return { unbound: true };
}

/** Is the caller a bound contact of the enterprise (checked against the data, not only the token)? */
export async function isBoundContact(session: Session, enterprise: { id: string; path: string }): Promise<boolean> {
  if (!session.grants.some((g) => g.role === 'enterprise' && g.scope === enterprise.path)) return false;
  return !!(await getContact(enterprise.id, session.userId));
}
