import { randomInt } from 'node:crypto';
import { BINDING_CODE_TTL_DAYS } from '@mashang/shared';
import { config } from '../config';
import { putBindingCodes, redeemBindingCode as redeem, type BindingKind } from '../data/bindings';
import { hit, peek } from '../data/limits';
import type { StoredRequest } from '../data/requests';
import { AppError } from '../lib/errors';
import { hmac } from '../lib/crypto';
import { enforce } from './limits';

/**
 * One-time binding codes (SPEC §2.5), generic over what is bound: `enterprise` (a contact binds their WeChat
 * account to an enterprise) and `official` (an official's WeChat account, for the console). 6 digits, valid
 * 7 days, single use; every attempt is counted per user and every failure per subject, both rate-limited.
 */
export interface BindingSubject {
  kind: BindingKind;
  id: string;
}

export const BINDING_LIMITS = {
  /** Attempts (right or wrong) by one user per hour. */
  attemptsPerUserPerHour: 10,
  /** Failed attempts against one subject per hour, from anyone: then the subject is locked for the hour. */
  failuresPerSubjectPerHour: 10,
};

const HOUR = 3600;
const failureKey = (s: BindingSubject) => `bind-fail#${s.kind}#${s.id}`;

/** A keyed hash: a table export does not reveal codes, and 6 digits are not guessable offline without the key. */
export function bindingCodeHash(s: BindingSubject, code: string): string {
  return hmac(config().CODE_SECRET, `binding:${s.kind}:${s.id}:${code}`).toString('hex');
}

export function newBindingCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

export interface IssuedCode {
  subject: BindingSubject;
  code: string;
  validUntil: string;
}

/**
 * Issue one code per subject (≤ 50) in one transaction, with the issuing request's record when one is given
 * (`record` turns the codes into the stored answer: see domain/idempotency onceOnly).
 */
export async function issueBindingCodes(
  subjects: BindingSubject[],
  by: string,
  now: Date,
  record?: (issued: IssuedCode[]) => StoredRequest,
): Promise<IssuedCode[] | 'duplicate-request' | 'conflict'> {
  const validUntil = new Date(now.getTime() + BINDING_CODE_TTL_DAYS * 86400_000).toISOString();
  for (let attempt = 0; attempt < 3; attempt++) {
    const issued = subjects.map((subject) => ({ subject, code: newBindingCode(), validUntil }));
    const outcome = await putBindingCodes(
      issued.map((i) => ({
        kind: i.subject.kind,
        subjectId: i.subject.id,
        codeHash: bindingCodeHash(i.subject, i.code),
        issuedAt: now.toISOString(),
        issuedBy: by,
        validUntil,
      })),
      record?.(issued),
    );
    if (outcome !== 'collision') return outcome === 'stored' ? issued : outcome;
    // 'collision': the same 6 digits were already issued to one of these subjects; draw again.
  }
  throw new AppError('CONFLICT', '生成绑定码失败，请重试');
}

/** Refuse at once when the subject is locked by too many failures, and count the caller's attempt. */
export async function checkBindingAttempt(subject: BindingSubject, userId: string, now: Date): Promise<void> {
  await enforce(`bind-user#${userId}`, BINDING_LIMITS.attemptsPerUserPerHour, HOUR, now);
  if ((await peek(failureKey(subject), HOUR, now)) >= BINDING_LIMITS.failuresPerSubjectPerHour) {
    throw new AppError('RATE_LIMITED', '绑定尝试错误次数过多，请 1 小时后再试');
  }
}

/** Count a failed attempt against the subject (a wrong credit code counts too). */
export async function countBindingFailure(subject: BindingSubject, now: Date): Promise<void> {
  await hit(failureKey(subject), HOUR, now);
}

/**
 * Use a code for `subject` and, in the same transaction, create the binding's items (`puts`, plain items built by
 * the data modules, each created only if absent). Call checkBindingAttempt first. Errors are clear and change
 * nothing: BINDING_CODE_INVALID / _EXPIRED / _USED, ALREADY_BOUND.
 */
export async function redeemBindingCode(
  subject: BindingSubject,
  code: string,
  userId: string,
  now: Date,
  puts: Record<string, unknown>[],
): Promise<void> {
  const outcome = await redeem({
    kind: subject.kind,
    subjectId: subject.id,
    codeHash: bindingCodeHash(subject, code),
    userId,
    now: now.toISOString(),
    puts,
  });
  if (outcome === 'bound') return;
  if (outcome === 'already-bound') throw new AppError('ALREADY_BOUND', '您已完成绑定，无需重复绑定');
  await countBindingFailure(subject, now);
  if (outcome === 'invalid')
    throw new AppError('BINDING_CODE_INVALID', '绑定码不正确，请核对短信或通知书中的 6 位绑定码');
  if (outcome === 'expired')
    throw new AppError(
      'BINDING_CODE_EXPIRED',
      `绑定码已过期（有效期 ${BINDING_CODE_TTL_DAYS} 天），请联系运维人员重新发放`,
    );
  throw new AppError('BINDING_CODE_USED', '该绑定码已被使用（每个绑定码只能使用一次），请联系运维人员重新发放');
}
