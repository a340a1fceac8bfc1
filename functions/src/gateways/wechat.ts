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
  const qs = new URLSearchParams({
    appid: WECHAT_APPID,
    secret: WECHAT_SECRET,
    js_code: jsCode,
    grant_type: 'authorization_code',
  });
  const r = await wxFetch<{ openid?: string; unionid?: string; session_key?: string }>(`/sns/jscode2session?${qs}`);
  if (r.errcode === 40029 || r.errcode === 40163)
    throw new AppError('UNAUTHENTICATED', '登录凭证无效或已使用，请重新进入小程序');
  if (r.errcode === 45011) throw new AppError('RATE_LIMITED', '登录过于频繁，请稍后再试');
  if (r.errcode || !r.openid) throw new AppError('UPSTREAM_FAILED', `jscode2session errcode ${r.errcode} ${r.errmsg}`);
  return { openid: r.openid, unionid: r.unionid };
}

/**
 * Website application (网站应用) QR login: exchange the code WeChat sent back to the console. The answer carries the
 * person's unionid (the same in the mini-program), by which the console finds the person.
 * https://developers.weixin.qq.com/doc/oplatform/Website_App/WeChat_Login/Wechat_Login.html
 */
export async function webAccessToken(code: string): Promise<{ openid: string; unionid?: string }> {
  const { WECHAT_WEB_APPID, WECHAT_WEB_SECRET } = config();
  const qs = new URLSearchParams({
    appid: WECHAT_WEB_APPID,
    secret: WECHAT_WEB_SECRET,
    code,
    grant_type: 'authorization_code',
  });
  const r = await wxFetch<{
    access_token?: string;
    expires_in?: number;
    refresh_token?: string;
    openid?: string;
    scope?: string;
    unionid?: string;
  }>(`/sns/oauth2/access_token?${qs}`);
  if (r.errcode === 40029 || r.errcode === 40163)
    throw new AppError('UNAUTHENTICATED', '扫码登录凭证无效或已使用，请重新扫码');
  if (r.errcode === 45011) throw new AppError('RATE_LIMITED', '登录过于频繁，请稍后再试');
  if (r.errcode || !r.openid)
    throw new AppError('UPSTREAM_FAILED', `oauth2/access_token errcode ${r.errcode} ${r.errmsg}`);
  return { openid: r.openid, unionid: r.unionid };
}

/**
 * Access token from /cgi-bin/stable_token, cached per process until shortly before it expires; refreshed once
 * when WeChat says it is invalid (40001). Sends that need it at the same moment (a case event's recipients, at cold
 * start) share one fetch.
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-access-token/getStableAccessToken.html
 */
let token: { value: string; expiresAt: number } | undefined;
let fetching: Promise<string> | undefined;

function accessToken(forceRefresh = false): Promise<string> {
  if (!forceRefresh && token && token.expiresAt > Date.now()) return Promise.resolve(token.value);
  if (!forceRefresh && fetching) return fetching;
  const f = fetchAccessToken(forceRefresh).finally(() => {
    if (fetching === f) fetching = undefined;
  });
  fetching = f;
  return f;
}

async function fetchAccessToken(forceRefresh: boolean): Promise<string> {
  const { WECHAT_APPID, WECHAT_SECRET } = config();
  const r = await wxFetch<{ access_token?: string; expires_in?: number }>('/cgi-bin/stable_token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'client_credential',
      appid: WECHAT_APPID,
      secret: WECHAT_SECRET,
      force_refresh: forceRefresh,
    }),
  });
  if (r.errcode || !r.access_token)
    throw new AppError('UPSTREAM_FAILED', `stable_token errcode ${r.errcode} ${r.errmsg}`);
  token = { value: r.access_token, expiresAt: Date.now() + ((r.expires_in ?? 7200) - 300) * 1000 };
  return token.value;
}

export type SendResult = { ok: true } | { ok: false; permanent: boolean; error: string };

/**
 * Subscribe message (订阅消息). 43101 means the user has not (or no longer) consented: permanent for this alert.
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html
 */
