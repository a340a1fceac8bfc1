/**
 * Black-box check of a production-like system (issue "Trust", README "Secrets"): starts `STAGE=prod npm start` on
 * ports of its own and, from outside over HTTP only, checks what an attacker holding this repository could try:
 *
 *   1. a real sign-in (WeChat stand-in → POST /v1/auth/wechat) works and its token reads cases;
 *   2. the same claims signed with the repository's development TOKEN_SECRET are refused (401);
 *   3. a window code signed with the repository's development CODE_SECRET is refused (CODE_INVALID), the real one
 *      resolves;
 *   4. CORS answers a configured origin (the H5 one) and not a foreign one;
 *   5. once the development TOKEN_SECRET is put into Parameter Store, a function starting afresh refuses to serve
 *      (500 with the generic message) and the log names the parameter.
 *
 * Exit code 1 when any property does not hold. `CHECK_STAGE=dev` runs the same checks against a development system,
 * where 2, 3 and 5 must fail (the check can fail). Ports: CHECK_PORT_BASE … +5 (default 32040).
 *
 *   npm run check:prodlike
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { decodeJwt, SignJWT } from 'jose';
import { signCode } from '../functions/src/domain/code-signing';

const ROOT = join(__dirname, '..');
const DEV_TOKEN_SECRET = 'local-token-secret-0123456789abcdef';
const DEV_CODE_SECRET = 'local-code-secret-0123456789abcdef';
const GENERIC_500 = '系统繁忙，请稍后重试';

const stage = process.env.CHECK_STAGE ?? 'prod';
const base = Number(process.env.CHECK_PORT_BASE ?? 32040);
const ports = {
  API_PORT: base,
  STANDIN_PORT: base + 1,
  DYNAMODB_PORT: base + 2,
  H5_PORT: base + 3,
  S3_PORT: base + 4,
  CONSOLE_PORT: base + 5,
};
const api = `http://127.0.0.1:${ports.API_PORT}/v1`;
const h5Origin = `http://127.0.0.1:${ports.H5_PORT}`;
const logFile = join(tmpdir(), `check-prodlike-${base}.log`);

const results: { name: string; ok: boolean; saw: string }[] = [];
function check(name: string, ok: boolean, saw: string) {
  results.push({ name, ok, saw });
  console.log(`${ok ? '✓' : '✗'} ${name}  (${saw})`);
}

async function req(path: string, init: RequestInit & { token?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  if (init.body) headers.set('content-type', 'application/json');
  const r = await fetch(`${api}${path}`, { ...init, headers });
  const text = await r.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: r.status, body, headers: r.headers };
}

async function main() {
  const { openSync } = await import('node:fs');
  const log = openSync(logFile, 'w');
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
      STAGE: stage,
      DYNAMODB_IN_MEMORY: '1',
      SKIP_H5: '1',
      SKIP_CONSOLE: '1',
      // the functions' log lines (the refusal names the parameter there)
      VERBOSE: '1',
      START_TIMEOUT_SECONDS: process.env.START_TIMEOUT_SECONDS ?? '280',
      ESBUILD_WORK_FOLDER: `.esbuild/check-${base}`,
    },
    stdio: ['ignore', log, log],
    detached: true,
  });
  let exited: number | null = null;
  child.on('exit', (c) => (exited = c ?? -1));
  const stop = () => {
    try {
      process.kill(-(child.pid as number), 'SIGTERM');
    } catch {
      // already gone
    }
  };
  process.on('SIGINT', () => (stop(), process.exit(130)));
  try {
    const deadline = Date.now() + 600_000;
    for (;;) {
      if (exited !== null) throw new Error(`npm start exited (${exited}); log ${logFile}`);
      if (Date.now() > deadline) throw new Error(`npm start did not answer; log ${logFile}`);
      const up = await fetch(`${api}/codes/ping`).then(
        () => true,
        () => false,
      );
      if (up) break;
      await new Promise((r) => setTimeout(r, 2000));
    }
    console.log(`system (STAGE=${stage}) answers at ${api}; log ${logFile}`);

    // 1. A real sign-in.
    const signIn = await req('/auth/wechat', { method: 'POST', body: JSON.stringify({ code: 'demo-inspector' }) });
    const token: string | undefined = signIn.body?.token;
    const cases = await req('/cases', { token });
    check(
      'a real sign-in reads cases',
      signIn.status === 200 && cases.status === 200,
      `${signIn.status}, ${cases.status}`,
    );

    // 2. The same claims, signed with the repository's development secret.
    const claims = token ? decodeJwt(token) : {};
    const forged = await new SignJWT({ roles: claims.roles, gv: claims.gv })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(String(claims.sub))
      .setIssuer(String(claims.iss))
      .setAudience(claims.aud as string)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(DEV_TOKEN_SECRET));
    const withForged = await req('/cases', { token: forged });
    check(
      'a token signed with the development TOKEN_SECRET is refused',
      withForged.status === 401,
      `${withForged.status}`,
    );

    // 3. A window code signed with the development CODE_SECRET.
    const windows = await req('/windows?limit=1', { token });
    const real: string | undefined = windows.body?.items?.[0]?.code;
    const codeId = real?.split('.')[0] ?? 'w0000000';
    const forgedCode = signCode(DEV_CODE_SECRET, codeId);
    const realLookup = await req(`/codes/${encodeURIComponent(real ?? '')}`);
    const forgedLookup = await req(`/codes/${encodeURIComponent(forgedCode)}`);
    check(
      'a code signed with the development CODE_SECRET is refused, the real one resolves',
      realLookup.status === 200 && forgedLookup.status !== 200 && forgedLookup.body?.error?.code === 'CODE_INVALID',
      `real ${realLookup.status}, forged ${forgedLookup.status} ${forgedLookup.body?.error?.code ?? ''}`,
    );

    // 4. CORS: the configured H5 origin only.
    const preflight = (origin: string) =>
      fetch(`${api}/cases`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
      }).then((r) => r.headers.get('access-control-allow-origin'));
    const [mine, foreign] = [await preflight(h5Origin), await preflight('https://evil.example')];
    check(
      'CORS allows the H5 origin and not a foreign one',
      mine === h5Origin && foreign !== '*' && foreign !== 'https://evil.example',
      `H5 → ${mine}, foreign → ${foreign}`,
    );

    // 5. A published development value in Parameter Store: a function starting afresh refuses to serve.
    const ssm = new SSMClient({
      endpoint: `http://127.0.0.1:${ports.STANDIN_PORT}`,
      region: process.env.AWS_REGION ?? 'cn-northwest-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const parameter = `/mashang-jiandu/${stage}/TOKEN_SECRET`;
    await ssm.send(
      new PutParameterCommand({ Name: parameter, Value: DEV_TOKEN_SECRET, Type: 'SecureString', Overwrite: true }),
    );
    // GET /v1/audit has not run yet in this system: its function loads the secrets now.
    const refused = await req('/audit', { token });
    const logged = readFileSync(logFile, 'utf8').includes(
      `refusing to serve: secret parameter ${parameter} holds a known development value`,
    );
    check(
      'with the development TOKEN_SECRET in Parameter Store, a starting function refuses (generic 500, log names it)',
      refused.status === 500 && String(refused.body?.error?.message ?? '').includes(GENERIC_500) && logged,
      `${refused.status} ${refused.body?.error?.message ?? ''}; log line ${logged ? 'present' : 'absent'}`,
    );
  } finally {
    stop();
  }
  const failed = results.filter((r) => !r.ok);
  console.log(
    failed.length ? `${failed.length} of ${results.length} checks FAILED` : `all ${results.length} checks hold`,
  );
  process.exit(failed.length ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
