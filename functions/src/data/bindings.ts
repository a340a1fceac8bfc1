import { K } from './keys';
import { requestWrite, type StoredRequest } from './requests';
import { getItem, putNew, transact, update } from './table';

/**
 * One-time binding codes, generic over what is bound (an enterprise contact, an official's WeChat account).
 * A code is stored only as a keyed hash, under its subject (K.bindingCode), so the check is one conditional write
 * and never a lookup by the 6 digits alone (which would collide across subjects).
 */
export type BindingKind = 'enterprise' | 'official';

export interface BindingCodeItem {
  kind: BindingKind;
  subjectId: string;
  codeHash: string;
  issuedAt: string;
  issuedBy: string;
  /** ISO time after which the code is refused. */
  validUntil: string;
  usedAt?: string;
  usedBy?: string;
}

/** Kept 30 days past validity (TTL), so "expired" stays distinguishable from "wrong" for a while. */
function bindingCodeWrite(c: BindingCodeItem) {
  return putNew({
    ...K.bindingCode(c.kind, c.subjectId, c.codeHash),
    type: 'binding-code',
    ...c,
    expiresAt: Math.floor(Date.parse(c.validUntil) / 1000) + 30 * 86400,
  });
}

/** Store freshly issued codes (and the issuing request, for idempotency) in one transaction (≤ 99 codes). */
export async function putBindingCodes(
  codes: BindingCodeItem[],
  request?: StoredRequest,
): Promise<'stored' | 'duplicate-request' | 'collision' | 'conflict'> {
  const outcome = await transact([
    ...(request ? [requestWrite(request, new Date(codes[0]?.issuedAt ?? Date.now()))] : []),
    ...codes.map(bindingCodeWrite),
  ]);
  if (outcome === 'stored') return 'stored';
  if (request && outcome.reasons[0] === 'ConditionalCheckFailed') return 'duplicate-request';
  if (outcome.reasons.includes('ConditionalCheckFailed')) return 'collision';
  if (outcome.reasons.includes('TransactionConflict')) return 'conflict';
  throw new Error(`binding code transaction cancelled: ${outcome.reasons.join(',')}`);
}

export async function getBindingCode(
  kind: BindingKind,
  subjectId: string,
  codeHash: string,
): Promise<BindingCodeItem | undefined> {
  return getItem<BindingCodeItem>(K.bindingCode(kind, subjectId, codeHash), { consistent: true });
}

export type RedeemOutcome = 'bound' | 'invalid' | 'expired' | 'used' | 'already-bound';

/**
 * Use a code: in one transaction the code is marked used (only if it exists, is unused and still valid) and the
 * binding's own items are created (each only if absent: one that exists means "already bound").
 * Why a refused code was refused is read back afterwards, consistently.
 */
export async function redeemBindingCode(args: {
  kind: BindingKind;
  subjectId: string;
  codeHash: string;
  userId: string;
  now: string;
  /** Items the binding creates (e.g. the contact and the user's grant, built by their data modules). */
  puts: Record<string, unknown>[];
}): Promise<RedeemOutcome> {
  const outcome = await transact([
    update(K.bindingCode(args.kind, args.subjectId, args.codeHash), {
      set: 'SET usedAt = :now, usedBy = :user',
      condition: 'attribute_exists(pk) AND attribute_not_exists(usedAt) AND validUntil > :now',
      values: { ':now': args.now, ':user': args.userId },
    }),
    ...args.puts.map(putNew),
  ]);
  if (outcome === 'stored') return 'bound';
  if (outcome.reasons[0] === 'ConditionalCheckFailed') {
    const item = await getBindingCode(args.kind, args.subjectId, args.codeHash);
    if (!item) return 'invalid';
    if (item.usedAt) return 'used';
    return 'expired';
  }
  if (outcome.reasons.slice(1).includes('ConditionalCheckFailed')) return 'already-bound';
  throw new Error(`binding transaction cancelled: ${outcome.reasons.join(',')}`);
}
