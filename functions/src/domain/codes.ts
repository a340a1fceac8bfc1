import { canAccess, shanghaiDate, type CodeLookupResponse } from '@mashang/shared';
import { config } from '../config';
import { getCodeItem, replaceCode, revokeCodeItem } from '../data/codes';
import { ratingOfDay } from '../data/ratings';
import { getEnterprise, getWindow, type EnterpriseItem, type WindowItem } from '../data/registry';
import { AppError, forbidden, notFound } from '../lib/errors';
import { TtlCache } from '../lib/ttl-cache';
import type { Session } from '../lib/session';
import { actorOf, auditEntry } from './audit';
import { newCodeId, signCode, verifyCode } from './code-signing';
import { readAheadRecentRatings } from './rating-limit';

export type ResolvedCode =
  | { kind: 'window'; codeId: string; window: WindowItem }
  | { kind: 'enterprise'; codeId: string; enterprise: EnterpriseItem };

const invalid = () => new AppError('CODE_INVALID', '监督码无效，请核对后重新扫码');

/**
 * How long a function instance keeps a resolved code (code → window or enterprise → department path) in memory: a
 * scan and the rating after it cost no registry reads. The price: a code revoked or reissued through ANOTHER instance
 * keeps working on this one for at most this long (the instance that revokes forgets it at once). The operator is
 * told so in the revoke and reissue answers (`takesEffectWithinSeconds`) and README states it.
 */
export const CODE_CACHE_TTL_SECONDS = 60;
const resolved = new TtlCache<string, ResolvedCode>(CODE_CACHE_TTL_SECONDS * 1000);

/** Forget every cached code (tests). */
export function forgetResolvedCodes(): void {
  resolved.clear();
}

/** Forget one code in this instance (its window or enterprise was retired or changed here). */
export function forgetResolvedCode(codeId: string): void {
  resolved.delete(codeId);
}

/**
 * Verify a scanned code's signature, then its state: forged → CODE_INVALID, revoked → CODE_REVOKED. Active codes are
 * cached for CODE_CACHE_TTL_SECONDS against `now` (never a refusal: a forged or revoked code is read every time).
 */
export async function resolveCode(code: string, now: Date = new Date()): Promise<ResolvedCode> {
  const parsed = verifyCode(config().CODE_SECRET, code);
  if (!parsed) throw invalid();
  const hit = resolved.get(parsed.codeId, now.getTime());
  if (hit) return hit;
  const r = await resolveFromStore(parsed.codeId);
  resolved.set(parsed.codeId, r, now.getTime());
  return r;
}

async function resolveFromStore(codeId: string): Promise<ResolvedCode> {
  const item = await getCodeItem(codeId);
  if (!item) throw invalid();
  if (item.status === 'revoked') throw new AppError('CODE_REVOKED', '该监督码已停用，请扫描窗口张贴的新监督码');
  if (item.kind === 'window') {
    const window = await getWindow(item.targetId);
    // A window still staged by an import that has not finished is not there yet.
    if (!window || (window as { status?: string }).status === 'staged') throw invalid();
    if ((window as { status?: string }).status === 'retired')
      throw new AppError('CODE_REVOKED', '该窗口已撤销停用，监督码不再使用');
    return { kind: 'window', codeId: item.codeId, window };
  }
  const enterprise = await getEnterprise(item.targetId);
  if (!enterprise || (enterprise as { status?: string }).status === 'staged') throw invalid();
  if ((enterprise as { status?: string }).status === 'retired')
    throw new AppError('CODE_REVOKED', '该企业已停用，监督码不再使用');
  return { kind: 'enterprise', codeId: item.codeId, enterprise };
}

export async function lookupCode(code: string, now: Date = new Date(), session?: Session): Promise<CodeLookupResponse> {
  const r = await resolveCode(code, now);
  if (r.kind === 'window') {
    const { id, name, department, county } = r.window;
    // 一次一评 known before the form: a signed-in caller learns here that today's rating of this window is taken
    // (one GetItem on the rating's derived key), so the page offers the complaint form instead of a form that the
    // API would refuse.
    // Beside it, the caller's ratings of the last hour are read ahead for the rating this page is about to send
    // (domain/rating-limit): that rating is then one PutItem with nothing beside it.
    const [mine] = session
      ? await Promise.all([
          ratingOfDay(session.userId, id, shanghaiDate(now)),
          readAheadRecentRatings(session.userId, now),
        ])
      : [undefined];
    return {
      kind: 'window',
      window: { id, name, department, county },
      ...(session
        ? {
            ratedToday: mine
              ? { id: mine.id, level: mine.level, createdAt: mine.createdAt, caseId: mine.caseId ?? null }
              : null,
          }
        : {}),
    };
  }
  const { id, name, county } = r.enterprise;
  return { kind: 'enterprise', enterprise: { id, name, county } };
}

/** Operator revokes a code (a defaced poster). Revoking twice is harmless. */
export async function revokeCode(
  session: Session,
  code: string,
  now: Date,
): Promise<{ code: string; status: 'revoked'; takesEffectWithinSeconds: number }> {
  const parsed = verifyCode(config().CODE_SECRET, code);
  if (!parsed) throw invalid();
  const item = await getCodeItem(parsed.codeId);
  if (!item) throw invalid();
  const target = item.kind === 'window' ? await getWindow(item.targetId) : await getEnterprise(item.targetId);
  if (!target) throw invalid();
  if (!canAccess(session.grants, ['operator'], target.path)) throw forbidden();
  const audit = auditEntry(
    {
      actor: actorOf(session, ['operator'], target.path),
      action: 'code.revoke',
      target: { kind: item.kind, id: item.targetId, name: target.name },
      scope: target.path,
      before: { code, status: item.status },
      after: { code, status: 'revoked' },
    },
    now,
  );
  await revokeCodeItem(item.codeId, session.userId, now.toISOString(), audit);
  resolved.delete(item.codeId);
  return { code, status: 'revoked', takesEffectWithinSeconds: CODE_CACHE_TTL_SECONDS };
}

/** Operator issues a new code for a window or enterprise; the previous one answers CODE_REVOKED from then on. */
export async function reissueCode(
  session: Session,
  kind: 'window' | 'enterprise',
  id: string,
  now: Date,
): Promise<{ id: string; code: string; previous: string; takesEffectWithinSeconds: number }> {
  const target = kind === 'window' ? await getWindow(id) : await getEnterprise(id);
  if (!target) throw notFound(kind === 'window' ? '窗口' : '企业');
  if (!canAccess(session.grants, ['operator'], target.path)) throw forbidden();
  const codeId = newCodeId(kind);
  const code = signCode(config().CODE_SECRET, codeId);
  const audit = auditEntry(
    {
      actor: actorOf(session, ['operator'], target.path),
      action: 'code.reissue',
      target: { kind, id, name: target.name },
      scope: target.path,
      before: { code: target.code },
      after: { code },
    },
    now,
  );
  await replaceCode({
    audit,
    target: { kind, id },
    oldCodeId: target.codeId,
    fresh: { codeId, kind, targetId: id, status: 'active', issuedAt: now.toISOString() },
    code,
    by: session.userId,
  });
  resolved.delete(target.codeId);
  return { id, code, previous: target.code, takesEffectWithinSeconds: CODE_CACHE_TTL_SECONDS };
}
