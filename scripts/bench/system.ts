import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { freePort, startDynamoDbLocal } from '../../dev/dynamodb-local';
import { log, ROOT } from './common';

/**
 * A snapshot of the backend part of the checkout (node_modules linked, not copied) for the system the bench starts.
 * serverless-esbuild builds into `<service dir>/.esbuild` and every `serverless offline` start empties it: a second
 * system started in the same checkout, or an edit picked up by its watcher, breaks the first one's handlers mid-run
 * ("Cannot find module .esbuild/.build/..."). In its own folder the bench's system is immune to both. The folder is
 * outside the checkout (the OS temp dir, one per checkout): a copy with a linked node_modules inside the repo is a
 * tree a file watcher of another `npm start` in this checkout would walk (an e2e run once failed on ENOSPC from it).
 */
function snapshot(): string {
  const dir = join(tmpdir(), `mashang-bench-${basename(ROOT)}`, 'system');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const skipModules = (src: string) => !src.includes('/node_modules') && !src.endsWith('/.esbuild');
  for (const f of [
    'package.json',
    'serverless.yml',
    'tsconfig.json',
    'tsconfig.base.json',
    'functions',
    'shared',
    'dev',
    'scripts',
  ]) {
    if (existsSync(join(ROOT, f))) cpSync(join(ROOT, f), join(dir, f), { recursive: true, filter: skipModules });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  for (const ws of ['functions', 'shared']) {
    if (existsSync(join(ROOT, ws, 'node_modules')))
      symlinkSync(join(ROOT, ws, 'node_modules'), join(dir, ws, 'node_modules'));
  }
  return dir;
}

/** The local system the bench measures: one already running (`npm start`), or one it started itself. */
export interface System {
  apiBase: string;
  dynamodbEndpoint: string;
  standinBase: string;
  /** The table the API writes to. */
  tableName: string;
  startedByBench: boolean;
  stop(): Promise<void>;
}

async function answers(url: string, okStatuses: number[]): Promise<boolean> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return okStatuses.includes(r.status);
  } catch {
    return false;
  }
}

/**
 * DynamoDB Local alone (in memory), for sections that run the functions in the bench's own process and need no API,
 * stand-in or stream pollers of a started system (section 7, invitations): no `npm start` to wait
 * for, and no schedules or stream pollers of a system nobody measures competing for the machine.
 */
export async function startDatabaseOnly(): Promise<System> {
  const base = Number(process.env.BENCH_PORT_BASE ?? 0);
  const port = base ? base + 1 : await freePort();
  log(`starting DynamoDB Local alone (port ${port}, in memory): the selected sections call the functions in-process`);
  const { proc, endpoint } = await startDynamoDbLocal({ port });
  return {
    apiBase: '',
    dynamodbEndpoint: endpoint,
    standinBase: '',
    tableName: process.env.TABLE_NAME ?? 'mashang-dev',
    startedByBench: true,
    stop: async () => {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      }
    },
  };
}

/** True when a system answers at API_BASE (default http://127.0.0.1:3000). */
export const systemAnswers = () =>
  answers(`${process.env.API_BASE ?? 'http://127.0.0.1:3000'}/v1/codes/ping`, [404, 400]);

/**
 * Use the system at API_BASE (default http://127.0.0.1:3000) when it answers, with DynamoDB Local and the stand-in
 * at DYNAMODB_ENDPOINT / STANDIN_BASE (defaults: ports 8000 and 3900). Otherwise start `npm start` on free ports with
 * DynamoDB Local in memory (the shared .dynamodb/ folder is not touched) and stop it, by process group, at the end.
 */
