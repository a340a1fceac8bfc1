import { AppError } from '../lib/errors';

/** Opaque cursors: DynamoDB's LastEvaluatedKey, base64url JSON, checked to belong to the same list. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

export function decodeCursor(
  cursor: string | undefined,
  expect: Record<string, string>,
): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new AppError('VALIDATION_FAILED', '分页游标无效');
  }
  const ok =
    typeof key === 'object' &&
    key !== null &&
    Object.values(key).every((v) => typeof v === 'string') &&
    Object.entries(expect).every(([k, v]) => (key as Record<string, unknown>)[k] === v);
  if (!ok) throw new AppError('VALIDATION_FAILED', '分页游标无效');
  return key as Record<string, unknown>;
}
