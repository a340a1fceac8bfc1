import { z } from 'zod';

/** Parsed once at cold start; a missing or malformed variable fails loudly. */
const Env = z.object({
  TABLE_NAME: z.string().min(1),
  CODE_SECRET: z.string().min(16),
  TOKEN_SECRET: z.string().min(16),
  /** base64 of 32 bytes: AES-256-GCM key for raters' and complainants' contact details. */
  PII_KEY: z.string().refine((v) => Buffer.from(v, 'base64').length === 32, 'PII_KEY must be 32 bytes base64'),
  WECHAT_API_BASE: z.string().url(),
  WECHAT_APPID: z.string().min(1),
  WECHAT_SECRET: z.string().min(1),
  SMS_API_BASE: z.string().url().default('https://sms.tencentcloudapi.com'),
  SMS_SECRET_ID: z.string().default(''),
  SMS_SECRET_KEY: z.string().default(''),
  SMS_SDK_APP_ID: z.string().default(''),
  /** Private bucket for generated and uploaded files (posters, imports, exports); required by gateways/storage.ts. */
  FILES_BUCKET: z.string().min(3).optional(),
  TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(7200),
});
export type Config = z.infer<typeof Env>;

let cached: Config | undefined;
export function config(): Config {
  if (!cached) {
    const parsed = Env.safeParse(process.env);
    if (!parsed.success) {
      throw new Error(
        `Invalid configuration: ${parsed.error.issues.map((i) => i.path.join('.') + ' ' + i.message).join('; ')}`,
      );
    }
    cached = parsed.data;
  }
  return cached;
}
