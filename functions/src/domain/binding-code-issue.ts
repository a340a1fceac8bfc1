import { IssueBindingCodesRequest, type IssuedBindingCode } from '@mashang/shared';
import { getStoredRequest } from '../data/requests';
import { sendSms } from '../gateways/sms';
import { AppError } from '../lib/errors';
import { decryptPii, maskPhone } from '../lib/crypto';
import type { Session } from '../lib/session';
import { parseWith } from '../lib/validate';
import { issueBindingCodes, type IssuedCode } from './bindings';
import { operatorEnterprise } from './enterprise-contacts';
import { onceOnly, type RequestTicket } from './idempotency';
import { actorOf, recordAudit } from './audit';

/** Tencent Cloud SMS template of the binding-code message: {1} enterprise, {2} code, {3} days valid. */
export const SMS_TEMPLATE_BINDING = process.env.SMS_TEMPLATE_BINDING ?? '2046003';

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * Operators issue binding codes in bulk: shown (for a printed notice) or sent by SMS to the contact phone in the
 * registry. Idempotent by requestId: a retry answers the same codes (stored sealed) and sends nothing again.
 */
export async function issueEnterpriseBindingCodes(
  session: Session,
  input: unknown,
  now: Date,
  ticket?: RequestTicket,
): Promise<{ items: IssuedBindingCode[] }> {
  const body = parseWith(IssueBindingCodesRequest, input);
  const ids = [...new Set(body.enterpriseIds)];
  return onceOnly<{ items: IssuedBindingCode[] }>(
    { getStoredRequest },
    {
      ticket,
      userId: session.userId,
      requestId: body.requestId,
      intent: { route: 'binding-codes', ids, delivery: body.delivery },
      status: 201,
      busyMessage: '发放繁忙，请稍后重试',
      maxAttempts: 3,
    },
    async (record) => {
      const enterprises = await Promise.all(ids.map((id) => operatorEnterprise(session, id)));
      if (body.delivery === 'sms') {
        const missing = enterprises.filter((e) => !e.contactPhone);
        if (missing.length)
          throw new AppError(
            'VALIDATION_FAILED',
            `以下企业未登记联系电话，无法短信发送：${missing.map((e) => e.name).join('、')}`,
          );
      }
      const byId = new Map(enterprises.map((e) => [e.id, e]));
      const toItems = (issued: IssuedCode[]): IssuedBindingCode[] =>
        issued.map((i) => {
          const e = byId.get(i.subject.id)!;
          return {
            enterpriseId: e.id,
            enterpriseName: e.name,
            validUntil: i.validUntil,
            ...(body.delivery === 'show' ? { code: i.code } : { sentTo: maskPhone(decryptPii(e.contactPhone!)) }),
          };
        });
      const issued = await issueBindingCodes(
        enterprises.map((e) => ({ kind: 'enterprise', id: e.id })),
        session.userId,
        now,
        (i) => record({ items: toItems(i) }),
      );
      if (issued === 'duplicate-request' || issued === 'conflict') return { outcome: issued, response: { items: [] } };
      if (body.delivery === 'sms') {
        // Sent after the codes are stored: a failed send leaves a valid code the operator can reissue or show.
        await Promise.all(
          issued.map(async (i) => {
            const e = byId.get(i.subject.id)!;
            const r = await sendSms(
              decryptPii(e.contactPhone!),
              SMS_TEMPLATE_BINDING,
              [clip(e.name, 20), i.code, '7'],
              `binding#${e.id}#${body.requestId}`,
            );
            if (!r.ok) throw new AppError('UPSTREAM_FAILED', `binding code sms to ${e.id} failed: ${r.error}`);
          }),
        );
      }
      for (const e of enterprises) {
        await recordAudit({
          actor: actorOf(session, ['operator'], e.path),
          action: 'binding.issue',
          target: { kind: 'binding', id: e.id, name: e.name },
          scope: e.path,
          after: { delivery: body.delivery, validUntil: issued[0]?.validUntil },
        });
      }
      return { outcome: 'stored', response: { items: toItems(issued) } };
    },
  );
}
