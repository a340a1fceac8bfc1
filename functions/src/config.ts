import * as z from 'zod/mini';

/**
 * Configuration, parsed once at cold start with zod; a missing or malformed value fails loudly.
 *
 * Plain settings come from the environment (serverless.yml). Secrets never do outside the local/dev stage: they are
 * SecureString parameters in SSM Parameter Store under `SECRETS_PATH` (`/mashang-jiandu/<stage>/<NAME>`), read at
 * cold start with Powertools Parameters and cached (README "Secrets"). On the local/dev stage they come from the
 * environment that `dev/local-env.ts` sets. Outside it a secret that is missing or is a known development value
 * makes every function refuse to serve (500, generic message, one log line naming the parameter).
 */
// zod/mini (the tree-shakable API): every function bundles this file.
const Env = z.object({
  TABLE_NAME: z.string().check(z.minLength(1)),
  /** The deployment stage; `local` and `dev` are the developer's own machine. */
  STAGE: z._default(z.string().check(z.minLength(1)), 'local'),
  /** SSM path prefix of the secrets (outside local/dev). */
  SECRETS_PATH: z.optional(z.string()),
  WECHAT_API_BASE: z.url(),
  WECHAT_APPID: z.string().check(z.minLength(1)),
  /** The WeChat website application (网站应用) of the console's QR login; empty = QR login not configured. */
  WECHAT_WEB_APPID: z._default(z.string(), ''),
  SMS_API_BASE: z._default(z.url(), 'https://sms.tencentcloudapi.com'),
  SMS_SDK_APP_ID: z._default(z.string(), ''),
  /** 一事一评: SMS template of the rating invitation, the provider's send-rate limit, the H5 fallback of its link. */
  SMS_TEMPLATE_INVITE: z._default(z.string(), '2046002'),
  SMS_RATE_PER_SECOND: z._default(z.coerce.number().check(z.gte(1)), 20),
  INVITE_H5_BASE: z._default(z.url(), 'https://mashang.haibei.gov.cn/h5'),
  /** Quiet hours of invitation SMS, `HH-HH` China time (shared/invitations parseQuietHours); default 21-8. */
  INVITE_QUIET_HOURS: z._default(z.string().check(z.regex(/^(\d{1,2}-\d{1,2}|none)$/)), '21-8'),
  /** Private bucket for generated and uploaded files (posters, imports, exports); required by gateways/storage.ts. */
  FILES_BUCKET: z.optional(z.string().check(z.minLength(3))),
  TOKEN_TTL_SECONDS: z._default(z.coerce.number().check(z.multipleOf(1), z.positive()), 7200),
  /** Days after a case closes before the filer's phone and name are erased (retention rule). */
  RETENTION_DAYS: z._default(z.coerce.number().check(z.multipleOf(1), z.positive()), 180),
});

/**
 * A keyring for contact details: `kid:base64key` entries separated by commas, the first one encrypts, all of them
 * decrypt. Rotation = put a new key first and keep the old ones until no ciphertext uses them.
 */
interface PiiKey {
  id: string;
  key: Buffer;
}
function parseKeyring(v: string): PiiKey[] | undefined {
  const keys = v
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)
    .map((e) => {
      const i = e.indexOf(':');
      return { id: i > 0 ? e.slice(0, i) : '', key: Buffer.from(i > 0 ? e.slice(i + 1) : '', 'base64') };
    });
  if (keys.length === 0 || keys.some((k) => !/^[A-Za-z0-9_-]{1,16}$/.test(k.id) || k.key.length !== 32))
    return undefined;
  return keys;
}
const Keyring = z.pipe(
  z
    .string()
    .check(
      z.refine((v) => parseKeyring(v) !== undefined, 'PII_KEYS must be kid:base64(32 bytes)[,kid:base64(32 bytes)…]'),
    ),
  z.transform((v) => parseKeyring(v)!),
);

const Secrets = z.object({
  CODE_SECRET: z.string().check(z.minLength(16)),
  TOKEN_SECRET: z.string().check(z.minLength(16)),
  PII_KEYS: Keyring,
  WECHAT_SECRET: z.string().check(z.minLength(1)),
  /** The website application's AppSecret (optional: without it the console offers no QR login). */
  WECHAT_WEB_SECRET: z._default(z.string(), ''),
  SMS_SECRET_ID: z._default(z.string(), ''),
  SMS_SECRET_KEY: z._default(z.string(), ''),
});

export const SECRET_NAMES = [
  'CODE_SECRET',
  'TOKEN_SECRET',
  'PII_KEYS',
  'WECHAT_SECRET',
  'WECHAT_WEB_SECRET',
  'SMS_SECRET_ID',
  'SMS_SECRET_KEY',
] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

/**
 * Values that were ever committed to this repository (old serverless.yml defaults, dev/local-env.ts). Anyone can
 * read them, so a deployed stage that uses one of them is as good as unprotected.
 */
