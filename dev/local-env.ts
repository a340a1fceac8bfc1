/**
 * The environment of the local system: the same variables serverless.yml gives the functions in AWS, pointed at
 * DynamoDB Local and the stand-ins. Every value can be overridden from the shell.
 */
export interface LocalPorts {
  api: number;
  dynamodb: number;
  standin: number;
  h5: number;
  /** S3-compatible object storage (s3rver). */
  s3: number;
  /** The web console (console/). */
  console: number;
}

export const DEFAULT_PORTS: LocalPorts = {
  api: Number(process.env.API_PORT ?? 3000),
  dynamodb: Number(process.env.DYNAMODB_PORT ?? 8000),
  standin: Number(process.env.STANDIN_PORT ?? 3900),
  h5: Number(process.env.H5_PORT ?? 10086),
  s3: Number(process.env.S3_PORT ?? 4569),
  console: Number(process.env.CONSOLE_PORT ?? 10088),
};

export const LOCAL_WECHAT = {
  appid: 'wx5a3c1f2e4b6d8a90',
  secret: 'local-wechat-secret-0123456789abcdef',
  /** The website application (网站应用) of the console's QR login, same open-platform account (same unionids). */
  web: { appid: 'wxd1f0c3b5a7e9240b', secret: 'local-wechat-web-secret-0123456789ab' },
};
export const LOCAL_SMS = {
  secretId: 'AKIDlocalstandin0000000000000000',
  secretKey: 'local-sms-secret-key-000000000000',
  sdkAppId: '1400123456',
};

export function localEnv(
  ports: Pick<LocalPorts, 'dynamodb' | 'standin'> & Partial<Pick<LocalPorts, 's3' | 'h5'>>,
  tableName = 'mashang-dev',
): Record<string, string> {
  const e = (k: string, v: string) => process.env[k] ?? v;
  return {
    TABLE_NAME: e('TABLE_NAME', tableName),
    AWS_REGION: e('AWS_REGION', 'cn-northwest-1'),
    // s3rver knows one account, S3RVER/S3RVER (it checks the key id, not the signature); DynamoDB Local takes any.
    AWS_ACCESS_KEY_ID: e('AWS_ACCESS_KEY_ID', 'S3RVER'),
    AWS_SECRET_ACCESS_KEY: e('AWS_SECRET_ACCESS_KEY', 'S3RVER'),
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${ports.dynamodb}`,
    // The SDK reads service-specific endpoints itself; storage.ts switches to path-style when this is set.
    AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${ports.s3 ?? DEFAULT_PORTS.s3}`,
    FILES_BUCKET: e('FILES_BUCKET', `${tableName}-files`),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    CODE_SECRET: e('CODE_SECRET', 'local-code-secret-0123456789abcdef'),
    TOKEN_SECRET: e('TOKEN_SECRET', 'local-token-secret-0123456789abcdef'),
    // A keyring (kid:base64 key, first encrypts); see functions/src/config.ts.
    PII_KEYS: e('PII_KEYS', `k1:${Buffer.from('local-pii-key-32-bytes-long!!!!!').toString('base64')}`),
    WECHAT_API_BASE: `http://127.0.0.1:${ports.standin}`,
    WECHAT_APPID: LOCAL_WECHAT.appid,
    WECHAT_SECRET: LOCAL_WECHAT.secret,
    WECHAT_WEB_APPID: LOCAL_WECHAT.web.appid,
    WECHAT_WEB_SECRET: LOCAL_WECHAT.web.secret,
    // The local/dev stage reads secrets from this environment; any other stage reads SSM Parameter Store.
    STAGE: e('STAGE', 'local'),
    SMS_API_BASE: `http://127.0.0.1:${ports.standin}`,
    SMS_SECRET_ID: LOCAL_SMS.secretId,
    SMS_SECRET_KEY: LOCAL_SMS.secretKey,
    SMS_SDK_APP_ID: LOCAL_SMS.sdkAppId,
    // 一事一评: the invitation link falls back to the local H5 build; the provider's send-rate limit.
    INVITE_H5_BASE: e('INVITE_H5_BASE', `http://127.0.0.1:${ports.h5 ?? DEFAULT_PORTS.h5}`),
    SMS_RATE_PER_SECOND: e('SMS_RATE_PER_SECOND', '20'),
    INVITE_QUIET_HOURS: e('INVITE_QUIET_HOURS', '21-8'),
    POWERTOOLS_LOG_LEVEL: e('POWERTOOLS_LOG_LEVEL', 'WARN'),
    // Browser origins the API answers CORS for: the console and the H5 app (serverless.yml says the same).
    ALLOWED_ORIGINS: e(
      'ALLOWED_ORIGINS',
      `http://127.0.0.1:${process.env.CONSOLE_PORT ?? 10088},http://127.0.0.1:${DEFAULT_PORTS.h5}`,
    ),
  };
}
