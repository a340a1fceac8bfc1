import { randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import { standinOpenid } from './identity';
import type { StandinState } from './store';
import type { Reply } from './server';

/**
 * The WeChat server API paths the backend uses, with the real response shapes and error codes:
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/
 */
export interface WechatConfig {
  appid: string;
  secret: string;
}

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
      return { json: { openid: standinOpenid(code), session_key: randomBytes(16).toString('base64') } };
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
}
