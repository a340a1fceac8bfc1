import { createServer, type Server } from 'node:http';
import { StandinState } from './store';
import { WechatStandin, type WechatConfig } from './wechat';
import { SmsStandin, type SmsConfig } from './sms';
import { SsmStandin } from './ssm';

export interface Reply {
  status?: number;
  json?: unknown;
  binary?: { contentType: string; data: Buffer };
  /** A page (the QR login's), or a redirect (302) back to the caller. */
  html?: string;
  redirect?: string;
}

/**
 * Local stand-ins for WeChat and the SMS provider on one port (SPEC §5), plus the /__dev routes that show what
 * they were asked to deliver and inject faults.
 */
export function startStandin(opts: {
  port: number;
  host?: string;
  wechat: WechatConfig;
  sms: SmsConfig;
  /** WeChat's message push URL (the API's /v1/wechat/events): media check verdicts are pushed there. */
  pushUrl?: string;
}): Promise<{ server: Server; state: StandinState; url: string; ssm: SsmStandin }> {
  const state = new StandinState();
  state.pushUrl = opts.pushUrl;
  const ssm = new SsmStandin();
  const wechat = new WechatStandin(opts.wechat, state);
  const sms = new SmsStandin(opts.sms, state);

  const dev = (method: string, url: URL, body: any): Reply | undefined => {
    if (method === 'GET' && url.pathname === '/__dev/wechat/messages') return { json: state.wechat };
    if (method === 'GET' && url.pathname === '/__dev/sms/messages') return { json: state.sms };
    if (method === 'POST' && url.pathname === '/__dev/faults') {
      if (
        !['wechat', 'sms', 'urllink', 'msgsec', 'mediacheck'].includes(body?.service) ||
        !Number.isInteger(body?.failNext) ||
        body.failNext < 0
      ) {
        return {
          status: 400,
          json: {
            error: 'expected {"service": "wechat" | "sms" | "urllink" | "msgsec" | "mediacheck", "failNext": N}',
          },
        };
      }
      state.faults[body.service as keyof typeof state.faults] = body.failNext;
      return { json: { ok: true, faults: state.faults } };
    }
    if (method === 'POST' && url.pathname === '/__dev/refuse') {
      state.refused.add(String(body?.openid));
      return { json: { ok: true } };
    }
    // 一事一评: a citizen's reply (上行, e.g. 退订), numbers that will not be delivered, the send-rate limit.
    if (method === 'POST' && url.pathname === '/__dev/sms/reply') {
      const phone = String(body?.phone ?? '');
      if (!/^1[3-9]\d{9}$/.test(phone) || typeof body?.text !== 'string')
        return { status: 400, json: { error: 'expected {"phone": "13xxxxxxxxx", "text": "退订"}' } };
      state.smsReplies.push({
        ExtendCode: '',
        CountryCode: '86',
        PhoneNumber: `+86${phone}`,
        SignName: '海北码上监督',
        ReplyContent: body.text,
        ReplyTime: Math.floor(Date.now() / 1000),
        SubscriberNumber: phone,
      });
      return { json: { ok: true } };
    }
    if (method === 'POST' && url.pathname === '/__dev/sms/config') {
      if (body?.ratePerSecond !== undefined) {
        if (!Number.isInteger(body.ratePerSecond) || body.ratePerSecond < 0)
          return { status: 400, json: { error: 'ratePerSecond must be an integer ≥ 0' } };
        state.smsRate.perSecond = body.ratePerSecond;
      }
      for (const p of Array.isArray(body?.undeliverable) ? body.undeliverable : []) state.undeliverable.add(String(p));
      return { json: { ok: true, ratePerSecond: state.smsRate.perSecond, undeliverable: [...state.undeliverable] } };
    }
    if (method === 'GET' && url.pathname === '/__dev/sms/stats') {
      return {
        json: {
          sent: state.sms.length,
          rateLimited: state.smsRate.refused,
          ratePerSecond: state.smsRate.perSecond,
          pendingReceipts: state.smsReceipts.length,
        },
      };
    }
    if (method === 'GET' && url.pathname === '/__dev/wechat/media-checks') return { json: state.mediaChecks };
    if (method === 'POST' && url.pathname === '/__dev/wechat/push-url') {
      if (body?.url !== null && !/^https?:\/\//.test(String(body?.url)))
        return { status: 400, json: { error: 'expected {"url": "http://…/v1/wechat/events" | null}' } };
      state.pushUrl = body.url ?? undefined;
      return { json: { ok: true, pushUrl: state.pushUrl ?? null } };
    }
    if (method === 'GET' && url.pathname === '/__dev/wechat/urllinks') {
      return {
        json: [...state.urlLinks.entries()].map(([slug, l]) => ({ url: `https://wxaurl.cn/${slug}`, ...l })).reverse(),
      };
    }
    if (method === 'POST' && url.pathname === '/__dev/reset') {
      state.reset();
      return { json: { ok: true } };
    }
    return undefined;
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'standin'}`);
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = undefined;
      }
      try {
        const reply = dev(req.method ?? 'GET', url, body) ??
          ssm.handle(req.method ?? 'GET', req.headers, body) ??
          (await sms.handle(req.method ?? 'GET', url, req.headers, raw)) ??
          (await wechat.handle(req.method ?? 'GET', url, body)) ?? {
            status: 404,
            json: { errcode: 404, errmsg: `no such api ${url.pathname}` },
          };
        if (reply.redirect) {
          res.writeHead(302, { location: reply.redirect });
          res.end();
        } else if (reply.html !== undefined) {
          res.writeHead(reply.status ?? 200, { 'content-type': 'text/html; charset=utf-8' });
          res.end(reply.html);
        } else if (reply.binary) {
          res.writeHead(reply.status ?? 200, { 'content-type': reply.binary.contentType });
          res.end(reply.binary.data);
        } else {
          res.writeHead(reply.status ?? 200, { 'content-type': 'application/json; charset=utf-8' });
          res.end(JSON.stringify(reply.json));
        }
      } catch (e) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errcode: -1, errmsg: String(e) }));
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : opts.port;
      resolve({ server, state, ssm, url: `http://${opts.host ?? '127.0.0.1'}:${port}` });
    });
  });
}
