import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from './client';
import { K } from './keys';
import { getItem } from './table';

/** Who filed a case (the `OWNER` item of its partition), as the filer's notices need it. */
export interface CaseOwner {
  caseId: string;
  userId: string;
  /** Encrypted. */
  phone?: string;
  source: 'rating' | 'complaint' | 'visit' | 'inspection';
  /** When the filer last accepted the 处理结果通知 subscribe message for this case (Taro.requestSubscribeMessage). */
  noticeAcceptedAt?: string;
  /** When the filer last declined it. */
  noticeDeclinedAt?: string;
}

export const getOwner = (caseId: string) => getItem<CaseOwner>(K.owner(caseId), { consistent: true });

/**
 * Record the filer's answer to the subscribe-message request on their own case. Only the filer: the write is
 * conditional on the owner item naming this user, so anyone else changes nothing (false).
 */
export async function recordNoticeConsent(
  caseId: string,
  userId: string,
  accepted: boolean,
  at: string,
): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: table(),
        Key: K.owner(caseId),
        UpdateExpression: `SET ${accepted ? 'noticeAcceptedAt' : 'noticeDeclinedAt'} = :at`,
        ConditionExpression: 'userId = :u',
        ExpressionAttributeValues: { ':u': userId, ':at': at },
      }),
    );
    return true;
  } catch (e) {
    if ((e as Error).name === 'ConditionalCheckFailedException') return false;
    throw e;
  }
}
