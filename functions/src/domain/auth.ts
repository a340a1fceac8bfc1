import { randomBytes } from 'node:crypto';
import type { LoginResponse, WebLoginStateResponse } from '@mashang/shared';
import { config } from '../config';
import { ensureUser, loadUser } from '../data/users';
import { linkUnionid, putLoginState, useLoginState, userIdOfUnionid } from '../data/web-login';
import { jscode2session, webAccessToken } from '../gateways/wechat';
import { sha256 } from '../lib/crypto';
import { AppError } from '../lib/errors';
import { issueToken } from '../lib/session';
import { enforce, LIMITS } from './limits';
import { scopeNamesOf } from './registry';

/** The product's user id for a WeChat openid: stable, and not the openid itself. */
export function userIdFor(openid: string): string {
  return `u${sha256(`${config().WECHAT_APPID}:${openid}`).slice(0, 24)}`;
}

/** A QR login state lives this long: the time to scan and confirm on the phone. */
const STATE_TTL_SECONDS = 600;

async function signedIn(userId: string): Promise<LoginResponse> {
  const { grants, grantsVersion } = await loadUser(userId);
  const token = await issueToken({ userId, grants, grantsVersion });
  // Officials' screens name their places, never their ids (a citizen has no grants: nothing is read).
  const scopeNames = grants.length ? await scopeNamesOf(grants) : undefined;
  return { token, user: { id: userId, roles: grants, ...(scopeNames ? { scopeNames } : {}) } };
}

/** wx.login code → jscode2session → our user, their grants from the data, and our own signed token. */
export async function loginWithWechat(jsCode: string, now: Date, sourceIp = 'unknown'): Promise<LoginResponse> {
  // Before WeChat is asked: a script replaying codes from one address is stopped here.
  await enforce(`login-ip#${sourceIp}`, LIMITS.loginsPerAddressPerMinute, 60, now);
  const { openid, unionid } = await jscode2session(jsCode);
  const userId = userIdFor(openid);
  const { user } = await loadUser(userId);
  if (!user) await ensureUser({ userId, openid, createdAt: now.toISOString() });
  // The console's QR login finds this person by unionid (same in every application of the open-platform account).
  if (unionid) await linkUnionid(unionid, userId, now.toISOString());
  return signedIn(userId);
}

function webLoginConfigured(): void {
  const { WECHAT_WEB_APPID, WECHAT_WEB_SECRET } = config();
  if (!WECHAT_WEB_APPID || !WECHAT_WEB_SECRET) throw new AppError('NOT_FOUND', '未开通微信扫码登录');
}

/**
 * A one-time state for the console's QR login (the `state` WeChat hands back with the code): issued here, stored,
 * and accepted once, so a code injected into someone else's browser (login CSRF) or replayed is refused.
 */
export async function newWebLoginState(now: Date, sourceIp = 'unknown'): Promise<WebLoginStateResponse> {
  webLoginConfigured();
  await enforce(`login-ip#${sourceIp}`, LIMITS.loginsPerAddressPerMinute, 60, now);
  const state = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + STATE_TTL_SECONDS * 1000);
  await putLoginState(state, now, expiresAt);
  return { state, expiresAt: expiresAt.toISOString() };
}

/**
 * Console sign-in with WeChat website QR login (网站应用, snsapi_login): state used once, code exchanged at
 * /sns/oauth2/access_token, the person found by unionid (mapped when they signed in to the mini-program or bound
 * their account there). A WeChat account the platform does not know is refused: the console creates no accounts.
 */
export async function loginWithWechatWeb(
  input: { code: string; state: string },
  now: Date,
  sourceIp = 'unknown',
): Promise<LoginResponse> {
  webLoginConfigured();
  await enforce(`login-ip#${sourceIp}`, LIMITS.loginsPerAddressPerMinute, 60, now);
  if (!(await useLoginState(input.state, now)))
    throw new AppError('LOGIN_STATE_INVALID', '登录状态已失效或已使用，请重新扫码');
  const { unionid } = await webAccessToken(input.code);
  const userId = unionid ? await userIdOfUnionid(unionid) : undefined;
  if (!userId)
    throw new AppError(
      'ACCOUNT_NOT_LINKED',
      '该微信账号尚未在“码上监督”小程序中登录或绑定，请先在小程序中用绑定码绑定账号后再扫码登录',
    );
  return signedIn(userId);
}
