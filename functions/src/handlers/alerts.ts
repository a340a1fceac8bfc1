import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import { dispatchEvent, retryDueAlerts } from '../domain/alerts';
import { correlate, invocation, logger, uncorrelate } from '../lib/logger';
import { dispatchVisitEvent } from '../domain/visit-notices';
import { notifyOwner } from '../domain/owner-notices';
import { ready } from '../lib/ready';

/** An outbox `event` item as the stream delivers it; anything else in the record is ignored. */
const nonEmpty = () => z.string().check(z.minLength(1));
// zod/mini (tree-shakable): classic zod's ~90 KB and its schema construction at load are not in this bundle.
const CaseEventRecord = z.object({
  type: z.literal('event'),
  caseId: nonEmpty(),
  kind: z.enum(['opened', 'overdue', 'talk', 'reopened', 'closed', 'forwarded']),
  at: nonEmpty(),
  path: nonEmpty(),
  source: z.enum(['rating', 'complaint', 'visit']),
  summary: z.string(),
  windowName: z.optional(z.string()),
  forwarded: z.optional(z.boolean()),
});

/*
 * The two functions that send WeChat and SMS messages (the only bundles with the Tencent Cloud SMS SDK). The alert
 * routes that send nothing are in handlers/subscriptions.ts, escalation in handlers/escalation.ts.
 */

/** An outbox `visit-event` item: a registered visit (notify the enterprise) or a frequency warning (the inspectors). */
const VisitEventRecord = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('registered'), visitId: nonEmpty(), at: nonEmpty() }),
  z.object({ kind: z.literal('warning'), warningId: nonEmpty(), at: nonEmpty(), path: nonEmpty() }),
]);

/**
 * The table's stream → alerts. Only INSERTs of outbox `event` (case) and `visit-event` items matter (also filtered
 * in serverless.yml).
 * A failure is reported per record so the stream redelivers just that one; alert keys make redelivery harmless.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html
 */
export const onStream = (event: DynamoDBStreamEvent, context?: Context) =>
  invocation(context, { trigger: 'stream' }, () => dispatchRecords(event));

async function dispatchRecords(event: DynamoDBStreamEvent) {
  await ready();
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const record of event.Records) {
    if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) continue;
    const item = unmarshall(record.dynamodb.NewImage as Record<string, AttributeValue>);
    if (item.type === 'visit-event') {
      const parsedVisit = VisitEventRecord.safeParse(item);
      if (!parsedVisit.success) {
        logger.error('malformed visit event on the stream', {
          issues: parsedVisit.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
        });
        continue;
      }
      try {
        await dispatchVisitEvent(parsedVisit.data);
      } catch (e) {
        logger.error('visit notice dispatch failed', e as Error);
        batchItemFailures.push({ itemIdentifier: record.dynamodb.SequenceNumber ?? '' });
      }
      continue;
    }
    if (item.type !== 'event') continue;
    const parsed = CaseEventRecord.safeParse(item);
    if (!parsed.success) {
      // A malformed event can never be delivered: report it and move on rather than block the shard with retries.
      logger.error('malformed case event on the stream', {
        issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      });
      continue;
    }
    const { type, ...caseEvent } = parsed.data;
    correlate({ caseId: caseEvent.caseId, eventKind: caseEvent.kind, streamSequence: record.dynamodb.SequenceNumber });
    try {
      await dispatchEvent(caseEvent);
      // The filer hears when their case closes or is reopened (处理结果通知).
      await notifyOwner(caseEvent);
    } catch (e) {
      logger.error('alert dispatch failed', e as Error);
      batchItemFailures.push({ itemIdentifier: record.dynamodb.SequenceNumber ?? '' });
    } finally {
      uncorrelate(['caseId', 'eventKind', 'streamSequence']);
    }
  }
  return { batchItemFailures };
}

/** Every minute: alerts whose backoff has elapsed. */
export const retry = (_event?: unknown, context?: Context) =>
  invocation(context, { trigger: 'retry' }, async () => {
    await ready();
    return { retried: await retryDueAlerts() };
  });