export const KNOWN_DEVELOPMENT_VALUES: readonly string[] = [
  'dev-code-secret-change-me-000000000000',
  'dev-token-secret-change-me-00000000000',
  'ZGV2LXBpaS1rZXktMzItYnl0ZXMtY2hhbmdlLW1lISE=',
  'dev-wechat-secret',
  'dev-sms-secret-id',
  'dev-sms-secret-key',
  'local-code-secret-0123456789abcdef',
  'local-token-secret-0123456789abcdef',
  Buffer.from('local-pii-key-32-bytes-long!!!!!').toString('base64'),
  'local-wechat-secret-0123456789abcdef',
  'local-wechat-web-secret-0123456789ab',
  'AKIDlocalstandin0000000000000000',
  'local-sms-secret-key-000000000000',
];

export type Config = z.infer<typeof Env> & z.infer<typeof Secrets>;

/** A configuration problem: logged once with its detail, answered with the generic 500. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const isLocalStage = (stage: string | undefined) => !stage || stage === 'local' || stage === 'dev';

/** How long secrets are cached before Parameter Store is asked again (rotation takes effect within this). */
const SECRETS_MAX_AGE_SECONDS = 300;

let cached: { config: Config; at: number } | undefined;

function parseEnv() {
  const parsed = Env.safeParse(process.env);
  if (!parsed.success) {
    throw new ConfigError(
      `Invalid configuration: ${parsed.error.issues.map((i) => i.path.join('.') + ' ' + i.message).join('; ')}`,
    );
  }
  return parsed.data;
}

function parseSecrets(raw: Record<string, unknown>, where: (name: string) => string) {
  const parsed = Secrets.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new ConfigError(`secret parameter ${where(String(i.path[0]))} is invalid: ${i.message}`);
  }
  return parsed.data;
}

/** Reject a secret that is a value published in this repository (each entry of a keyring too). */
export function assertNoDevelopmentValues(
  raw: Record<string, string | undefined>,
  where: (name: string) => string,
): void {
  for (const name of SECRET_NAMES) {
    const v = raw[name];
    if (!v) continue;
    const parts = name === 'PII_KEYS' ? v.split(',').map((e) => e.slice(e.indexOf(':') + 1).trim()) : [v];
    if (parts.some((p) => KNOWN_DEVELOPMENT_VALUES.includes(p))) {
      throw new ConfigError(`secret parameter ${where(name)} holds a known development value; put a new random value`);
    }
  }
}

/**
 * The configuration, synchronously. On the local/dev stage it is read from the environment on first use; on any
 * other stage `loadConfig()` (called by every entry point) must have read the secrets first.
 */
export function config(): Config {
  if (cached) return cached.config;
  const env = parseEnv();
  if (!isLocalStage(env.STAGE))
    throw new ConfigError('configuration used before the secrets were loaded (call loadConfig first)');
  const raw = Object.fromEntries(SECRET_NAMES.map((n) => [n, process.env[n]]));
  cached = { config: { ...env, ...parseSecrets(raw, (n) => `env ${n}`) }, at: Date.now() };
  return cached.config;
}

/** SSM parameter names of the secrets for this stage. */
export function secretParameterNames(env: { STAGE: string; SECRETS_PATH?: string }): Record<SecretName, string> {
  const base = (env.SECRETS_PATH ?? `/mashang-jiandu/${env.STAGE}`).replace(/\/$/, '');
  return Object.fromEntries(SECRET_NAMES.map((n) => [n, `${base}/${n}`])) as Record<SecretName, string>;
}

/** Secrets that must exist (the SMS pair may be absent where SMS is not configured). */
const REQUIRED: readonly SecretName[] = ['CODE_SECRET', 'TOKEN_SECRET', 'PII_KEYS', 'WECHAT_SECRET'];

/**
 * Entry points await this before anything else: on stages other than local/dev it reads the secrets from Parameter
 * Store (SecureString, decrypted; cached by Powertools and here for SECRETS_MAX_AGE_SECONDS).
 * https://docs.powertools.aws.dev/lambda/typescript/latest/features/parameters/
 */
export async function loadConfig(): Promise<Config> {
  if (cached && Date.now() - cached.at < SECRETS_MAX_AGE_SECONDS * 1000) return cached.config;
  const env = parseEnv();
  if (isLocalStage(env.STAGE)) return config();
  const names = secretParameterNames(env);
  // Imported here so the local stage and the tests never load the SSM client.
  const { getParametersByName } = await import('@aws-lambda-powertools/parameters/ssm');
  const got = (await getParametersByName<string>(Object.fromEntries(Object.values(names).map((n) => [n, {}])), {
    decrypt: true,
    maxAge: SECRETS_MAX_AGE_SECONDS,
    throwOnError: false,
  })) as Record<string, string | string[] | undefined> & { _errors?: string[] };
  const raw: Record<string, string | undefined> = {};
  for (const n of SECRET_NAMES) {
    const v = got[names[n]];
    raw[n] = typeof v === 'string' && v.length > 0 ? v : undefined;
  }
  const missing = REQUIRED.filter((n) => !raw[n]);
  if (missing.length)
    throw new ConfigError(
      `missing secret parameter ${missing.map((n) => names[n]).join(', ')} (SSM SecureString; see README "Secrets")`,
    );
  assertNoDevelopmentValues(raw, (n) => names[n as SecretName]);
  cached = { config: { ...env, ...parseSecrets(raw, (n) => names[n as SecretName] ?? n) }, at: Date.now() };
  return cached.config;
}

/** Tests only: forget the cached configuration. */
export function resetConfigForTests(): void {
  cached = undefined;
}
