import { SignJWT, jwtVerify } from 'jose';
import { ROLES, type RoleGrant } from '@mashang/shared';
import * as z from 'zod/mini';
import { config } from '../config';
import { AppError } from './errors';
import { TtlCache } from './ttl-cache';

/** The product's own session: who the caller is and the role grants read from the data at login. */
export interface Session {
  userId: string;
  grants: RoleGrant[];
}

const ISSUER = 'mashang-jiandu';
/** The API is the only audience of its tokens. */
const AUDIENCE = 'mashang-jiandu-api';

const Claims = z.object({
  sub: z.string(),
  exp: z.number(),
  /** The user's grants version at login: a grant added or removed since then ends the session. */
  gv: z.number().check(z.minimum(0)),
  roles: z.array(z.object({ role: z.enum(ROLES), scope: z.string() })),
});

const key = () => new TextEncoder().encode(config().TOKEN_SECRET);

export async function issueToken(s: Session & { grantsVersion: number }): Promise<string> {
  return new SignJWT({ roles: s.grants, gv: s.grantsVersion })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(s.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${config().TOKEN_TTL_SECONDS}s`)
    .sign(key());
}

/**
 * Verify the token (signature, issuer, audience, an expiry that must be present) and that the user's grants have
 * not changed since it was issued: one read of the user's grants version per request, cached in the process for
 * at most GRANTS_CHECK_SECONDS, so a removed role stops working within a minute, not at the token's expiry (a
 * roles-less token of a user whose grants never changed needs no read, see below).
 */
export async function verifySession(authorization: string | undefined): Promise<Session | undefined> {
  if (!authorization) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!m) throw new AppError('UNAUTHENTICATED', '登录凭证格式不正确');
  const c = await verifiedClaims(m[1]);
  // A token that carries no role and was issued before any grant change has nothing a revocation could take away:
  // the grants-version read (one GetItem, uncached for every new citizen) is skipped for it. A role granted since
  // takes effect at the next login, as it would anyway (the roles live in the token). Users are never deleted and a
  // token is only signed at a login, which stores the user. Issue 9: a 好评 is then 2 sequential requests, not 3.
  if (c.roles.length === 0 && c.gv === 0) return { userId: c.sub, grants: [] };
  const current = await cachedGrantsVersion(c.sub);
  if (current === undefined) throw new AppError('UNAUTHENTICATED', '登录已过期，请重新登录');
  if (current !== c.gv) throw new AppError('UNAUTHENTICATED', '您的权限已变更，请重新登录');
  return { userId: c.sub, grants: c.roles };
}

/**
 * Tokens this instance has verified, by the token itself, for VERIFIED_TOKEN_SECONDS and never past their expiry: the
 * rate page's lookup and the rating sent after it carry the same token, and jose's HMAC check runs through WebCrypto (a
 * thread-pool round trip, ≈ 0.25 ms). A forged or altered token is another string, so it is verified in full; the
 * grants-version check below runs on every request either way.
 */
const VERIFIED_TOKEN_SECONDS = 60;
const verifiedTokens = new TtlCache<string, { claims: z.infer<typeof Claims>; secret: string }>(
  VERIFIED_TOKEN_SECONDS * 1000,
  5000,
);

async function verifiedClaims(token: string): Promise<z.infer<typeof Claims>> {
  const now = Date.now();
  const hit = verifiedTokens.get(token, now);
  // Only under the secret it was verified with (a rotated secret verifies again), and never past the token's expiry.
  if (hit && hit.secret === config().TOKEN_SECRET && hit.claims.exp * 1000 > now) return hit.claims;
  try {
    const { payload } = await jwtVerify(token, key(), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'iat', 'sub'],
    });
    const c = Claims.parse(payload);
    verifiedTokens.set(token, { claims: c, secret: config().TOKEN_SECRET }, now);
    return c;
  } catch {
    throw new AppError('UNAUTHENTICATED', '登录已过期，请重新登录');
  }
}

const GRANTS_CHECK_SECONDS = 60;
const versions = new Map<string, { v: number | undefined; at: number }>();

/**
 * Where the user's current grants version is read from: registered by domain/grants (lib/ never reads storage).
 * Without it every token is refused (fail closed), so a bundle that forgot the registration cannot serve anyone.
 */
let grantsVersionOf: ((userId: string) => Promise<number | undefined>) | undefined;
export function useGrantsVersionLookup(lookup: (userId: string) => Promise<number | undefined>): void {
  grantsVersionOf = lookup;
}

async function cachedGrantsVersion(userId: string): Promise<number | undefined> {
  const hit = versions.get(userId);
  if (hit && Date.now() - hit.at < GRANTS_CHECK_SECONDS * 1000) return hit.v;
  if (!grantsVersionOf) throw new Error('no grants version lookup registered (import domain/grants in the handler)');
  const v = await grantsVersionOf(userId);
  if (versions.size > 10000) versions.clear();
  versions.set(userId, { v, at: Date.now() });
  return v;
}