export async function sendSubscribeMessage(msg: {
  touser: string;
  templateId: string;
  page: string;
  data: Record<string, string>;
}): Promise<SendResult> {
  const body = JSON.stringify({
    touser: msg.touser,
    template_id: msg.templateId,
    page: msg.page,
    miniprogram_state: 'formal',
    lang: 'zh_CN',
    data: Object.fromEntries(Object.entries(msg.data).map(([k, value]) => [k, { value }])),
  });
  for (let refresh = 0; refresh < 2; refresh++) {
    try {
      const r = await wxFetch<object>(
        `/cgi-bin/message/subscribe/send?access_token=${await accessToken(refresh > 0)}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        },
      );
      if (!r.errcode) return { ok: true };
      if (r.errcode === 40001 || r.errcode === 42001) continue;
      return {
        ok: false,
        permanent: r.errcode === 43101 || r.errcode === 40003,
        error: `errcode ${r.errcode} ${r.errmsg}`,
      };
    } catch (e) {
      return { ok: false, permanent: false, error: (e as Error).message };
    }
  }
  return { ok: false, permanent: false, error: 'access token rejected twice' };
}

/**
 * Content security check for free text (评价内容, 投诉内容) before it is stored.
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/sec-center/sec-check/msgSecCheck.html
 */
export async function checkText(content: string, openid: string): Promise<'pass' | 'risky' | 'review'> {
  const r = await wxFetch<{ result?: { suggest: 'pass' | 'risky' | 'review' } }>(
    `/wxa/msg_sec_check?access_token=${await accessToken()}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ content, version: 2, scene: 2, openid }),
    },
  );
  if (r.errcode || !r.result) throw new AppError('UPSTREAM_FAILED', `msg_sec_check errcode ${r.errcode} ${r.errmsg}`);
  return r.result.suggest;
}

/**
 * Start WeChat's asynchronous image check of a photo it downloads from `mediaUrl` (an expiring link). The verdict
 * comes later as the `wxa_media_check` event pushed to the message push URL (handlers/wechat-events), matched by
 * `trace_id`. Scene 2 = 评论 (user comments), version 2 (openid required).
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/sec-center/sec-check/mediaCheckAsync.html
 */
export async function checkMediaAsync(mediaUrl: string, openid: string): Promise<string> {
  const body = JSON.stringify({ media_url: mediaUrl, media_type: 2, version: 2, scene: 2, openid });
  for (let refresh = 0; refresh < 2; refresh++) {
    const r = await wxFetch<{ trace_id?: string }>(
      `/wxa/media_check_async?access_token=${await accessToken(refresh > 0)}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      },
    );
    if (r.errcode === 40001 || r.errcode === 42001) continue;
    if (r.errcode || !r.trace_id)
      throw new AppError('UPSTREAM_FAILED', `media_check_async errcode ${r.errcode} ${r.errmsg}`);
    return r.trace_id;
  }
  throw new AppError('UPSTREAM_FAILED', 'media_check_async: access token rejected twice');
}

/**
 * A URL Link (an https link that opens the mini-program page from an SMS or a browser), valid `expireDays`.
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/qrcode-link/url-link/generateUrlLink.html
 */
export async function generateUrlLink(args: {
  path: string;
  query: string;
  expireDays: number;
}): Promise<{ ok: true; url: string } | { ok: false; error: string }> {
  const body = JSON.stringify({
    path: args.path,
    query: args.query,
    env_version: 'release',
    expire_type: 1,
    expire_interval: args.expireDays,
  });
  for (let refresh = 0; refresh < 2; refresh++) {
    try {
      const r = await wxFetch<{ url_link?: string }>(
        `/wxa/generate_urllink?access_token=${await accessToken(refresh > 0)}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        },
      );
      if (!r.errcode && r.url_link) return { ok: true, url: r.url_link };
      if (r.errcode === 40001 || r.errcode === 42001) continue;
      return { ok: false, error: `errcode ${r.errcode} ${r.errmsg}` };
    } catch (e) {
      return { ok: false, error: (e as Error).message };
    }
  }
  return { ok: false, error: 'access token rejected twice' };
}
