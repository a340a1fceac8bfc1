import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureTable, freePort, requireJava17, startDynamoDbLocal } from '../../dev/dynamodb-local';
import { LOCAL_SMS, LOCAL_WECHAT, localEnv } from '../../dev/local-env';
import { startS3Local } from '../../dev/s3-local';
import { startStandin } from '../../dev/standin/server';
import { ENV_FILE } from './paths';

/** Integration tests run against a real DynamoDB Local (in memory, free port) and the real stand-ins. */
export default async function globalSetup(): Promise<void> {
  requireJava17();
  const [dynamodb, standin, s3] = [await freePort(), await freePort(), await freePort()];
  const ddb = await startDynamoDbLocal({ port: dynamodb });
  const env = localEnv({ dynamodb, standin, s3 }, 'mashang-test');
  await ensureTable(env.AWS_ENDPOINT_URL_DYNAMODB, env.TABLE_NAME);
  const files = await startS3Local({
    port: s3,
    directory: mkdtempSync(join(tmpdir(), 's3rver-')),
    buckets: [env.FILES_BUCKET],
    corsOrigins: env.ALLOWED_ORIGINS.split(','),
  });
  const s = await startStandin({ port: standin, wechat: LOCAL_WECHAT, sms: LOCAL_SMS });
  Object.assign(process.env, env);
  mkdirSync(dirname(ENV_FILE), { recursive: true });
  writeFileSync(ENV_FILE, JSON.stringify(env));
  (globalThis as any).__MASHANG__ = { ddb: ddb.proc, standin: s.server, s3: files };
}
