import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const MINIAPP = path.join(ROOT, 'miniapp');
export const H5_OUT = 'dist/h5-e2e';
const STATE = path.join(ROOT, 'tmp', 'e2e-system.json');
const LOG = path.join(ROOT, 'tmp', 'e2e-system.log');

async function answers(api: string): Promise<boolean> {
  try {
    const r = await fetch(`${api}/v1/lists`, { signal: AbortSignal.timeout(15000) });
    return r.ok;
  } catch {
    return false;
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** The H5 build the journeys drive, in its own folder (no other build or `npm start` empties it). */
async function ensureH5Build(): Promise<void> {
  const index = path.join(MINIAPP, H5_OUT, 'index.html');
  const built = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
  const sources = [path.join(MINIAPP, 'src'), path.join(MINIAPP, 'config'), path.join(ROOT, 'shared', 'src')];
  if (built && built > Math.max(...sources.map(newestMtime))) return;
  await promisify(execFile)(
    process.execPath,
    [require.resolve('@tarojs/cli/bin/taro', { paths: [MINIAPP] }), 'build', '--type', 'h5'],
    {
      cwd: MINIAPP,
      env: { ...process.env, NODE_ENV: 'production', MINIAPP_H5_OUT: H5_OUT },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
}

/**
 * Uses the local system at E2E_API (default http://127.0.0.1:3000) when it answers; otherwise starts
 * `npm start` on ports of its own with an in-memory store and stops it afterwards.
 */
export default async function globalSetup() {
  fs.mkdirSync(path.dirname(STATE), { recursive: true });
  const build = ensureH5Build();
  build.catch(() => undefined); // awaited below; avoid an unhandled rejection meanwhile
  let api = process.env.E2E_API ?? 'http://127.0.0.1:3000';
  let pid: number | undefined;
  if (!(await answers(api))) {
    // E2E_PORT_BASE: a helper's own port range on a shared machine (base … base+6); otherwise a random base.
    const base = Number(process.env.E2E_PORT_BASE) || 20000 + Math.floor(Math.random() * 20000);
    const ports = {
      API_PORT: base,
      STANDIN_PORT: base + 1,
      DYNAMODB_PORT: base + 2,
      H5_PORT: base + 3,
      LAMBDA_PORT: base + 4,
      // Object storage and the console too, so a journey never collides with a system already running on the defaults.
      S3_PORT: base + 5,
      CONSOLE_PORT: base + 6,
    };
    // The journeys serve their H5 build on H5_PORT: the API answers CORS for that origin only.
    process.env.E2E_H5_PORT = String(ports.H5_PORT);
    api = `http://127.0.0.1:${ports.API_PORT}`;
    process.env.E2E_STANDIN = `http://127.0.0.1:${ports.STANDIN_PORT}`;
    process.env.E2E_CONSOLE = `http://127.0.0.1:${ports.CONSOLE_PORT}`;
    const log = fs.openSync(LOG, 'w');
    const child = spawn('npm', ['start'], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
        DYNAMODB_IN_MEMORY: '1',
        SKIP_H5: '1',
        // A loaded machine (the H5 build runs beside it) may take minutes to load the functions.
        START_TIMEOUT_SECONDS: process.env.START_TIMEOUT_SECONDS ?? '280',
        // The invitations journey must see its SMS at any hour (quiet hours are tested on an injected clock).
        INVITE_QUIET_HOURS: 'none',
      }, // the journeys drive their own build (H5_OUT)
      stdio: ['ignore', log, log],
      detached: true,
    });
    pid = child.pid;
    fs.writeFileSync(STATE, JSON.stringify({ pid }));
    let exited: number | null = null;
    child.on('exit', (code) => (exited = code ?? -1));
    // START_TIMEOUT_SECONDS (280) is counted from when the functions start loading; DynamoDB Local and the seed come first.
    const deadline = Date.now() + 600_000;
    while (!(await answers(api))) {
      if (exited !== null || Date.now() > deadline) {
        // jest skips the teardown when the setup fails: stop what was started here.
        try {
          process.kill(-(pid as number), 'SIGKILL');
        } catch {
          // already gone
        }
        fs.rmSync(STATE, { force: true });
        const tail = fs.readFileSync(LOG, 'utf8').split('\n').slice(-40).join('\n');
        throw new Error(
          `npm start did not answer at ${api} (${exited !== null ? `exited ${exited}` : 'timed out'}); log ${LOG}:\n${tail}`,
        );
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  await build;
  process.env.E2E_API = api;
  process.env.E2E_H5_DIR = path.join(MINIAPP, H5_OUT);
}
