// The unit tier runs without DynamoDB Local or stand-ins; config() still wants its variables (the PII key
// encrypts phones and keys request fingerprints). Nothing here is reachable: the fakes replace every port.
Object.assign(process.env, {
  TABLE_NAME: 'unit-no-table',
  CODE_SECRET: 'unit-code-secret-0123456789',
  TOKEN_SECRET: 'unit-token-secret-0123456789',
  PII_KEYS: `u1:${Buffer.alloc(32, 7).toString('base64')}`,
  WECHAT_API_BASE: 'http://127.0.0.1:9',
  WECHAT_APPID: 'wxunit',
  WECHAT_SECRET: 'unit',
  ALERT_BACKOFF_MS: '0',
  POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'ERROR',
});
