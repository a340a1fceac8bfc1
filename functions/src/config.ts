import * as z from 'zod/mini';

/** Parsed once at cold start; a missing or malformed variable fails loudly. (zod/mini: the tree-shakable API.) */
const Env = z.object({
  TABLE_NAME: z.string().check(z.minLength(1)),
  CODE_SECRET: z.string().check(z.minLength(16)),
  TOKEN_SECRET: z.string().check(z.minLength(16)),
  /** base64 of 32 bytes: AES-256-GCM key for raters' and complainants' contact details. */
  PII_KEY: z.string().check(z.refine((v) => Buffer.from(v, 'base64').length === 32, 'PII_KEY must be 32 bytes base64')),
  WECHAT_API_BASE: z.url(),
  WECHAT_APPID: z.string().check(z.minLength(1)),
  WECHAT_SECRET: z.string().check(z.minLength(1)),
  SMS_API_BASE: z._default(z.url(), 'https://sms.tencentcloudapi.com'),
  SMS_SECRET_ID: z._default(z.string(), ''),
  SMS_SECRET_KEY: z._default(z.string(), ''),
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
