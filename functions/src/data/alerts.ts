import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AlertStatus, Role } from '@mashang/shared';
import { db, table } from './client';
import { IX, K } from './keys';
import { queryIndex, strip } from './table';

/** What an alert is about: a case (the default), a visit (the enterprise's notice) or a visit frequency warning. */
export type AlertSubject = 'case' | 'visit' | 'warning';

export interface AlertItem {
  /** The id of the alert's subject (a case id unless `subject` says otherwise). */
  caseId: string;
  subject?: AlertSubject;
  alertKey: string;
  eventKind: string;
  eventAt: string;
  path: string;
  recipientId: string;
  /** An official's role, or 'owner': the filer's own 处理结果通知 (domain/owner-notices). */
  recipientRole: Role | 'owner';
  recipientMasked: string;
  channel?: 'wechat' | 'sms';
  status: AlertStatus;
  attempts: number;
  lastError?: string;
  nextAttemptAt?: string;
  leaseUntil?: string;
  updatedAt: string;
}

/** The alert's own key is its idempotency key: one alert per case event and recipient. */
export const alertKeyOf = (eventAt: string, eventKind: string, recipientId: string) =>
  K.alertKey(eventAt, eventKind, recipientId);

/** What the event says about one alert, before it is stored: who hears of what (its state is the store's). */
export type NewAlert = Pick<
  AlertItem,
  | 'caseId'
  | 'subject'
  | 'alertKey'
  | 'eventKind'
  | 'eventAt'
  | 'path'
  | 'recipientId'
  | 'recipientRole'
  | 'recipientMasked'
>;

/** An alert that may be taken for delivery: pending, retrying, or claimed by a delivery whose lease has lapsed. */
const CLAIMABLE = '(#s = :pending OR #s = :retrying OR (#s = :sending AND leaseUntil < :now))';

/**
 * The claim's write: `sending` under a lease, and in the retry index at the lease's expiry, so if the invocation
 * dies before settling the alert the retry job finds it then.
 */
function claimWrite(caseId: string, alertKey: string, now: Date, leaseMs: number) {
  const lease = new Date(now.getTime() + leaseMs).toISOString();
  const retry = IX.alertRetry(lease, caseId, alertKey);
  return {
    set: `#s = :sending, leaseUntil = :lease, updatedAt = :now, nextAttemptAt = :lease, ${retry.index}pk = :retry, ${retry.index}sk = :rsk`,
    values: {
      ':sending': 'sending',
      ':pending': 'pending',
      ':retrying': 'retrying',
      ':lease': lease,
      ':now': now.toISOString(),
      ':retry': retry.pk,
      ':rsk': retry.sk,
    },
  };
}

/**
 * Create the alert already claimed for delivery, or claim the one a first delivery of the same stream record
 * created — one conditional UpdateItem instead of a Put and a claim. Its key is its idempotency key, so a
 * redelivered record creates nothing new: the event's fields are written only if absent, and an alert that was
 * sent, failed or is being delivered under a live lease is not taken (undefined). The claimed alert as stored.
 */
