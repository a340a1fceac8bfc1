import { timingSafeEqual } from 'node:crypto';
import { SIGNATURE_MAX_SKEW_SECONDS, SIGNATURE_SCHEME, stringToSign } from '@mashang/shared';
import { getApiKey, recordNonce } from '../data/api-keys';
import { decryptPii, hmac, sha256 } from '../lib/crypto';
import { AppError } from '../lib/errors';

/** What a signed machine request carries (README "Signing the machine API"). */
export interface SignedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  rawBody: string;
}

export interface MachineCaller {
  keyId: string;
  departmentId: string;
  departmentPath: string;
}

const bad = (message: string) => new AppError('SIGNATURE_INVALID', message);

/**
 * Verify a request signed with a department's API key:
 *   Authorization: MSJD1-HMAC-SHA256 KeyId=<keyId>, Timestamp=<unix s>, Nonce=<16–64 chars>, Signature=<hex>
 * signature = hex HMAC-SHA256(secret, stringToSign(method, path, timestamp, nonce, hex SHA-256(body))).
 * Order of checks: format → key (active) → clock skew → signature → nonce (replay). A refused request stores
 * nothing but, once genuine, its nonce.
 */
export async function verifyMachineRequest(req: SignedRequest, now: Date): Promise<MachineCaller> {
  const auth = req.headers['authorization'] ?? '';
  const m = new RegExp(
    `^${SIGNATURE_SCHEME} KeyId=([A-Za-z0-9_-]{4,64}), Timestamp=(\\d{9,11}), Nonce=([A-Za-z0-9_-]{16,64}), Signature=([0-9a-f]{64})$`,
  ).exec(auth.trim());
  if (!m)
    throw new AppError(
      'UNAUTHENTICATED',
      `缺少或无法识别的签名（Authorization: ${SIGNATURE_SCHEME} KeyId=…, Timestamp=…, Nonce=…, Signature=…）`,
    );
  const [, keyId, timestamp, nonce, signature] = m;
  const key = await getApiKey(keyId);
  if (!key || key.status !== 'active') throw bad('API 密钥不存在或已停用');
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > SIGNATURE_MAX_SKEW_SECONDS) {
    throw new AppError(
      'TIMESTAMP_SKEW',
      `请求时间与服务器相差超过 ${SIGNATURE_MAX_SKEW_SECONDS / 60} 分钟，请校准时钟后重新签名`,
    );
  }
  const expected = hmac(
    decryptPii(key.secretSealed),
    stringToSign(req.method, req.path, timestamp, nonce, sha256(req.rawBody)),
  ).toString('hex');
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) throw bad('签名不正确');
  // The nonce is kept past the skew window on both sides, so a replay is refused for as long as it could pass.
  const fresh = await recordNonce(keyId, nonce, Number(timestamp) + 2 * SIGNATURE_MAX_SKEW_SECONDS + 60);
  if (!fresh) throw new AppError('REPLAYED', '该请求已处理过（Nonce 重复），请勿重放；重试请重新签名');
  return { keyId, departmentId: key.departmentId, departmentPath: key.departmentPath };
}
