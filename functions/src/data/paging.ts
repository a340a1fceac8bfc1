import { timingSafeEqual } from 'node:crypto';
import { config } from '../config';
import { hmac } from '../lib/crypto';
import { AppError } from '../lib/errors';

/**
 * Opaque cursors: DynamoDB's LastEvaluatedKey as base64url JSON plus an HMAC of it, so a hand-made or altered
 * cursor (other keys, another list's key) is refused with 400 before it reaches DynamoDB.
 */
const sign = (payload: string) =>
  hmac(config().TOKEN_SECRET, `cursor:${payload}`).subarray(0, 16).toString('base64url');

export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  if (!key) return undefined;
  const payload = Buffer.from(JSON.stringify(key)).toString('base64url');
  return `${payload}.${sign(payload)}`;
}

export function decodeCursor(
  cursor: string | undefined,
  expect: Record<string, string>,
): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  const invalid = () => new AppError('VALIDATION_FAILED', '分页游标无效');
  const [payload, mac, extra] = cursor.split('.');
  if (!payload || !mac || extra !== undefined) throw invalid();
  const want = Buffer.from(sign(payload));
  const got = Buffer.from(mac);
  if (want.length !== got.length || !timingSafeEqual(want, got)) throw invalid();
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const ok =
    typeof key === 'object' &&
    key !== null &&
    Object.values(key).every((v) => typeof v === 'string') &&
    Object.entries(expect).every(([k, v]) => (key as Record<string, unknown>)[k] === v);
  if (!ok) throw invalid();
  return key as Record<string, unknown>;
}
