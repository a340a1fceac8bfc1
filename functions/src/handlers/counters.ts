import type { DynamoDBStreamEvent } from 'aws-lambda';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { isCountedType } from '../domain/counters';
import { countStreamBatch } from '../domain/stream-counters';
import { ready } from '../lib/ready';

/**
 * The table's stream → day counters of every scope (serverless.yml `countersFromStream`: batches of up to 1000
 * INSERTs, and REMOVEs of withdrawn ratings, of the item types domain/counters STREAM_COUNTERS knows, a batching
 * window of 2 s). The event source has a tumbling window only so that Lambda puts the shard's id in the event, which keys the high-water mark; the window's
 * state is not used. A failure fails the whole batch, which Lambda delivers again in order: the mark makes that
 * harmless, and no bisecting (a later half counted first would hide an earlier one behind the mark).
 */
export const onStream = async (event: DynamoDBStreamEvent & { shardId?: string }) => {
  await ready(); // secrets (and the table's name) first: SSM outside local/dev
  // INSERTs count; a REMOVE (a rating withdrawn by the request that stored it) takes its counts away.
  const records = event.Records.flatMap((r) => {
    const seq = r.dynamodb?.SequenceNumber;
    const image =
      r.eventName === 'REMOVE' ? r.dynamodb?.OldImage : r.eventName === 'INSERT' ? r.dynamodb?.NewImage : undefined;
    // Only item types the aggregation counts are read (other items' images may hold values unmarshall refuses).
    if (!seq || !image || !isCountedType(image.type?.S)) return [];
    const item = unmarshall(image as Record<string, AttributeValue>);
    return [{ seq, image: item, removed: r.eventName === 'REMOVE' }];
  });
  // Locally (serverless-offline-dynamodb-streams) there is no shardId: one mark for the local table's stream.
  if (records.length) await countStreamBatch(event.shardId ?? 'local', records);
  return { state: {}, batchItemFailures: [] };
};
