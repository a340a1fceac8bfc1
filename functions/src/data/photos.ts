import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { PhotoFlag } from '@mashang/shared';
import { db, table } from './client';
import { K } from './keys';
import { batchGet, getItem, putNew, transact } from './table';

/**
 * A photo kept as evidence and WeChat's verdict on it. The photo itself is in object storage (`key`); the rating,
 * case or timeline entry it belongs to lists it (PhotoRef); this item holds the content check's state, which WeChat
 * pushes later (media_check_async), so a verdict never rewrites the case.
 */
export interface PhotoItem {
  id: string;
  key: string;
  /** Where it is attached: the case (a 差评, a complaint, a rectification report) or a rating without a case. */
  caseId?: string;
  ratingId?: string;
  /** pending = sent to WeChat, verdict not in yet; pass; risky / review = flagged; unchecked = the check failed to start. */
  check: 'pending' | 'pass' | PhotoFlag;
  traceId?: string;
  createdAt: string;
  checkedAt?: string;
}

/** Record a photo's check (and, when WeChat took it, the trace id → photo lookup) once; a retry changes nothing. */
export async function recordPhotoCheck(p: PhotoItem): Promise<void> {
  const outcome = await transact([
    putNew({ ...K.photo(p.id), type: 'photo', ...p }),
    ...(p.traceId
      ? [putNew({ ...K.mediaCheck(p.traceId), type: 'mediaCheck', traceId: p.traceId, photoId: p.id })]
      : []),
  ]);
  // Already recorded by an earlier attempt of the same submission: the first record stands.
  if (outcome !== 'stored' && !outcome.reasons.includes('ConditionalCheckFailed'))
    throw new Error(`photo check record cancelled: ${outcome.reasons.join(',')}`);
}

/** The photo a media check's trace id belongs to, if any. */
export async function photoOfTrace(traceId: string): Promise<string | undefined> {
  return (await getItem<{ photoId: string }>(K.mediaCheck(traceId), { consistent: true }))?.photoId;
}

/** Store WeChat's verdict on a photo (the same verdict pushed twice is stored once; a pass never clears a flag). */
export async function setPhotoVerdict(photoId: string, verdict: 'pass' | PhotoFlag, at: string): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: table(),
        Key: K.photo(photoId),
        UpdateExpression: 'SET #c = :v, checkedAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND (#c = :pending OR #c = :unchecked OR :v <> :pass)',
        ExpressionAttributeNames: { '#c': 'check' },
        ExpressionAttributeValues: {
          ':v': verdict,
          ':at': at,
          ':pending': 'pending',
          ':unchecked': 'unchecked',
          ':pass': 'pass',
        },
      }),
    );
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
}

/** The check state of these photos, by id (one BatchGet). */
export async function photoChecks(ids: string[]): Promise<Map<string, PhotoItem>> {
  const found = await batchGet<PhotoItem>([...new Set(ids)].map((id) => K.photo(id)));
  return new Map([...found.values()].map((p) => [p.id, p]));
}
