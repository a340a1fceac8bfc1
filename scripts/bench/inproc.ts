import { join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { httpEvent } from '../../dev/http-event';
import { localClient } from '../../dev/dynamodb-local';
import { LOCAL_SMS, LOCAL_WECHAT, localEnv } from '../../dev/local-env';
import { startStandin } from '../../dev/standin/server';
import { functionDefs, log, ROOT, serverlessYml, type FunctionDef } from './common';
import type { System } from './system';
import type { BenchTable } from './table';

/**
 * The functions' own code, loaded in the bench's process, against a table of the bench's own (serverless.yml's
 * definition, Haibei demo data seeded) in the system's DynamoDB Local and the system's stand-ins. Set up once per run
 * and shared by the sections that call handlers in-process (cost, handler latency, contention).
 */
export interface Harness {
  table: string;
  system: System;
  /**
   * The WeChat/SMS stand-in of the in-process functions: one of the bench's own, so the system's schedules (which
   * pull SMS receipts every minute from their stand-in) never take the receipts the bench measures.
   */
  standinBase: string;
}

/** The provider's send-rate limit the bench configures, on the stand-in and in the senders (SMS_RATE_PER_SECOND). */
export const BENCH_SMS_RATE = Number(process.env.BENCH_SMS_RATE ?? 100);

let ready: Promise<Harness> | undefined;
let closeStandin: (() => void) | undefined;

export function inProcess(system: System, bench: BenchTable): Promise<Harness> {
  ready ??= (async () => {
    const table = await bench.ensure();
    const standin = await startStandin({ port: 0, wechat: LOCAL_WECHAT, sms: LOCAL_SMS });
    closeStandin = () => standin.server.close();
    Object.assign(process.env, localEnv({ dynamodb: 0, standin: 0 }), {
      TABLE_NAME: table,
      AWS_ENDPOINT_URL_DYNAMODB: system.dynamodbEndpoint,
      WECHAT_API_BASE: standin.url,
      SMS_API_BASE: standin.url,
      SMS_RATE_PER_SECOND: String(BENCH_SMS_RATE),
      // Throughput is measured at any hour (quiet hours have their own tests on an injected clock).
      INVITE_QUIET_HOURS: 'none',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      // The handlers' EMF metric lines would flood the bench's output.
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    const { seedDemoData } = await import('../../dev/seed');
    log(`seeding the Haibei demo data into ${table} ...`);
    await seedDemoData();
    await bench.enableStream();
    return { table, system, standinBase: standin.url };
  })();
  return ready;
}

/** Stop the harness's stand-in (the bench's process would not exit while it listens). */
export function closeInProcess(): void {
  closeStandin?.();
}

export type Handler = (e: unknown) => Promise<any>;

export async function loadHandler(f: FunctionDef | undefined): Promise<Handler | undefined> {
  if (!f) return undefined;
  const mod = await import(join(ROOT, f.file));
  const h = mod[f.exportName] as Handler | undefined;
  // API Gateway names the route in the event: a function serving several routes picks its handler by it.
  return h && f.routeKey ? (e: any) => h({ ...e, routeKey: f.routeKey }) : h;
}

export async function invoke(h: Handler, c: Parameters<typeof httpEvent>[0]): Promise<{ status: number; body: any }> {
  const r = await h(httpEvent(c));
  return { status: r.statusCode ?? 200, body: r.body ? JSON.parse(r.body) : undefined };
}

/** The bench table's stream, read the way Lambda's event source mapping reads it. */
export class StreamTap {
  private iterators = new Map<string, string>();
  private client: DynamoDBStreamsClient;
  constructor(
    private endpoint: string,
    private table: string,
  ) {
    this.client = new DynamoDBStreamsClient({
      endpoint,
      region: 'cn-northwest-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  }
  async start(): Promise<void> {
    const t = await localClient(this.endpoint).send(new DescribeTableCommand({ TableName: this.table }));
    const arn = t.Table!.LatestStreamArn!;
    const d = await this.client.send(new DescribeStreamCommand({ StreamArn: arn }));
    this.iterators.clear();
    for (const shard of d.StreamDescription?.Shards ?? []) {
      if (shard.SequenceNumberRange?.EndingSequenceNumber) continue;
      const it = await this.client.send(
        new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard.ShardId!, ShardIteratorType: 'LATEST' }),
      );
      this.iterators.set(shard.ShardId!, it.ShardIterator!);
    }
  }
  /** Every record written since the last read, with the shard it came from. */
  async read(): Promise<(_Record & { shardId: string })[]> {
    const out: (_Record & { shardId: string })[] = [];
    for (const [shard, iterator] of this.iterators) {
      let it: string | undefined = iterator;
      for (let i = 0; it && i < 500; i++) {
        const r: { Records?: _Record[]; NextShardIterator?: string } = await this.client.send(
          new GetRecordsCommand({ ShardIterator: it }),
        );
        out.push(...(r.Records ?? []).map((x) => ({ ...x, shardId: shard })));
        it = r.NextShardIterator;
        if (!r.Records?.length) break;
      }
      if (it) this.iterators.set(shard, it);
    }
    return out;
  }
}

/** The filter serverless.yml gives a stream function (filterPatterns), applied to one record. */
export function matchesFilter(f: any, record: _Record): boolean {
  const patterns: any[] = f?.filterPatterns ?? [];
  if (patterns.length === 0) return true;
  const match = (pattern: any, value: any): boolean => {
    if (Array.isArray(pattern)) return pattern.includes(value);
    if (pattern && typeof pattern === 'object')
      return Object.entries(pattern).every(([k, p]) => value && typeof value === 'object' && match(p, value[k]));
    return pattern === value;
  };
  return patterns.some((p) => match(p, record));
}

/** Every stream-triggered function of serverless.yml with its event settings (batch size, filters). */
export async function streamFunctions(): Promise<{ def: FunctionDef; handler: Handler; event: any }[]> {
  const yml = serverlessYml();
  const out: { def: FunctionDef; handler: Handler; event: any }[] = [];
  // The console's job workers (import, poster) read only job items, which no measured operation writes; the poster
  // worker also imports a compressed font that only the esbuild bundle can load, so they are not loaded here.
  const jobWorkers = new Set(['importWorker', 'posterWorker']);
  for (const def of functionDefs().filter((f) => f.stream && !jobWorkers.has(f.name))) {
    const handler = await loadHandler(def);
    const event = (yml.functions[def.name].events as any[]).find((e) => e.stream)?.stream;
    if (handler) out.push({ def, handler, event });
  }
  return out;
}

/**
 * A stream event's batchSize as deployed: a number, or a variable of serverless.yml resolved to its default
 * (`${self:custom.alertsBatchSize}` → `${env:ALERTS_STREAM_READ_SIZE, 20}` → 20); Lambda's default 100 otherwise.
 */
function batchSizeOf(value: unknown): number {
  let v = value;
  for (let i = 0; i < 3 && typeof v === 'string'; i++) {
    const custom = /^\$\{self:custom\.(\w+)\}$/.exec(v);
    const env = /^\$\{env:\w+,\s*'?(\d+)'?\}$/.exec(v);
    v = custom ? serverlessYml().custom?.[custom[1]] : env ? Number(env[1]) : Number(v);
  }
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : 100;
}

/**
 * Deliver stream records to every stream function whose filter they match, in its batch size, as the event source
 * mapping would: records of one shard in order, the shard's id in the event (Lambda puts `shardId` in the event of a
 * function with a tumbling window, which the counter aggregation uses for its per-shard high-water mark).
 */
export async function deliver(
  records: (_Record & { shardId?: string })[],
  fns: { def: FunctionDef; handler: Handler; event: any }[],
  each?: (fn: string, run: () => Promise<unknown>) => Promise<unknown>,
): Promise<number> {
  let invocations = 0;
  for (const f of fns) {
    const batch = batchSizeOf(f.event?.batchSize);
    const shards = new Map<string, _Record[]>();
    for (const { shardId, ...r } of records.filter((x) => matchesFilter(f.event, x))) {
      const k = shardId ?? 'local';
      shards.set(k, [
        ...(shards.get(k) ?? []),
        { ...r, eventSource: 'aws:dynamodb', awsRegion: 'cn-northwest-1' } as _Record,
      ]);
    }
    for (const [shardId, mine] of shards)
      for (let i = 0; i < mine.length; i += batch) {
        const slice = mine.slice(i, i + batch);
        const run = () => f.handler({ Records: slice, shardId });
        await (each ? each(f.def.name, run) : run());
        invocations++;
      }
  }
  return invocations;
}
