import type { LoginResponse } from '@mashang/shared';
import { config } from '../config';
import { ensureUser, loadUser } from '../data/users';
import { jscode2session } from '../gateways/wechat';
import { sha256 } from '../lib/crypto';
import { issueToken } from '../lib/session';

/** The product's user id for a WeChat openid: stable, and not the openid itself. */
export function userIdFor(openid: string): string {
  return `u${sha256(`${config().WECHAT_APPID}:${openid}`).slice(0, 24)}`;
}

/** wx.login code → jscode2session → our user, their grants from the data, and our own signed token. */
export async function loginWithWechat(jsCode: string, now: Date): Promise<LoginResponse> {
  const { openid } = await jscode2session(jsCode);
  const userId = userIdFor(openid);
  const { user, grants } = await loadUser(userId);
  if (!user) await ensureUser({ userId, openid, createdAt: now.toISOString() });
  const token = await issueToken({ userId, grants });
  return { token, user: { id: userId, roles: grants } };
}
