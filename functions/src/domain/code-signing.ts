import { randomBytes, timingSafeEqual } from 'node:crypto';
import { parseCode, type CodeKind, type ParsedCode } from '@mashang/shared';
import { hmac } from '../lib/crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A fresh code id: kind letter + 8 random base62 characters (~47 bits). */
export function newCodeId(kind: CodeKind): string {
  const bytes = randomBytes(8);
  let id = kind === 'window' ? 'w' : 'e';
  for (const b of bytes) id += BASE62[b % 62];
  return id;
}

function signature(secret: string, codeId: string): string {
  // 12 base64url characters = 72 bits of HMAC-SHA256: forging one is out of reach, and the code stays ≤ 32.
  return hmac(secret, `code:v1:${codeId}`).toString('base64url').slice(0, 12);
}

/** `w3kT9aZq1.<sig>`: 22 characters, fits WeChat's 32-character `scene`. */
export function signCode(secret: string, codeId: string): string {
  return `${codeId}.${signature(secret, codeId)}`;
}

/** The parsed code when its signature is genuine, else null. */
export function verifyCode(secret: string, code: string): ParsedCode | null {
  const parsed = parseCode(code);
  if (!parsed) return null;
  const expected = Buffer.from(signature(secret, parsed.codeId));
  const given = Buffer.from(parsed.signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? parsed : null;
}
