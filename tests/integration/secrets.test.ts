import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { httpEvent } from '../../dev/http-event';
import { LOCAL_WECHAT } from '../../dev/local-env';
import { uniq } from '../support/api';

/**
 * Secrets outside the local/dev stage come from SSM Parameter Store (here the stand-in, same protocol). Each test
 * loads the functions afresh (a cold start) with STAGE=prod and a parameter path of its own.
 */
type Handler = (e: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;
const ssm = () =>
  new SSMClient({
    endpoint: process.env.WECHAT_API_BASE,
    region: 'cn-northwest-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

async function putParams(path: string, values: Record<string, string>) {
  for (const [k, v] of Object.entries(values)) {
    await ssm().send(
      new PutParameterCommand({ Name: `${path}/${k}`, Value: v, Type: 'SecureString', Overwrite: true }),
    );
  }
}

const fresh = () => ({
  CODE_SECRET: randomBytes(32).toString('base64url'),
  TOKEN_SECRET: randomBytes(32).toString('base64url'),
  PII_KEYS: `k2:${randomBytes(32).toString('base64')}`,
  WECHAT_SECRET: LOCAL_WECHAT.secret.replace('local', 'prod'),
});

/** Run `fn` with the handlers of a cold start on a production-like stage; log lines are captured. */
async function onProdStage<T>(
  path: string,
  fn: (h: { lookup: Handler; list: Handler; logs: () => string }) => Promise<T>,
): Promise<T> {
  const saved = { ...process.env };
  const lines: string[] = [];
  // The structured log goes to stdout/stderr; captured (and kept out of the test output) to read what it says.
  const capture = (chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture as any);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture as any);
  Object.assign(process.env, {
    STAGE: 'prod',
    SECRETS_PATH: path,
    AWS_ENDPOINT_URL_SSM: process.env.WECHAT_API_BASE,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
  for (const k of ['CODE_SECRET', 'TOKEN_SECRET', 'PII_KEYS', 'WECHAT_SECRET']) delete process.env[k];
  try {
    let result: T | undefined;
    await jest.isolateModulesAsync(async () => {
      const { lookup } = await import('../../functions/src/handlers/scan');
      const { list } = await import('../../functions/src/handlers/cases');
      result = await fn({ lookup, list, logs: () => lines.join('') });
    });
    return result as T;
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.env = saved;
  }
}

describe('secrets from SSM Parameter Store outside the local stage', () => {
  test('when a secret parameter is missing, then every request gets the generic 500 and one log line names the parameter', async () => {
    const path = `/mashang-jiandu/${uniq('stage')}`;
    const { TOKEN_SECRET, ...rest } = fresh();
    await putParams(path, rest);

    await onProdStage(path, async ({ lookup, logs }) => {
      const r = await lookup(httpEvent({ params: { code: 'W1abc' } }));
      expect(r.statusCode).toBe(500);
      expect(JSON.parse(String(r.body))).toEqual({ error: { code: 'INTERNAL', message: '系统繁忙，请稍后重试' } });
      expect(String(r.body)).not.toContain('TOKEN_SECRET');
      const refusals = logs()
        .split('\n')
        .filter((l) => l.includes('refusing to serve'));
      expect(refusals).toHaveLength(1);
      expect(refusals[0]).toContain(`missing secret parameter ${path}/TOKEN_SECRET`);
    });
    expect(TOKEN_SECRET).toBeDefined();
  });

  test.each([
    ['TOKEN_SECRET', 'local-token-secret-0123456789abcdef'],
    ['CODE_SECRET', 'dev-code-secret-change-me-000000000000'],
    ['PII_KEYS', `k1:${Buffer.from('local-pii-key-32-bytes-long!!!!!').toString('base64')}`],
  ])(
    'when %s holds a development value published in the repository, then the function refuses to serve',
    async (name, value) => {
      const path = `/mashang-jiandu/${uniq('stage')}`;
      await putParams(path, { ...fresh(), [name]: value });

      await onProdStage(path, async ({ lookup, logs }) => {
        const r = await lookup(httpEvent({ params: { code: 'W1abc' } }));
        expect(r.statusCode).toBe(500);
        expect(logs()).toContain(`secret parameter ${path}/${name} holds a known development value`);
      });
    },
  );

  test('when every secret is set, then it serves, and a token signed with the local development secret is refused', async () => {
    const path = `/mashang-jiandu/${uniq('stage')}`;
    await putParams(path, fresh());

    await onProdStage(path, async ({ lookup, list }) => {
      const r = await lookup(httpEvent({ params: { code: 'W1abc' } }));
      expect(r.statusCode).toBe(404); // served: an unknown code, not a configuration failure
      const forged = await new SignJWT({ roles: [{ role: 'inspector', scope: 'haibei' }], gv: 0 })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('u-forged')
        .setIssuer('mashang-jiandu')
        .setAudience('mashang-jiandu-api')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode('local-token-secret-0123456789abcdef'));
      const res = await list(httpEvent({ token: forged }));
      expect(res.statusCode).toBe(401);
    });
  });
});
