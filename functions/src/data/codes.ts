import type { AuditEntry, CodeKind } from '@mashang/shared';
import { auditPut } from './audit';
import { K } from './keys';
import { getItem, putNew, transact, update } from './table';

export interface CodeItem {
  codeId: string;
  kind: CodeKind;
  targetId: string;
  status: 'active' | 'revoked';
  issuedAt: string;
  revokedAt?: string;
  revokedBy?: string;
}

export const codeItem = (c: CodeItem) => ({ ...K.code(c.codeId), type: 'code', ...c });

export const getCodeItem = (codeId: string) => getItem<CodeItem>(K.code(codeId));

/**
 * Revoke an active code and append its audit entry in the same transaction; false when it was already revoked
 * (a retried revoke changes nothing and writes no second entry).
 */
export async function revokeCodeItem(codeId: string, by: string, at: string, audit: AuditEntry): Promise<boolean> {
  const outcome = await transact([
    update(K.code(codeId), {
      set: 'SET #s = :revoked, revokedAt = :at, revokedBy = :by',
      condition: 'attribute_exists(pk) AND #s = :active',
      names: { '#s': 'status' },
      values: { ':revoked': 'revoked', ':active': 'active', ':at': at, ':by': by },
    }),
    auditPut(audit),
  ]);
  if (outcome === 'stored') return true;
  if (outcome.reasons[0] === 'ConditionalCheckFailed') return false;
  throw new Error(`code revoke cancelled: ${outcome.reasons.join(',')}`);
}

/**
 * Reissue: in one transaction the target's current code is revoked (if still active), the new code is created
 * and the target points at it, conditional on the target still holding the old code (no lost update).
 */
export async function replaceCode(args: {
  target: { kind: CodeKind; id: string };
  oldCodeId: string;
  fresh: CodeItem;
  code: string;
  by: string;
  audit: AuditEntry;
}): Promise<void> {
  const at = args.fresh.issuedAt;
  const target = args.target.kind === 'window' ? K.window(args.target.id) : K.enterprise(args.target.id);
  const outcome = await transact([
    update(K.code(args.oldCodeId), {
      set: 'SET #s = :revoked, revokedAt = if_not_exists(revokedAt, :at), revokedBy = if_not_exists(revokedBy, :by)',
      names: { '#s': 'status' },
      values: { ':revoked': 'revoked', ':at': at, ':by': args.by },
    }),
    putNew(codeItem(args.fresh)),
    update(target, {
      set: 'SET codeId = :new, code = :code',
      condition: 'codeId = :old',
      values: { ':new': args.fresh.codeId, ':code': args.code, ':old': args.oldCodeId },
    }),
    auditPut(args.audit),
  ]);
  if (outcome !== 'stored') throw new Error(`code reissue cancelled: ${outcome.reasons.join(',')}`);
}
