import '../domain/grants';
import * as z from 'zod/mini';
import { reissueCode, revokeCode } from '../domain/codes';
import { httpWrite } from '../domain/idempotency';
import { CodeParam, parseWith } from '../lib/validate';

const IdParam = z.object({ id: z.string().check(z.regex(/^[A-Za-z0-9-]{1,64}$/, '编号格式不正确')) });

/** POST /v1/codes/{code}/revoke (operator) */
export const revoke = httpWrite(200, async (req) =>
  revokeCode(await req.session(), parseWith(CodeParam, req.params).code, new Date()),
);

/** POST /v1/windows/{id}/code (operator) */
export const reissueWindow = httpWrite(201, async (req) =>
  reissueCode(await req.session(), 'window', parseWith(IdParam, req.params).id, new Date()),
);

/** POST /v1/enterprises/{id}/code (operator) */
export const reissueEnterprise = httpWrite(201, async (req) =>
  reissueCode(await req.session(), 'enterprise', parseWith(IdParam, req.params).id, new Date()),
);
