import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { config } from '../config';

/**
 * Contact details of raters and complainants are encrypted at rest with AES-256-GCM (on top of the table's own
 * encryption), so a table export or a department's read path never sees them in clear.
 */
export function encryptPii(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(config().PII_KEY, 'base64'), iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join(
    '.',
  );
}

export function decryptPii(sealed: string): string {
  const [v, iv, tag, data] = sealed.split('.');
  if (v !== 'v1') throw new Error('unknown PII envelope');
  const d = createDecipheriv('aes-256-gcm', Buffer.from(config().PII_KEY, 'base64'), Buffer.from(iv, 'base64url'));
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
 * A request's fingerprint for idempotency records: HMAC-SHA256 under a key derived with HKDF from PII_KEY (so no
 * new secret to deploy, and a table export without the key cannot test guesses of the phone a body held).
 */
export function requestFingerprint(text: string): string {
  fingerprintKey ??= Buffer.from(
    hkdfSync('sha256', Buffer.from(config().PII_KEY, 'base64'), Buffer.alloc(0), 'mashang/request-fingerprint/v1', 32),
  );
  return createHmac('sha256', fingerprintKey).update(text).digest('base64url');
}

/** 138****1234 */
export function maskPhone(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '***';
}
