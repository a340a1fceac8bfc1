import '../domain/grants';
import { LoginRequest, WebLoginRequest } from '@mashang/shared';
import { loginWithWechat, loginWithWechatWeb, newWebLoginState } from '../domain/auth';
import { http } from '../lib/http';
import { parseWith } from '../lib/validate';

/** POST /v1/auth/wechat {code} */
export const login = http(async (req) => ({
  body: await loginWithWechat(parseWith(LoginRequest, req.body).code, new Date(), req.sourceIp),
}));

/** POST /v1/auth/wechat-web/state: a one-time state for the console's QR login. */
export const webState = http(async (req) => ({ status: 201, body: await newWebLoginState(new Date(), req.sourceIp) }));

/** POST /v1/auth/wechat-web {code, state}: the console's WeChat QR login. */
export const webLogin = http(async (req) => ({
  body: await loginWithWechatWeb(parseWith(WebLoginRequest, req.body), new Date(), req.sourceIp),
}));
