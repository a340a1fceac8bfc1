import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Role } from '@mashang/shared';
import { db, table } from './client';
import { K } from './keys';
import { batchGet } from './ratings';
import type { UserItem } from './users';

export type AlertStatus = 'pending' | 'sending' | 'sent' | 'retrying' | 'failed';

export interface AlertItem {
  caseId: string;
  alertKey: string;
  eventKind: string;
  eventAt: string;
  path: string;
  recipientId: string;
  recipientRole: Role;
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
export const alertSk = (eventAt: string, eventKind: string, recipientId: string) => `ALERT#${eventAt}#${eventKind}#${recipientId}`;

/** Create the alert unless it exists (a redelivered stream record creates nothing new). */
export async function createAlert(a: AlertItem): Promise<boolean> {
  try {
    await db().send(new PutCommand({ TableName: table(), Item: { pk: K.case(a.caseId).pk, sk: a.alertKey, type: 'alert', ...a }, ConditionExpression: 'attribute_not_exists(pk)' }));
    return true;
  } catch (e) {
    if ((e as Error).name === 'ConditionalCheckFailedException') return false;
    throw e;
  }
}

/**
 * Take the alert for delivery: only a pending or retrying alert whose lease has lapsed can be taken, so two
 * deliveries (a redelivered record, the retry job) never run at once.
 */
export async function claimAlert(caseId: string, alertKey: string, now: Date, leaseMs = 60000): Promise<AlertItem | undefined> {
  try {
    const r = await db().send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: K.case(caseId).pk, sk: alertKey },
        UpdateExpression: 'SET #s = :sending, leaseUntil = :lease, updatedAt = :now',
        ConditionExpression: '(#s = :pending OR #s = :retrying OR (#s = :sending AND leaseUntil < :now))',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':sending': 'sending',
          ':pending': 'pending',
          ':retrying': 'retrying',
          ':lease': new Date(now.getTime() + leaseMs).toISOString(),
          ':now': now.toISOString(),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return r.Attributes as AlertItem;
  } catch (e) {
    if ((e as Error).name === 'ConditionalCheckFailedException') return undefined;
    throw e;
  }
}

/** Record the result of a delivery run; retrying alerts enter the retry index, failed ones the inspectors' list. */
export async function settleAlert(a: AlertItem, result: { status: 'sent' | 'retrying' | 'failed'; channel?: string; attempts: number; lastError?: string; nextAttemptAt?: string }, now: Date) {
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
    set.push('nextAttemptAt = :next', 'gsi1pk = :retry', 'gsi1sk = :rsk');
    values[':next'] = result.nextAttemptAt;
    values[':retry'] = 'ALERTRETRY';
    values[':rsk'] = `${result.nextAttemptAt}#${a.caseId}#${a.alertKey}`;
  } else {
    remove.push('gsi1pk', 'gsi1sk', 'nextAttemptAt');
  }
  if (result.status === 'failed') {
    set.push('gsi2pk = :failed', 'gsi2sk = :fsk');
    values[':failed'] = 'ALERTFAILED';
    values[':fsk'] = `${a.path}#${now.toISOString()}`;
  }
  await db().send(
    new UpdateCommand({
      TableName: table(),
      Key: { pk: K.case(a.caseId).pk, sk: a.alertKey },
      UpdateExpression: `SET ${set.join(', ')} REMOVE ${remove.join(', ')}`,
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: values,
    }),
  );
}

/** Alerts whose retry time has come (gsi1 "ALERTRETRY"). */
export async function dueRetries(now: Date, limit = 50): Promise<AlertItem[]> {
  const r = await db().send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p AND gsi1sk <= :now',
      ExpressionAttributeValues: { ':p': 'ALERTRETRY', ':now': `${now.toISOString()}#~` },
      Limit: limit,
    }),
  );
  return (r.Items ?? []) as AlertItem[];
}

/** Failed alerts within a scope (gsi2 "ALERTFAILED", sort key starts with the case's scope path). */
export async function failedAlerts(scope: string, limit = 100): Promise<AlertItem[]> {
  const r = await db().send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :p AND begins_with(gsi2sk, :scope)',
      ExpressionAttributeValues: { ':p': 'ALERTFAILED', ':scope': scope },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (r.Items ?? []) as AlertItem[];
}

/** Officials holding `role` exactly at `scope` (gsi1 "GRANTS#<scope>"), with their user records. */
export async function officialsAt(scope: string, role: Role): Promise<UserItem[]> {
  const r = await db().send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p AND begins_with(gsi1sk, :role)',
      ExpressionAttributeValues: { ':p': `GRANTS#${scope}`, ':role': `${role}#` },
    }),
  );
  const ids = (r.Items ?? []).map((i) => String(i.userId));
  const users = await batchGet<UserItem>(ids.map((id) => K.user(id)));
  return ids.map((id) => users.get(K.user(id).pk)).filter((u): u is UserItem => !!u);
}
