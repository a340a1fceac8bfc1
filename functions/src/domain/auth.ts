import type { LoginResponse } from '@mashang/shared';
import { config } from '../config';
import { ensureUser, loadUser } from '../data/users';
import { jscode2session } from '../gateways/wechat';
import { sha256 } from '../lib/crypto';
import { issueToken } from '../lib/session';
import { enforce, LIMITS } from './limits';
import { scopeNamesOf } from './registry';

/** The product's user id for a WeChat openid: stable, and not the openid itself. */
export function userIdFor(openid: string): string {
  return `u${sha256(`${config().WECHAT_APPID}:${openid}`).slice(0, 24)}`;
}

/** wx.login code → jscode2session → our user, their grants from the data, and our own signed token. */
export async function loginWithWechat(jsCode: string, now: Date, sourceIp = 'unknown'): Promise<LoginResponse> {
  // Before WeChat is asked: a script replaying codes from one address is stopped here.
  await enforce(`login-ip#${sourceIp}`, LIMITS.loginsPerAddressPerMinute, 60, now);
  const { openid } = await jscode2session(jsCode);
  const userId = userIdFor(openid);
  const { user, grants, grantsVersion } = await loadUser(userId);
  if (!user) await ensureUser({ userId, openid, createdAt: now.toISOString() });
  const token = await issueToken({ userId, grants, grantsVersion });
  // Officials' screens name their places, never their ids (a citizen has no grants: nothing is read).
  const scopeNames = grants.length ? await scopeNamesOf(grants) : undefined;
  return { token, user: { id: userId, roles: grants, ...(scopeNames ? { scopeNames } : {}) } };
}
