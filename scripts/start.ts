/**
 * `npm start`: the whole local system in one command.
 * DynamoDB Local (bundled jar) → table from serverless.yml → Haibei demo data → WeChat/SMS stand-ins →
 * serverless-offline (every function: HTTP, the stream consumer via serverless-offline-dynamodb-streams, and the
 * `schedule` events, which serverless-offline runs itself) → the H5 app → addresses and demo logins.
 * Ctrl-C stops everything it started.
 */
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTable, requireJava17, startDynamoDbLocal } from '../dev/dynamodb-local';
import { DEFAULT_PORTS, LOCAL_SMS, LOCAL_WECHAT, localEnv } from '../dev/local-env';
import { startS3Local } from '../dev/s3-local';
import { putProdlikeSecrets } from '../dev/prodlike';
import { startStandin } from '../dev/standin/server';
import { serveStatic } from '../dev/static-server';

const ROOT = join(__dirname, '..');
const children: ChildProcess[] = [];
const closers: (() => void)[] = [];

function stopAll(code = 0): never {
  for (const c of children) {
    if (c.pid && c.exitCode === null) {
      try {
        process.kill(-c.pid, 'SIGTERM'); // the child's whole process group (esbuild workers, java)
      } catch {
        c.kill('SIGTERM');
      }
    }
  }
  for (const close of closers) close();
  process.exit(code);
}

async function waitForApi(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (r.status === 404 || r.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`API did not answer at ${url} within ${timeoutMs / 1000} s`);
}

/**
 * Serve the H5 build on its port. The API address is baked into the build, so it is (re)built in the background
 * when missing or made for another API address; the banner says so and a line follows when it is ready.
 */
