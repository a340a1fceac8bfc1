import '../domain/grants';
import { LoginRequest } from '@mashang/shared';
import { loginWithWechat } from '../domain/auth';
import { http } from '../lib/http';
import { parseWith } from '../lib/validate';

/** POST /v1/auth/wechat {code} */
export const login = http(async (req) => ({
  body: await loginWithWechat(parseWith(LoginRequest, req.body).code, new Date(), req.sourceIp),
}));
