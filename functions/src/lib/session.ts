import { SignJWT, jwtVerify } from 'jose';
import { ROLES, type RoleGrant } from '@mashang/shared';
import * as z from 'zod/mini';
import { config } from '../config';
import { AppError } from './errors';

/** The product's own session: who the caller is and the role grants read from the data at login. */
export interface Session {
  userId: string;
  grants: RoleGrant[];
}

const Claims = z.object({
  sub: z.string(),
  roles: z.array(z.object({ role: z.enum(ROLES), scope: z.string() })),
});

const key = () => new TextEncoder().encode(config().TOKEN_SECRET);

export async function issueToken(s: Session): Promise<string> {
  return new SignJWT({ roles: s.grants })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(s.userId)
    .setIssuer('mashang-jiandu')
    .setIssuedAt()
    .setExpirationTime(`${config().TOKEN_TTL_SECONDS}s`)
    .sign(key());
}

export async function verifySession(authorization: string | undefined): Promise<Session | undefined> {
  if (!authorization) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!m) throw new AppError('UNAUTHENTICATED', '登录凭证格式不正确');
  try {
    const { payload } = await jwtVerify(m[1], key(), { issuer: 'mashang-jiandu', algorithms: ['HS256'] });
    const c = Claims.parse(payload);
    return { userId: c.sub, grants: c.roles };
  } catch {
    throw new AppError('UNAUTHENTICATED', '登录已过期，请重新登录');
  }
}
