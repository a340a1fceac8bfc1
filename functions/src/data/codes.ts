import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { CodeKind } from '@mashang/shared';
import { db, table } from './client';
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

/** Revoke an active code; false when it was already revoked (a retried revoke changes nothing). */
export async function revokeCodeItem(codeId: string, by: string, at: string): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: table(),
        Key: K.code(codeId),
        UpdateExpression: 'SET #s = :revoked, revokedAt = :at, revokedBy = :by',
        ConditionExpression: 'attribute_exists(pk) AND #s = :active',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':revoked': 'revoked', ':active': 'active', ':at': at, ':by': by },
      }),
    );
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
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
  ]);
  if (outcome !== 'stored') throw new Error(`code reissue cancelled: ${outcome.reasons.join(',')}`);
}
