import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import { dispatchEvent, retryDueAlerts } from '../domain/alerts';
import { correlated, invocation, logger } from '../lib/logger';
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

/** How many cases (or visits) of one batch are dispatched at the same time. */
const LANES = 10;

/** One record's work: its lane (a case or a visit), and what dispatching it takes (throws when it fails). */
interface Job {
  lane: string;
  sequence: string;
  run: () => Promise<void>;
}

async function dispatchRecords(event: DynamoDBStreamEvent) {
  await ready();
  const jobs = event.Records.map(jobOf).filter((job): job is Job => job !== undefined);
  const lanes = new Map<string, Job[]>();
  for (const job of jobs) lanes.set(job.lane, [...(lanes.get(job.lane) ?? []), job]);
  // Cases at once, each case's events in stream order: a batch's second case no longer waits for every alert of the
  // first (issue 9, alert latency). Each record still succeeds or fails on its own, as before.
  const failed = new Set<Job>();
  const queue = [...lanes.values()];
  const worker = async () => {
    for (let lane = queue.shift(); lane; lane = queue.shift()) {
      for (const job of lane) await job.run().catch(() => failed.add(job));
    }
  };
  await Promise.all(Array.from({ length: Math.min(LANES, queue.length) }, worker));
  return { batchItemFailures: jobs.filter((job) => failed.has(job)).map((job) => ({ itemIdentifier: job.sequence })) };
}

/** What one stream record asks for, or nothing (not an outbox item, or malformed: logged, never retried). */
function jobOf(record: DynamoDBRecord): Job | undefined {
  if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) return undefined;
  const sequence = record.dynamodb.SequenceNumber ?? '';
  const item = unmarshall(record.dynamodb.NewImage as Record<string, AttributeValue>);
  if (item.type === 'visit-event') {
    const parsedVisit = VisitEventRecord.safeParse(item);
    if (!parsedVisit.success) {
      logger.error('malformed visit event on the stream', {
        issues: parsedVisit.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      });
      return undefined;
    }
    const visitEvent = parsedVisit.data;
    return {
      lane: visitEvent.kind === 'registered' ? `visit:${visitEvent.visitId}` : `warning:${visitEvent.warningId}`,
      sequence,
      run: async () => {
        try {
          await dispatchVisitEvent(visitEvent);
        } catch (e) {
          logger.error('visit notice dispatch failed', e as Error);
          throw e;
        }
      },
    };
  }
  if (item.type !== 'event') return undefined;
  const parsed = CaseEventRecord.safeParse(item);
  if (!parsed.success) {
    // A malformed event can never be delivered: report it and move on rather than block the shard with retries.
    logger.error('malformed case event on the stream', {
      issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    });
    return undefined;
  }
  const { type, ...caseEvent } = parsed.data;
  return {
    lane: `case:${caseEvent.caseId}`,
    sequence,
    run: () =>
      correlated({ caseId: caseEvent.caseId, eventKind: caseEvent.kind, streamSequence: sequence }, async () => {
        try {
          await dispatchEvent(caseEvent);
          // The filer hears when their case closes or is reopened (处理结果通知).
          await notifyOwner(caseEvent);
        } catch (e) {
          logger.error('alert dispatch failed', e as Error);
          throw e;
        }
      }),
  };
}

/** Every minute: alerts whose backoff has elapsed. */
export const retry = (_event?: unknown, context?: Context) =>
  invocation(context, { trigger: 'retry' }, async () => {
    await ready();
    return { retried: await retryDueAlerts() };
  });