export async function openAlert(a: NewAlert, now: Date, leaseMs = 60000): Promise<AlertItem | undefined> {
  const claim = claimWrite(a.caseId, a.alertKey, now, leaseMs);
  const names: Record<string, string> = { '#s': 'status' };
  const values: Record<string, unknown> = { ...claim.values, ':zero': 0 };
  const once = Object.entries({ type: 'alert', ...a })
    .filter(([, v]) => v !== undefined)
    .map(([k, v], i) => {
      names[`#f${i}`] = k;
      values[`:f${i}`] = v;
      return `#f${i} = if_not_exists(#f${i}, :f${i})`;
    });
  try {
    const r = await db().send(
      new UpdateCommand({
        TableName: table(),
        Key: K.subjectAlert(a.subject, a.caseId, a.alertKey),
        UpdateExpression: `SET ${[...once, 'attempts = if_not_exists(attempts, :zero)', claim.set].join(', ')}`,
        ConditionExpression: `attribute_not_exists(pk) OR ${CLAIMABLE}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return r.Attributes ? strip<AlertItem>(r.Attributes) : undefined;
  } catch (e) {
    if ((e as Error).name === 'ConditionalCheckFailedException') return undefined;
    throw e;
  }
}

/**
 * Take an existing alert for delivery (the retry job; openAlert for a new one): only a pending or retrying alert,
 * or one whose lease has lapsed, can be taken, so two deliveries (a redelivered record, the retry job) never run at
 * once. The same write puts the alert in the retry index at its lease expiry (see claimWrite).
 */
export async function claimAlert(
  caseId: string,
  alertKey: string,
  now: Date,
  leaseMs = 60000,
  subject?: AlertSubject,
): Promise<AlertItem | undefined> {
  const claim = claimWrite(caseId, alertKey, now, leaseMs);
  try {
    const r = await db().send(
      new UpdateCommand({
        TableName: table(),
        Key: K.subjectAlert(subject, caseId, alertKey),
        UpdateExpression: `SET ${claim.set}`,
        ConditionExpression: CLAIMABLE,
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: claim.values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return r.Attributes ? strip<AlertItem>(r.Attributes) : undefined;
  } catch (e) {
    if ((e as Error).name === 'ConditionalCheckFailedException') return undefined;
    throw e;
  }
}

export interface AlertSettlement {
  status: 'sent' | 'retrying' | 'failed';
  channel?: string;
  attempts: number;
  lastError?: string;
  nextAttemptAt?: string;
}

/** Record the result of a delivery run; retrying alerts enter the retry index, failed ones the inspectors' list. */
export async function settleAlert(a: AlertItem, result: AlertSettlement, now: Date) {
  const set = ['#s = :s', 'attempts = :n', 'updatedAt = :now'];
  const remove = ['leaseUntil'];
  const values: Record<string, unknown> = { ':s': result.status, ':n': result.attempts, ':now': now.toISOString() };
  if (result.channel) {
    set.push('channel = :c');
    values[':c'] = result.channel;
  }
  if (result.lastError) {
    set.push('lastError = :e');
    values[':e'] = result.lastError.slice(0, 300);
  }
  if (result.status === 'retrying') {
    const retry = IX.alertRetry(result.nextAttemptAt!, a.caseId, a.alertKey);
    set.push('nextAttemptAt = :next', `${retry.index}pk = :retry`, `${retry.index}sk = :rsk`);
    values[':next'] = result.nextAttemptAt;
    values[':retry'] = retry.pk;
    values[':rsk'] = retry.sk;
  } else {
    remove.push('gsi1pk', 'gsi1sk', 'nextAttemptAt');
  }
  if (result.status === 'failed') {
    const failed = IX.alertFailed(a.path, now.toISOString());
    set.push(`${failed.index}pk = :failed`, `${failed.index}sk = :fsk`);
    values[':failed'] = failed.pk;
    values[':fsk'] = failed.sk;
  }
  await db().send(
    new UpdateCommand({
      TableName: table(),
      Key: K.subjectAlert(a.subject, a.caseId, a.alertKey),
      UpdateExpression: `SET ${set.join(', ')} REMOVE ${remove.join(', ')}`,
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: values,
    }),
  );
}

/** Alerts whose retry time has come (gsi1 "ALERTRETRY"). */
export async function dueRetries(now: Date, limit = 50): Promise<AlertItem[]> {
  const page = await queryIndex(IX.alertRetry(now.toISOString()), { sk: 'upTo', limit });
  return page.items.map((i) => strip<AlertItem>(i));
}

/** Failed alerts within a scope (gsi2 "ALERTFAILED", sort key starts with the case's scope path). */
export async function failedAlerts(scope: string, limit = 100): Promise<AlertItem[]> {
  const page = await queryIndex(IX.alertFailed(scope), { sk: 'prefix', newestFirst: true, limit });
  return page.items.map((i) => strip<AlertItem>(i));
}
