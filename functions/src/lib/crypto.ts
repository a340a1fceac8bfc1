import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { config } from '../config';

/**
 * Contact details of raters and complainants are encrypted at rest with AES-256-GCM (on top of the table's own
 * encryption), so a table export or a department's read path never sees them in clear. Each ciphertext names the
 * key that sealed it (`v2.<kid>.…`), so PII_KEYS can rotate: the first key of the ring encrypts, every key in the
 * ring decrypts. Envelopes `v1.…` (before key ids) are opened with the oldest key of the ring.
 */
export function encryptPii(plain: string): string {
  const { id, key } = config().PII_KEYS[0];
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [
    'v2',
    id,
    iv.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
    data.toString('base64url'),
  ].join('.');
}

export function decryptPii(sealed: string): string {
  const parts = sealed.split('.');
  const ring = config().PII_KEYS;
  let key: Buffer | undefined;
  let rest: string[];
  if (parts[0] === 'v2' && parts.length === 5) {
    key = ring.find((k) => k.id === parts[1])?.key;
    if (!key) throw new Error(`PII key ${parts[1]} is not in the keyring`);
    rest = parts.slice(2);
  } else if (parts[0] === 'v1' && parts.length === 4) {
    key = ring[ring.length - 1].key;
    rest = parts.slice(1);
  } else {
    throw new Error('unknown PII envelope');
  }
  const [iv, tag, data] = rest;
  const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  d.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([d.update(Buffer.from(data, 'base64url')), d.final()]).toString('utf8');
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function hmac(secret: string, text: string): Buffer {
  return createHmac('sha256', secret).update(text).digest();
}

let fingerprintKey: Buffer | undefined;

/**
 * A request's fingerprint for idempotency records: HMAC-SHA256 under a key derived with HKDF from the oldest key of
 * the PII keyring (so no new secret to deploy, a rotation that adds a key keeps the fingerprints, and a table export
 * without the key cannot test guesses of the phone a body held).
 */
export function requestFingerprint(text: string): string {
  const ring = config().PII_KEYS;
  fingerprintKey ??= Buffer.from(
    hkdfSync('sha256', ring[ring.length - 1].key, Buffer.alloc(0), 'mashang/request-fingerprint/v1', 32),
  );
  return createHmac('sha256', fingerprintKey).update(text).digest('base64url');
}

let lookupKey: Buffer | undefined;

/**
 * A keyed hash of a personal value used as a lookup key (a phone's daily invitation cap and its opt-out): HMAC-SHA256
 * under an HKDF key from the oldest key of the PII keyring, like the fingerprints, so adding a key keeps every
 * stored lookup valid and the table alone cannot confirm a guessed number.
 */
export function piiLookupHash(text: string): Buffer {
  const ring = config().PII_KEYS;
  lookupKey ??= Buffer.from(
    hkdfSync('sha256', ring[ring.length - 1].key, Buffer.alloc(0), 'mashang/pii-lookup/v1', 32),
  );
  return createHmac('sha256', lookupKey).update(text).digest();
}

/** 138****1234 */
export function maskPhone(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '***';
}

/**
 * The Token of WeChat's message push (消息推送) configuration, derived from the AppSecret with HKDF so there is no
 * extra secret to deploy: enter `wechatPushToken(<AppSecret>)` (32 hex digits) as the Token in the WeChat console.
 */
export function wechatPushToken(appSecret: string): string {
  return Buffer.from(hkdfSync('sha256', appSecret, Buffer.alloc(0), 'mashang/wechat-push-token/v1', 16)).toString(
    'hex',
  );
}

/**
 * The signature WeChat puts on every pushed message: SHA-1 of the Token, timestamp and nonce sorted and joined.
 * https://developers.weixin.qq.com/miniprogram/dev/framework/server-ability/message-push.html
 */
export function wechatPushSignature(token: string, timestamp: string, nonce: string): string {
  return createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');
}
