import { IX, K, indexAttrs } from './keys';
import { getItem, putNew, queryIndex, strip, transact, update } from './table';

/**
 * Per-department API keys of the machine API (POST /v1/services). The secret is stored only AES-256-GCM
 * encrypted (the HMAC check needs the secret itself, so a one-way hash cannot serve); the clear secret is shown
 * once, at creation. A department's keys are listed through gsi1 `APIKEYS`. Replay guard: each signed request's
 * nonce is written once (`NONCE#<keyId>#<nonce>`), expiring by TTL after the allowed clock skew.
 */
export interface ApiKeyItem {
  keyId: string;
  departmentId: string;
  departmentPath: string;
  name: string;
  status: 'active' | 'revoked';
  /** Encrypted secret (lib/crypto encryptPii envelope). */
  secretSealed: string;
  createdAt: string;
  createdBy: string;
  revokedAt?: string;
  revokedBy?: string;
}

export async function putApiKey(k: ApiKeyItem): Promise<void> {
  const r = await transact([
    putNew({
      ...K.apiKey(k.keyId),
      ...indexAttrs(IX.apiKeys(k.departmentPath, k.createdAt, k.keyId)),
      type: 'api-key',
      ...k,
    }),
  ]);
  if (r !== 'stored') throw new Error(`api key not stored: ${r.reasons.join(',')}`);
}

export const getApiKey = (keyId: string) => getItem<ApiKeyItem>(K.apiKey(keyId));

/** Revoke; a second revoke changes nothing. Returns the key as stored afterwards. */
export async function revokeApiKey(keyId: string, by: string, at: string): Promise<ApiKeyItem | undefined> {
  await transact([
    update(K.apiKey(keyId), {
      set: 'SET #s = :revoked, revokedAt = :at, revokedBy = :by',
      condition: 'attribute_exists(pk) AND #s = :active',
      names: { '#s': 'status' },
      values: { ':revoked': 'revoked', ':active': 'active', ':at': at, ':by': by },
    }),
  ]);
  return getApiKey(keyId);
}

/** Keys of the departments within `scope`, paged. */
export async function listApiKeys(scope: string, cursor: string | undefined, limit: number) {
  const page = await queryIndex(IX.apiKeys(scope), { sk: 'prefix', limit, cursor });
  return { items: page.items.map((i) => strip<ApiKeyItem>(i)), cursor: page.cursor };
}

/** Record a signed request's nonce; false when this key already used it (a replay). */
export async function recordNonce(keyId: string, nonce: string, expiresAt: number): Promise<boolean> {
  return (await transact([putNew({ ...K.nonce(keyId, nonce), type: 'nonce', expiresAt })])) === 'stored';
}
