import { randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import { wechatPushSignature, wechatPushToken } from '../../functions/src/lib/crypto';
import { standinOpenid, standinUnionid, standinWebOpenid } from './identity';
import type { StandinState } from './store';
import type { Reply } from './server';

/**
 * The WeChat server API paths the backend uses, with the real response shapes and error codes:
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/
 */
export interface WechatConfig {
  appid: string;
  secret: string;
  /** The website application (网站应用) of the console's QR login. */
  web?: { appid: string; secret: string };
}

/** People the QR page offers to confirm as (the stand-in's "phone"); any other login code can be typed. */
const DEMO_PEOPLE: [string, string][] = [
  ['demo-operator', '运维（全州）'],
  ['demo-inspector', '纪检监察（全州）'],
  ['demo-inspector-menyuan', '纪检监察（门源县）'],
  ['demo-handler-menyuan-scjg', '部门负责人（门源县市场监督管理局）'],
];

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:sans-serif;background:#333;color:#fff;text-align:center;padding-top:40px}
.box{background:#fff;color:#333;display:inline-block;padding:24px 32px;border-radius:4px;min-width:320px}
button{margin:6px 0;padding:8px 16px;width:100%;font-size:15px;cursor:pointer}
.err{color:#c00}</style></head><body><div class="box">${body}</div></body></html>`;
}

const CODE_TTL_MS = 5 * 60 * 1000;

const TOKEN_TTL = 7200;

export class WechatStandin {
  private token = { value: '', expires: 0 };
  constructor(
    private readonly cfg: WechatConfig,
    private readonly state: StandinState,
  ) {}

  private currentToken(force: boolean): { access_token: string; expires_in: number } {
    const now = Date.now();
    if (force || !this.token.value || this.token.expires <= now) {
      this.token = { value: `ST${randomBytes(24).toString('hex')}`, expires: now + TOKEN_TTL * 1000 };
    }
    return { access_token: this.token.value, expires_in: Math.floor((this.token.expires - now) / 1000) };
  }

  private tokenOk(url: URL): boolean {
    return (
      !!this.token.value && url.searchParams.get('access_token') === this.token.value && this.token.expires > Date.now()
    );
  }

  async handle(method: string, url: URL, body: any): Promise<Reply | undefined> {
    const p = url.pathname;
    if (method === 'GET' && p === '/sns/jscode2session') {
      const q = url.searchParams;
      if (q.get('appid') !== this.cfg.appid) return { json: { errcode: 40013, errmsg: 'invalid appid' } };
      if (q.get('secret') !== this.cfg.secret) return { json: { errcode: 40125, errmsg: 'invalid appsecret' } };
      const code = q.get('js_code') ?? '';
      if (!code || code.startsWith('invalid') || q.get('grant_type') !== 'authorization_code') {
        return { json: { errcode: 40029, errmsg: 'invalid code' } };
      }
      // With the mini-program bound to an open-platform account, jscode2session answers the unionid too.
      return {
        json: {
          openid: standinOpenid(code),
          unionid: standinUnionid(code),
          session_key: randomBytes(16).toString('base64'),
        },
      };
    }
    // Website QR login (网站应用): the QR page, the phone's confirmation, and the code exchange.
    // https://developers.weixin.qq.com/doc/oplatform/Website_App/WeChat_Login/Wechat_Login.html
    if (method === 'GET' && p === '/connect/qrconnect') return this.qrconnect(url);
    if (method === 'GET' && p === '/connect/confirm') return this.confirm(url);
    if (method === 'GET' && p === '/sns/oauth2/access_token') {
      const q = url.searchParams;
      const web = this.cfg.web;
      if (!web || q.get('appid') !== web.appid) return { json: { errcode: 40013, errmsg: 'invalid appid' } };
      if (q.get('secret') !== web.secret) return { json: { errcode: 40125, errmsg: 'invalid appsecret' } };
      if (q.get('grant_type') !== 'authorization_code')
        return { json: { errcode: 40002, errmsg: 'invalid grant_type' } };
      const entry = this.state.webCodes.get(q.get('code') ?? '');
      if (!entry || entry.appid !== web.appid || entry.expires < Date.now())
        return { json: { errcode: 40029, errmsg: 'invalid code' } };
      if (entry.used) return { json: { errcode: 40163, errmsg: 'code been used' } };
      entry.used = true;
      return {
        json: {
          access_token: `WA${randomBytes(24).toString('hex')}`,
          expires_in: 7200,
          refresh_token: `WR${randomBytes(24).toString('hex')}`,
          openid: standinWebOpenid(entry.person),
          scope: 'snsapi_login',
          unionid: standinUnionid(entry.person),
        },
      };
    }
    if (method === 'POST' && p === '/cgi-bin/stable_token') {
      if (body?.grant_type !== 'client_credential') return { json: { errcode: 40002, errmsg: 'invalid grant_type' } };
      if (body?.appid !== this.cfg.appid || body?.secret !== this.cfg.secret) {
        return { json: { errcode: 40125, errmsg: 'invalid appsecret' } };
      }
      return { json: this.currentToken(!!body.force_refresh) };
    }
    if (method === 'POST' && p === '/cgi-bin/message/subscribe/send') {
      if (!this.tokenOk(url))
        return { json: { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' } };
      if (!body?.touser || !body?.template_id || typeof body?.data !== 'object') {
        return { json: { errcode: 47003, errmsg: 'argument invalid! data.thing1.value invalid' } };
      }
      if (this.state.takeFault('wechat')) return { json: { errcode: -1, errmsg: 'system error' } };
      if (this.state.refused.has(body.touser))
        return { json: { errcode: 43101, errmsg: 'user refuse to accept the msg' } };
      this.state.record('wechat', {
        recipient: body.touser,
        template: body.template_id,
        data: body.data,
        page: body.page,
      });
      return { json: { errcode: 0, errmsg: 'ok', msgid: Date.now() } };
    }
    if (method === 'POST' && p === '/wxa/msg_sec_check') {
      if (!this.tokenOk(url)) return { json: { errcode: 40001, errmsg: 'invalid credential' } };
      // The fault switch (POST /__dev/faults {"service":"msgsec"}): WeChat's "system busy" answer.
      if (this.state.takeFault('msgsec')) return { json: { errcode: -1, errmsg: 'system error' } };
      const risky = /赌博|色情|法轮|代开发票/.test(String(body?.content ?? ''));
      return {
        json: {
          errcode: 0,
          errmsg: 'ok',
          result: { suggest: risky ? 'risky' : 'pass', label: risky ? 20001 : 100 },
          detail: [],
          trace_id: randomBytes(8).toString('hex'),
        },
      };
    }
    if (method === 'POST' && p === '/wxa/media_check_async') {
      // https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/sec-center/sec-check/mediaCheckAsync.html
      if (!this.tokenOk(url))
        return { json: { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' } };
      const mediaUrl = String(body?.media_url ?? '');
      if (
        !/^https?:\/\//.test(mediaUrl) ||
        ![1, 2].includes(body?.media_type) ||
        body?.version !== 2 ||
        ![1, 2, 3, 4].includes(body?.scene) ||
        !body?.openid
      )
        return { json: { errcode: 47001, errmsg: 'data format error' } };
      if (this.state.takeFault('mediacheck')) return { json: { errcode: -1, errmsg: 'system error' } };
      const hex = () => randomBytes(4).toString('hex');
      const traceId = `${hex()}-${hex()}-${hex()}`;
      const check = {
        traceId,
        mediaUrl,
        openid: String(body.openid),
        scene: body.scene,
        time: new Date().toISOString(),
      };
      this.state.mediaChecks.unshift(check);
      // The verdict comes later, pushed to the message push URL like WeChat's (never in this answer).
      setTimeout(() => void this.pushMediaVerdict(check), 50);
      return { json: { errcode: 0, errmsg: 'ok', trace_id: traceId } };
    }
    if (method === 'POST' && p === '/wxa/generate_urllink') {
      // https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/qrcode-link/url-link/generateUrlLink.html
      if (!this.tokenOk(url))
        return { json: { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' } };
      const path = String(body?.path ?? '');
      const query = String(body?.query ?? '');
      if (path.startsWith('/') || !/^[A-Za-z0-9_/-]*$/.test(path))
        return { json: { errcode: 40165, errmsg: 'invalid weapp pagepath' } };
      if (query.length > 1024) return { json: { errcode: 40212, errmsg: 'invalid query' } };
      const days = Number(body?.expire_interval ?? 30);
      if (body?.expire_type === 1 && (!Number.isInteger(days) || days < 1 || days > 30))
        return { json: { errcode: 85401, errmsg: 'time limit between 1min and 1day' } };
      if (this.state.takeFault('urllink')) return { json: { errcode: -1, errmsg: 'system error' } };
      const slug = randomBytes(9).toString('base64url').replace(/[-_]/g, 'x').slice(0, 12);
      this.state.urlLinks.set(slug, {
        path,
        query,
        expireTime: Math.floor(Date.now() / 1000) + days * 86400,
        created: new Date().toISOString(),
      });
      return { json: { errcode: 0, errmsg: 'ok', url_link: `https://wxaurl.cn/${slug}` } };
    }
    if (method === 'POST' && p === '/wxa/getwxacodeunlimit') {
      if (!this.tokenOk(url)) return { json: { errcode: 40001, errmsg: 'invalid credential' } };
      const scene = String(body?.scene ?? '');
      if (!scene || scene.length > 32)
        return { json: { errcode: 40169, errmsg: 'invalid length for scene, or the data is not json string' } };
      // A real mini-program code is a round "sun code"; a QR of the scene is the stand-in's faithful-enough image.
      const png = await QRCode.toBuffer(`scene=${scene}&page=${body?.page ?? ''}`, {
        width: Number(body?.width) || 430,
      });
      return { binary: { contentType: 'image/png', data: png } };
    }
    return undefined;
  }

  /**
   * Download the image as WeChat does and push the `wxa_media_check` event (JSON data format, plain-text mode,
   * signed with the Token) to the configured push URL. The stand-in's verdict: `risky` when the image bytes contain
   * the marker RISKY-SAMPLE (tests put it after the image data, which metadata stripping keeps), else `pass`; an
   * image it cannot download gets `review`. Without a push URL the event is only recorded.
   * https://developers.weixin.qq.com/miniprogram/dev/framework/server-ability/message-push.html
   */
  private async pushMediaVerdict(check: MediaCheck): Promise<void> {
    let suggest: 'pass' | 'risky' | 'review' = 'review';
    let errcode = 0;
    try {
      const res = await fetch(check.mediaUrl, { signal: AbortSignal.timeout(5000) });
      if (!res.ok) throw new Error(`http ${res.status}`);
      const bytes = Buffer.from(await res.arrayBuffer());
      suggest = bytes.includes(Buffer.from('RISKY-SAMPLE')) ? 'risky' : 'pass';
    } catch {
      errcode = -1;
    }
    const label = suggest === 'risky' ? '20002' : '100';
    const event = {
      ToUserName: 'gh_5a3c1f2e4b6d',
      FromUserName: check.openid,
      CreateTime: Math.floor(Date.now() / 1000),
      MsgType: 'event',
      Event: 'wxa_media_check',
      appid: this.cfg.appid,
      trace_id: check.traceId,
      version: 2,
      result: { suggest, label },
      detail: [{ strategy: 'content_model', errcode, suggest, label, prob: 90 }],
    };
    check.event = event;
    const target = this.state.pushUrl;
    if (!target) return;
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = String(Math.floor(Math.random() * 1e9));
    const signature = wechatPushSignature(wechatPushToken(this.cfg.secret), timestamp, nonce);
    const to = new URL(target);
    to.search = new URLSearchParams({ signature, timestamp, nonce }).toString();
    // Like WeChat: a push not answered "success" (or not at all within 5 s) is sent again, three more times.
    for (let attempt = 0; attempt < 4; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 300));
      try {
        const r = await fetch(to, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(event),
          signal: AbortSignal.timeout(5000),
        });
        check.pushed = { status: r.status, answer: await r.text(), attempts: attempt + 1 };
        if (r.ok) return;
      } catch (e) {
        check.pushed = { status: 0, answer: String(e), attempts: attempt + 1 };
      }
    }
  }

  /** What WeChat's qrconnect page checks before it shows a QR code (wrong appid or scope: an error page). */
  private loginParams(url: URL): { redirect: string; state: string } | string {
    const q = url.searchParams;
    if (!this.cfg.web || q.get('appid') !== this.cfg.web.appid) return 'appid 参数错误';
    if (q.get('scope') !== 'snsapi_login') return 'Scope 参数错误或没有 Scope 权限';
    if (q.get('response_type') !== 'code') return 'response_type 参数错误';
    const redirect = q.get('redirect_uri') ?? '';
    if (!/^https?:\/\//.test(redirect)) return 'redirect_uri 参数错误';
    return { redirect, state: q.get('state') ?? '' };
  }

  private qrconnect(url: URL): Promise<Reply> | Reply {
    const params = this.loginParams(url);
    if (typeof params === 'string')
      return { status: 400, html: page('微信登录', `<p class="err" data-testid="qr-error">${esc(params)}</p>`) };
    const hidden = ['appid', 'redirect_uri', 'response_type', 'scope', 'state']
      .map((k) => `<input type="hidden" name="${k}" value="${esc(url.searchParams.get(k) ?? '')}">`)
      .join('');
    const confirmUrl = new URL('/connect/confirm', url);
    for (const [k, v] of url.searchParams) confirmUrl.searchParams.set(k, v);
    return QRCode.toDataURL(confirmUrl.toString(), { width: 220 }).then((qr) => ({
      html: page(
        '微信登录',
        `<h3>微信登录</h3><img alt="登录二维码" src="${qr}" width="220" height="220">
<p>请使用微信扫描二维码登录“码上监督管理后台”</p>
<p style="color:#888;font-size:13px">本地替身：以下按钮代替手机上的“确认登录”</p>
${DEMO_PEOPLE.map(
  ([code, label]) =>
    `<form action="/connect/confirm" method="get">${hidden}<input type="hidden" name="person" value="${esc(code)}"><button type="submit" data-person="${esc(code)}">以 ${esc(label)} 确认登录</button></form>`,
).join('')}
<form action="/connect/confirm" method="get">${hidden}<input name="person" placeholder="其他登录代码" aria-label="其他登录代码"><button type="submit">确认登录</button></form>`,
      ),
    }));
  }

  /** The phone confirmed: back to the site with a fresh code and the state it sent (nothing else is added). */
  private confirm(url: URL): Reply {
    const params = this.loginParams(url);
    if (typeof params === 'string') return { status: 400, html: page('微信登录', `<p class="err">${esc(params)}</p>`) };
    const person = (url.searchParams.get('person') ?? '').trim();
    if (!person) return { status: 400, html: page('微信登录', '<p class="err">请选择登录身份</p>') };
    const code = randomBytes(16).toString('hex');
    this.state.webCodes.set(code, {
      person,
      appid: this.cfg.web!.appid,
      expires: Date.now() + CODE_TTL_MS,
      used: false,
    });
    const back = new URL(params.redirect);
    back.searchParams.set('code', code);
    back.searchParams.set('state', params.state);
    return { redirect: back.toString() };
  }
}

/** A media check the stand-in was asked for, the event it made and what the push URL answered. */
export interface MediaCheck {
  traceId: string;
  mediaUrl: string;
  openid: string;
  scene: number;
  time: string;
  event?: Record<string, unknown>;
  pushed?: { status: number; answer: string; attempts: number };
}
