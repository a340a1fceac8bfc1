import type { DynamoDBStreamEvent } from 'aws-lambda';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { countStreamBatch } from '../domain/stream-counters';
import { ready } from '../lib/ready';

/**
 * The table's stream → day counters of every scope (serverless.yml `countersFromStream`: batches of up to 1000
 * INSERTs of the item types domain/counters STREAM_COUNTERS knows, a batching window of 2 s). The event source has a
 * tumbling window only so that Lambda puts the shard's id in the event, which keys the high-water mark; the window's
 * state is not used. A failure fails the whole batch, which Lambda delivers again in order: the mark makes that
 * harmless, and no bisecting (a later half counted first would hide an earlier one behind the mark).
 */
export const onStream = async (event: DynamoDBStreamEvent & { shardId?: string }) => {
  await ready(); // secrets (and the table's name) first: SSM outside local/dev
  const inserts = event.Records.filter(
    (r) => r.eventName === 'INSERT' && r.dynamodb?.NewImage && r.dynamodb.SequenceNumber,
  ).map((r) => ({
    seq: r.dynamodb!.SequenceNumber!,
    image: unmarshall(r.dynamodb!.NewImage as Record<string, AttributeValue>),
  }));
  // Locally (serverless-offline-dynamodb-streams) there is no shardId: one mark for the local table's stream.
  if (inserts.length) await countStreamBatch(event.shardId ?? 'local', inserts);
  return { state: {}, batchItemFailures: [] };
};
