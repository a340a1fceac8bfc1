import { BindPersonRequest, GrantInput, PeopleQuery, PersonCreate } from '@mashang/shared';
import * as z from 'zod/mini';
import '../domain/grants';
import {
  bindPerson,
  changeRole,
  createPersonFor,
  getPersonView,
  issuePersonBindingCode,
  listPeopleFor,
} from '../domain/people';
import { httpWrite } from '../domain/idempotency';
import { http } from '../lib/http';
import { parseWith } from '../lib/validate';

const IdParam = z.object({ id: z.string().check(z.regex(/^p[0-9a-z]{26}$/, '人员编号格式不正确')) });

/** GET /v1/people?county=&departmentId=&q=&cursor= (operators) */
export const list = http(async (req) => ({
  body: await listPeopleFor(await req.session(), parseWith(PeopleQuery, req.query)),
}));

/** POST /v1/people {requestId, name, post, phone, departmentId, grants} (operators) */
export const create = httpWrite(
  201,
  async (req) => createPersonFor(await req.session(), parseWith(PersonCreate, req.body), new Date()),
  { keepRequestId: true },
);

/** GET /v1/people/{id} (operators) */
export const get = http(async (req) => ({
  body: await getPersonView(await req.session(), parseWith(IdParam, req.params).id),
}));

/** POST /v1/people/{id}/grants {role, scope} (operators) */
export const grant = httpWrite(
  201,
  async (req) =>
    await changeRole(
      await req.session(),
      parseWith(IdParam, req.params).id,
      parseWith(GrantInput, req.body),
      'add',
      new Date(),
    ),
);

/** POST /v1/people/{id}/grants/revoke {role, scope} (operators) */
export const revoke = httpWrite(
  200,
  async (req) =>
    await changeRole(
      await req.session(),
      parseWith(IdParam, req.params).id,
      parseWith(GrantInput, req.body),
      'remove',
      new Date(),
    ),
);

/** POST /v1/people/{id}/binding-code (operators): a one-time 6-digit code for the person's WeChat account. */
export const bindingCode = httpWrite(201, async (req) =>
  issuePersonBindingCode(await req.session(), parseWith(IdParam, req.params).id, new Date()),
);

/** POST /v1/people/bind {personId, bindingCode} (any signed-in WeChat user) */
export const bind = httpWrite(200, async (req) =>
  bindPerson(await req.session(), parseWith(BindPersonRequest, req.body), new Date()),
);
