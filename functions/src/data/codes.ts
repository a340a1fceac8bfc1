import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { CodeKind } from '@mashang/shared';
import { db, table } from './client';
import { K } from './keys';

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

export async function getCodeItem(codeId: string): Promise<CodeItem | undefined> {
  const r = await db().send(new GetCommand({ TableName: table(), Key: K.code(codeId) }));
  return r.Item as CodeItem | undefined;
}

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
  target: { pk: string; sk: string };
  oldCodeId: string;
  fresh: CodeItem;
  code: string;
  by: string;
}): Promise<void> {
  const at = args.fresh.issuedAt;
  await db().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: table(),
            Key: K.code(args.oldCodeId),
            UpdateExpression: 'SET #s = :revoked, revokedAt = if_not_exists(revokedAt, :at), revokedBy = if_not_exists(revokedBy, :by)',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':revoked': 'revoked', ':at': at, ':by': args.by },
          },
        },
        { Put: { TableName: table(), Item: codeItem(args.fresh), ConditionExpression: 'attribute_not_exists(pk)' } },
        {
          Update: {
            TableName: table(),
            Key: args.target,
            UpdateExpression: 'SET codeId = :new, code = :code',
            ConditionExpression: 'codeId = :old',
            ExpressionAttributeValues: { ':new': args.fresh.codeId, ':code': args.code, ':old': args.oldCodeId },
          },
        },
      ],
    }),
  );
}
