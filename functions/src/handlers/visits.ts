import '../domain/grants';
import * as z from 'zod/mini';
import {
  enterpriseVisits,
  getVisitView,
  myVisits,
  rateVisit,
  registerVisit,
  setFrequencyRule,
  visitsInScope,
  warningsInScope,
  withdrawVisit,
} from '../domain/visits';
import { httpWrite } from '../domain/idempotency';
import { http } from '../lib/http';
import { parseWith } from '../lib/validate';

const Params = z.object({ id: z.string().check(z.regex(/^[A-Za-z0-9-]{1,64}$/, '编号格式不正确')) });

/** POST /v1/visits {requestId, code, purpose, note?, companions?, visitedAt?} (visiting officials) */
export const register = httpWrite(
  201,
  async (req, ticket) => registerVisit(await req.session(), req.body, new Date(), ticket),
  { keepRequestId: true },
);

/** GET /v1/visits/{id} */
export const get = http(async (req) => ({
  body: await getVisitView(await req.session(), parseWith(Params, req.params).id),
}));

/** POST /v1/visits/{id}/withdraw {reason?} (the visit's official, within 1 hour) */
export const withdraw = httpWrite(200, async (req) =>
  withdrawVisit(await req.session(), parseWith(Params, req.params).id, req.body, new Date()),
);

/** POST /v1/visits/{id}/rating {requestId, level, negativeItemIds?, solved, comment?} (bound contacts) */
export const rate = httpWrite(
  201,
  async (req, ticket) =>
    await rateVisit(await req.session(), parseWith(Params, req.params).id, req.body, new Date(), ticket),
  { keepRequestId: true },
);

/** GET /v1/me/visits?cursor= (我的走访) */
export const mine = http(async (req) => ({ body: await myVisits(await req.session(), req.query) }));

/** GET /v1/enterprises/{id}/visits?pending=&cursor= (the enterprise's contacts; inspectors and operators in scope) */
export const ofEnterprise = http(async (req) => ({
  body: await enterpriseVisits(await req.session(), parseWith(Params, req.params).id, req.query, new Date()),
}));

/** GET /v1/visits?scope=&cursor= (inspectors, operators) */
export const list = http(async (req) => ({ body: await visitsInScope(await req.session(), req.query) }));

/** GET /v1/visit-warnings?scope=&cursor= (inspectors, operators) */
export const warnings = http(async (req) => ({ body: await warningsInScope(await req.session(), req.query) }));

/** POST /v1/settings/visit-frequency {days, perDepartment, total} (prefecture operators) */
export const frequency = httpWrite(200, async (req) => setFrequencyRule(await req.session(), req.body, new Date()));
