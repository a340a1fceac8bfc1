import '../domain/grants';
import * as z from 'zod/mini';
import { bindEnterpriseContact, enterpriseContacts, unbindEnterpriseContact } from '../domain/enterprise-contacts';
import { httpWrite } from '../domain/idempotency';
import { http } from '../lib/http';
import { parseWith } from '../lib/validate';

const Id = z.string().check(z.regex(/^[A-Za-z0-9-]{1,64}$/, '编号格式不正确'));

/** POST /v1/enterprise-contacts {code, creditCode, bindingCode, name?, phone?} — bind the caller to an enterprise. */
export const bind = httpWrite(201, async (req) => bindEnterpriseContact(await req.session(), req.body, new Date()));

/** GET /v1/enterprises/{id}/contacts?cursor= (operators) */
export const contacts = http(async (req) => {
  const p = parseWith(z.object({ id: Id }), req.params);
  const q = parseWith(z.object({ cursor: z.optional(z.string().check(z.maxLength(512))) }), req.query);
  return { body: await enterpriseContacts(await req.session(), p.id, q.cursor) };
});

/** POST /v1/enterprises/{id}/contacts/{userId}/unbind (operators) */
export const unbind = httpWrite(200, async (req) => {
  const p = parseWith(z.object({ id: Id, userId: Id }), req.params);
  return unbindEnterpriseContact(await req.session(), p.id, p.userId);
});
