import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type GetRecordsCommandOutput,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { onStream } from '../../functions/src/handlers/alerts';

/**
 * Reads the table's real stream on DynamoDB Local (as Lambda's event source mapping does on AWS) and hands the
 * records to the stream handler. Start it before the writes whose records a test wants.
 */
export class StreamTap {
  private iterators = new Map<string, string>();
  private readonly streams: DynamoDBStreamsClient;
  private readonly ddb: DynamoDBClient;
  private arn = '';

  constructor() {
    const cfg = {
      endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB,
      region: process.env.AWS_REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    };
    this.streams = new DynamoDBStreamsClient(cfg);
    this.ddb = new DynamoDBClient(cfg);
  }

  /** Position at the end of every shard: only records written from now on are read. */
  async start(): Promise<this> {
    const t = await this.ddb.send(new DescribeTableCommand({ TableName: process.env.TABLE_NAME }));
    this.arn = t.Table!.LatestStreamArn!;
    const d = await this.streams.send(new DescribeStreamCommand({ StreamArn: this.arn }));
    for (const shard of d.StreamDescription?.Shards ?? []) {
      if (shard.SequenceNumberRange?.EndingSequenceNumber) continue;
      const it = await this.streams.send(
        new GetShardIteratorCommand({ StreamArn: this.arn, ShardId: shard.ShardId!, ShardIteratorType: 'LATEST' }),
      );
      this.iterators.set(shard.ShardId!, it.ShardIterator!);
    }
    return this;
  }

  /** Every record written since the last read. */
  async read(): Promise<_Record[]> {
    const out: _Record[] = [];
    for (const [shard, iterator] of this.iterators) {
      let it: string | undefined = iterator;
      for (let i = 0; it && i < 20; i++) {
        const r: GetRecordsCommandOutput = await this.streams.send(new GetRecordsCommand({ ShardIterator: it }));
        out.push(...(r.Records ?? []));
        it = r.NextShardIterator;
        if (!r.Records?.length) break;
      }
      if (it) this.iterators.set(shard, it);
    }
    return out;
  }

  /** Read new records and deliver them to the alert function, as the event source mapping would. */
  async pump(): Promise<{ records: _Record[]; result: { batchItemFailures: { itemIdentifier: string }[] } }> {
    const records = await this.read();
    const result = await onStream({ Records: records } as unknown as DynamoDBStreamEvent);
    return { records, result };
  }
}

let counterTap: { tap: StreamTap; iterators: Map<string, string> } | undefined;

/**
 * Deliver every record the table's stream holds that this test file has not delivered yet to the day-counter
 * aggregation, shard by shard with the shard's real id, as Lambda's event source mapping would. It reads from the
 * start of each shard the first time (records of other test files included): the per-shard high-water mark makes
 * the already counted ones harmless. Call it before asserting counters.
 */
export async function settleCounters(): Promise<number> {
  const { onStream: countOnStream } = await import('../../functions/src/handlers/counters');
  const cfg = {
    endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB,
    region: process.env.AWS_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const streams = new DynamoDBStreamsClient(cfg);
  if (!counterTap) {
    const t = await new DynamoDBClient(cfg).send(new DescribeTableCommand({ TableName: process.env.TABLE_NAME }));
    const arn = t.Table!.LatestStreamArn!;
    const d = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    const iterators = new Map<string, string>();
    for (const shard of d.StreamDescription?.Shards ?? []) {
      const it = await streams.send(
        new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }),
      );
      if (it.ShardIterator) iterators.set(shard.ShardId!, it.ShardIterator);
    }
    counterTap = { tap: new StreamTap(), iterators };
  }
  let delivered = 0;
  for (const [shard, iterator] of counterTap.iterators) {
    let it: string | undefined = iterator;
    for (let i = 0; it && i < 1000; i++) {
      const r: GetRecordsCommandOutput = await streams.send(new GetRecordsCommand({ ShardIterator: it, Limit: 1000 }));
      const records = (r.Records ?? []).filter((x) => x.eventName === 'INSERT');
      if (records.length) {
        await countOnStream({ Records: records, shardId: shard } as unknown as Parameters<typeof countOnStream>[0]);
        delivered += records.length;
      }
      it = r.NextShardIterator;
      if (!r.Records?.length) break;
    }
    if (it) counterTap.iterators.set(shard, it);
  }
  return delivered;
}