export async function attachOrStart(): Promise<System> {
  const apiBase = process.env.API_BASE ?? 'http://127.0.0.1:3000';
  const dynamodbEndpoint = process.env.DYNAMODB_ENDPOINT ?? `http://127.0.0.1:${process.env.DYNAMODB_PORT ?? 8000}`;
  const standinBase = process.env.STANDIN_BASE ?? `http://127.0.0.1:${process.env.STANDIN_PORT ?? 3900}`;
  if (await answers(`${apiBase}/v1/codes/ping`, [404, 400])) {
    const ddbOk = await answers(dynamodbEndpoint, [400, 200]);
    const standinOk = await answers(`${standinBase}/__dev/wechat/messages`, [200]);
    if (!ddbOk || !standinOk) {
      throw new Error(
        `an API answers at ${apiBase} but ${!ddbOk ? `DynamoDB Local at ${dynamodbEndpoint}` : `the stand-in at ${standinBase}`} does not: set DYNAMODB_ENDPOINT / STANDIN_BASE to the running system's addresses`,
      );
    }
    log(`using the running system at ${apiBase}`);
    return {
      apiBase,
      dynamodbEndpoint,
      standinBase,
      tableName: process.env.TABLE_NAME ?? 'mashang-dev',
      startedByBench: false,
      stop: async () => {},
    };
  }

  // BENCH_PORT_BASE=N: the system's ports are N … N+4 (a shared machine's assigned range); otherwise free ones.
  const base = Number(process.env.BENCH_PORT_BASE ?? 0);
  const [api, dynamodb, standin, h5, lambda, s3, consolePort] = base
    ? [base, base + 1, base + 2, base + 3, base + 4, base + 5, base + 6]
    : [
        await freePort(),
        await freePort(),
        await freePort(),
        await freePort(),
        await freePort(),
        await freePort(),
        await freePort(),
      ];
  log(
    `no system at ${apiBase}; starting one (API ${api}, DynamoDB ${dynamodb}, stand-in ${standin}, lambda ${lambda}, in memory)`,
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    API_PORT: String(api),
    DYNAMODB_PORT: String(dynamodb),
    STANDIN_PORT: String(standin),
    H5_PORT: String(h5),
    LAMBDA_PORT: String(lambda),
    S3_PORT: String(s3),
    CONSOLE_PORT: String(consolePort),
    DYNAMODB_IN_MEMORY: '1',
    // The bench measures the API, not the H5 app or the console: no builds competing for the cores (the snapshot has
    // no console/ either).
    SKIP_H5: '1',
    SKIP_CONSOLE: '1',
    // serverless-offline builds every function before it answers: minutes on a machine shared by several sessions.
    START_TIMEOUT_SECONDS: process.env.START_TIMEOUT_SECONDS ?? '600',
  };
  // The bench's own endpoints, not the caller's (the started system listens on the ports chosen above).
  delete env.AWS_ENDPOINT_URL_DYNAMODB;
  const cwd = snapshot();
  log(`npm start in a snapshot of the checkout (${cwd})`);
  const child: ChildProcess = spawn('npm', ['start'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const up = new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output = (output + d.toString()).slice(-10000);
      if (output.includes('local system is up')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`npm start exited (${code}) before the system was up:\n${output}`)));
    // The system's own wait for its API (START_TIMEOUT_SECONDS) plus DynamoDB Local and the demo data before it.
    const limit = Number(env.START_TIMEOUT_SECONDS) + 180;
    setTimeout(
      () => reject(new Error(`npm start did not print its banner within ${limit} s:\n${output}`)),
      limit * 1000,
    ).unref();
  });
  const stop = async () => {
    if (child.exitCode !== null || !child.pid) return;
    const exited = new Promise((r) => child.once('exit', r));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 8000))]);
    if (child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  };
  try {
    await up;
  } catch (e) {
    await stop();
    throw e;
  }
  log('system is up');
  return {
    apiBase: `http://127.0.0.1:${api}`,
    dynamodbEndpoint: `http://127.0.0.1:${dynamodb}`,
    standinBase: `http://127.0.0.1:${standin}`,
    tableName: process.env.TABLE_NAME ?? 'mashang-dev',
    startedByBench: true,
    stop,
  };
}
