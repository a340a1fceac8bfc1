import { receiveWechatPush } from '../domain/photo-evidence';
import { http } from '../lib/http';

/**
 * GET|POST /v1/wechat/events?signature=&timestamp=&nonce=: WeChat's message push (the URL check, and the
 * `wxa_media_check` verdicts of photos). Signed by WeChat, not by a user; answered in plain text.
 */
export const push = http(async (req) => ({
  binary: {
    contentType: 'text/plain; charset=utf-8',
    data: Buffer.from(await receiveWechatPush(req.query, req.body, req.method, new Date())),
  },
}));
