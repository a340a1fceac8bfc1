import { config } from '../config';
import { AppError } from '../lib/errors';

/**
 * The WeChat server API, over HTTP, exactly as production calls it. Locally WECHAT_API_BASE points at the
 * stand-in (dev/standin), which speaks the same paths, shapes and error codes.
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html
 */
interface WxError {
  errcode?: number;
  errmsg?: string;
}

async function wxFetch<T>(path: string, init?: RequestInit): Promise<T & WxError> {
  const res = await fetch(`${config().WECHAT_API_BASE}${path}`, { ...init, signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new AppError('UPSTREAM_FAILED', `wechat ${path} http ${res.status}`);
  return (await res.json()) as T & WxError;
}

export async function jscode2session(jsCode: string): Promise<{ openid: string; unionid?: string }> {
  const { WECHAT_APPID, WECHAT_SECRET } = config();
  const qs = new URLSearchParams({ appid: WECHAT_APPID, secret: WECHAT_SECRET, js_code: jsCode, grant_type: 'authorization_code' });
  const r = await wxFetch<{ openid?: string; unionid?: string; session_key?: string }>(`/sns/jscode2session?${qs}`);
  if (r.errcode === 40029 || r.errcode === 40163) throw new AppError('UNAUTHENTICATED', '登录凭证无效或已使用，请重新进入小程序');
  if (r.errcode === 45011) throw new AppError('RATE_LIMITED', '登录过于频繁，请稍后再试');
  if (r.errcode || !r.openid) throw new AppError('UPSTREAM_FAILED', `jscode2session errcode ${r.errcode} ${r.errmsg}`);
  return { openid: r.openid, unionid: r.unionid };
}
