import { createHash, createHmac, randomBytes } from 'node:crypto';
import { SIGNATURE_SCHEME, stringToSign } from '@mashang/shared';

/**
 * How a service hall's system signs a request to the machine API (README "Signing the machine API"). Used by
 * the tests, the benchmark and `npm run post-services`; a reference for integrators.
 */
export interface ApiKey {
  keyId: string;
  secret: string;
}

export function signRequest(
  key: ApiKey,
  method: string,
  path: string,
  body: string,
  opts: { timestamp?: number; nonce?: string } = {},
) {
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = opts.nonce ?? randomBytes(16).toString('hex');
  const bodyHash = createHash('sha256').update(body, 'utf8').digest('hex');
  const signature = createHmac('sha256', key.secret)
    .update(stringToSign(method, path, timestamp, nonce, bodyHash))
    .digest('hex');
  return {
    authorization: `${SIGNATURE_SCHEME} KeyId=${key.keyId}, Timestamp=${timestamp}, Nonce=${nonce}, Signature=${signature}`,
    timestamp,
    nonce,
    signature,
    stringToSign: stringToSign(method, path, timestamp, nonce, bodyHash),
  };
}