async function startH5(port: number, apiBase: string): Promise<{ line: string; close: () => void }> {
  const dir = join(ROOT, 'miniapp/dist/h5');
  const stamp = join(dir, '.api-base');
  let server: { close: () => void } | undefined;
  const serve = async () => {
    server = await serveStatic(dir, port);
  };
  const line = `http://127.0.0.1:${port}`;
  if (process.env.SKIP_H5 === '1') return { line: 'not served (SKIP_H5=1)', close: () => undefined };
  if (existsSync(join(dir, 'index.html')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === apiBase) {
    await serve();
    return { line, close: () => server?.close() };
  }
  const build = spawn('npm', ['run', 'build:h5', '-w', 'miniapp'], {
    cwd: ROOT,
    env: { ...process.env, TARO_APP_API_BASE_URL: apiBase },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  children.push(build);
  let err = '';
  build.stderr?.on('data', (d) => (err += d));
  build.on('exit', async (code) => {
    if (code === 0 && existsSync(join(dir, 'index.html'))) {
      writeFileSync(stamp, apiBase);
      await serve();
      console.log(`H5 app is ready: ${line}`);
    } else if (code !== null) {
      console.error(`H5 build failed (${code}); the API still runs.\n${err.slice(-2000)}`);
    }
  });
  return {
    line: `${line} (building the H5 app in the background, about 30–60 s; a line follows when ready)`,
    close: () => server?.close(),
  };
}

/** The newest modification time under a folder (sources of the console), 0 when missing. */
function newest(dir: string): number {
  if (!existsSync(dir)) return 0;
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/**
 * Serve the web console (console/, a static Vite build) on its port. Its API address comes from /config.js,
 * generated here, so one build serves any port; it is (re)built in the background when missing or older than its
 * sources (about 15–30 s).
 */
async function startConsole(
  port: number,
  apiBase: string,
  wechat: { appid: string; qrBase: string },
): Promise<{ line: string; close: () => void }> {
  const dir = join(ROOT, 'console/dist');
  const index = join(dir, 'index.html');
  const configJs = {
    type: 'application/javascript; charset=utf-8',
    body: `window.__MASHANG_CONFIG__ = ${JSON.stringify({ apiBase, wechatWebAppId: wechat.appid, wechatQrBase: wechat.qrBase })};\n`,
  };
  let server: { close: () => void } | undefined;
  const serve = async () => {
    server = await serveStatic(dir, port, { '/config.js': configJs });
  };
  const line = `http://127.0.0.1:${port}`;
  if (process.env.SKIP_CONSOLE === '1') return { line: 'not served (SKIP_CONSOLE=1)', close: () => undefined };
  const sources = Math.max(
    newest(join(ROOT, 'console/src')),
    newest(join(ROOT, 'shared/src')),
    statSync(join(ROOT, 'console/index.html')).mtimeMs,
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) {
    await serve();
    return { line, close: () => server?.close() };
  }
  const build = spawn('npm', ['run', 'build', '-w', 'console'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  children.push(build);
  let err = '';
  build.stderr?.on('data', (d) => (err += d));
  build.on('exit', async (code) => {
    if (code === 0 && existsSync(index)) {
      await serve();
      console.log(`Console is ready: ${line}`);
    } else if (code !== null) {
      console.error(`Console build failed (${code}); the API still runs.\n${err.slice(-2000)}`);
    }
  });
  return {
    line: `${line} (building the console in the background, about 15–30 s; a line follows when ready)`,
    close: () => server?.close(),
  };
}

async function main() {
  const t0 = Date.now();
  requireJava17();
  process.on('SIGINT', () => stopAll(0));
  process.on('SIGTERM', () => stopAll(0));

  const ports = DEFAULT_PORTS;
  // STAGE=prod (any stage but local/dev) starts a production-like system: secrets come from SSM Parameter Store
  // (the stand-in's, fresh random values), none from the environment; see README "Secrets".
  const stage = process.env.STAGE ?? 'dev';
  const prodlike = stage !== 'dev' && stage !== 'local';
  const env = localEnv(ports, `mashang-${stage}`);
  env.STAGE = stage;
  Object.assign(process.env, env);
  const wechat = prodlike
    ? {
        appid: LOCAL_WECHAT.appid,
        secret: randomBytes(24).toString('hex'),
        web: { appid: LOCAL_WECHAT.web.appid, secret: randomBytes(24).toString('hex') },
      }
    : LOCAL_WECHAT;
  const sms = prodlike
    ? { ...LOCAL_SMS, secretId: `AKID${randomBytes(14).toString('hex')}`, secretKey: randomBytes(24).toString('hex') }
    : LOCAL_SMS;

  // WeChat's message push (media check verdicts of photos) goes to the API, as configured in the WeChat console.
  const standin = await startStandin({
    port: ports.standin,
    wechat,
    sms,
    pushUrl: `http://127.0.0.1:${ports.api}/v1/wechat/events`,
  });
  closers.push(() => standin.server.close());
  if (prodlike) {
    process.env.AWS_ENDPOINT_URL_SSM = standin.url;
    for (const k of [
      'CODE_SECRET',
      'TOKEN_SECRET',
      'PII_KEYS',
      'WECHAT_SECRET',
      'WECHAT_WEB_SECRET',
      'SMS_SECRET_ID',
      'SMS_SECRET_KEY',
    ])
      delete process.env[k];
    await putProdlikeSecrets(standin.url, stage, {
      WECHAT_SECRET: wechat.secret,
      WECHAT_WEB_SECRET: wechat.web.secret,
      SMS_SECRET_ID: sms.secretId,
      SMS_SECRET_KEY: sms.secretKey,
    });
    const { loadConfig } = await import('../functions/src/config');
    await loadConfig(); // the seed signs codes with the stage's own CODE_SECRET
  }

  const dbPath = process.env.DYNAMODB_IN_MEMORY ? undefined : join(ROOT, prodlike ? `.dynamodb-${stage}` : '.dynamodb');
  if (dbPath) mkdirSync(dbPath, { recursive: true });
  const ddb = await startDynamoDbLocal({ port: ports.dynamodb, dbPath });
  children.push(ddb.proc);
  await ensureTable(ddb.endpoint, env.TABLE_NAME);
  // Object storage for posters, imports and exports: s3rver, files in .s3/ (or a temp folder with DYNAMODB_IN_MEMORY).
  const s3 = await startS3Local({
    port: ports.s3,
    directory: dbPath ? join(ROOT, '.s3') : mkdtempSync(join(tmpdir(), 's3rver-')),
    buckets: [env.FILES_BUCKET],
    corsOrigins: env.ALLOWED_ORIGINS.split(','),
  });
  closers.push(() => void s3.close());
  const { seedDemoData, seedInvitations } = await import('../dev/seed');
  const seeded = await seedDemoData();
  const invitations = await seedInvitations();
  const { seedDemoStaff } = await import('../dev/seed-staff');
  const staff = await seedDemoStaff();

  const offline = spawn(
    process.execPath,
    [
      join(ROOT, 'node_modules/serverless/bin/serverless.js'),
      'offline',
      'start',
      '--stage',
      stage,
      '--httpPort',
      String(ports.api),
      // The local/dev stage's secrets live in this process's environment (dev/local-env.ts), and serverless-offline
      // hands a function only AWS_* variables and the template's own: --localEnvironment passes the rest. A
      // production-like stage does not get it: its functions must read their secrets from Parameter Store.
      ...(prodlike ? [] : ['--localEnvironment']),
    ],
    {
      cwd: ROOT,
      // A build folder per API port: two systems started from one checkout must not delete each other's bundles.
      env: {
        ...process.env,
        SLS_TELEMETRY_DISABLED: '1',
        ESBUILD_WORK_FOLDER: process.env.ESBUILD_WORK_FOLDER ?? `.esbuild/${ports.api}`,
        // The seeded demo history is already in the table: the stream consumers start after it (serverless.yml).
        STREAM_STARTING_POSITION: 'LATEST',
        // The local poller reads the alert function's batchSize records per GetRecords and filters afterwards; on AWS
        // the mapping filters first. Reading 1000 at a time keeps a case event from queueing behind a load's other
        // records (issue 9: alert p95 under the rating load was 14.7 s with 20; serverless.yml custom.alertsBatchSize).
        ALERTS_STREAM_READ_SIZE: '1000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  children.push(offline);
  const verbose = !!process.env.VERBOSE;
  offline.stdout?.on('data', (d) => verbose && process.stdout.write(d));
  offline.stderr?.on('data', (d) => process.stderr.write(d));
  offline.on('exit', (code) => {
    console.error(`serverless offline exited (${code}); stopping.`);
    stopAll(1);
  });

  const h5 = await startH5(ports.h5, `http://127.0.0.1:${ports.api}`);
  closers.push(h5.close);
  const consoleSite = await startConsole(ports.console, `http://127.0.0.1:${ports.api}`, {
    appid: env.WECHAT_WEB_APPID ?? '',
    qrBase: standin.url,
  });
  closers.push(consoleSite.close);

  // 90 s by default; a loaded machine (several builds at once) may need longer: START_TIMEOUT_SECONDS.
  await waitForApi(
    `http://127.0.0.1:${ports.api}/v1/codes/ping`,
    Number(process.env.START_TIMEOUT_SECONDS ?? 90) * 1000,
  );
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(`
码上监督 local system is up (${secs} s)
  API              http://127.0.0.1:${ports.api}/v1
  H5 app           ${h5.line}
  Web console      ${consoleSite.line}  (sign in with demo-operator)
  WeChat/SMS       ${standin.url}  (GET /__dev/wechat/messages, /__dev/sms/messages; POST /__dev/faults)
  DynamoDB Local   ${ddb.endpoint}  table ${env.TABLE_NAME}${dbPath ? ` (data in ${dbPath.slice(ROOT.length + 1)}/)` : ' (in memory)'}
  Object storage   ${s3.endpoint}  bucket ${env.FILES_BUCKET} (s3rver${dbPath ? ', files in .s3/' : ''})
  Stage            ${stage}${prodlike ? ` (production-like: secrets from the SSM stand-in at ${standin.url}, /mashang-jiandu/${stage}/*)` : ' (secrets from dev/local-env.ts)'}
  Demo data        ${seeded.windows} windows, ${seeded.enterprises} enterprises, ${seeded.officials} officials${seeded.skipped ? ' (already loaded)' : ` (${seeded.created} items loaded)`}
                   ${staff.staff} window staff (demo-staff-<windowId>)${staff.skipped ? ' (already loaded)' : ''}
                   ${invitations.invitations} SMS rating invitations (一事一评)${invitations.skipped ? ' (already loaded)' : ''}; post a signed batch: npm run post-services

Demo logins (POST /v1/auth/wechat {"code": "..."}; any other code is a new citizen):
  demo-operator                 operator, whole prefecture
  demo-inspector                discipline inspector, whole prefecture
  demo-inspector-menyuan        inspector of 门源县 (also -qilian, -haiyan, -gangcha)
  demo-handler-menyuan-scjg     handler of 门源县市场监督管理局 (demo-handler-<departmentId>, see README)
  demo-enterprise-ent-001       contact bound to enterprise ent-001 (demo-enterprise-<enterpriseId>)
  demo-staff-menyuan-scjg-w01   staff of the window menyuan-scjg-w01 (demo-staff-<windowId>)
  demo-cadre-menyuan-scjg       visiting official (干部) of 门源县市场监督管理局 (demo-cadre-<departmentId>)
  citizen-zhang                 a citizen

Ctrl-C stops everything.`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  stopAll(1);
});
