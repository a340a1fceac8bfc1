import '../domain/grants';
import { ListQuery } from '@mashang/shared';
import * as z from 'zod/mini';
import { listEnterprises, listWindows, windowRatings } from '../domain/registry';
import { http } from '../lib/http';
import { parseWith } from '../lib/validate';

/** GET /v1/windows?county=&departmentId=&q=&cursor= (officials) */
export const windows = http(async (req) => ({
  body: await listWindows(await req.session(), parseWith(ListQuery, req.query)),
}));

/** GET /v1/enterprises?county=&q=&cursor= (officials) */
export const enterprises = http(async (req) => ({
  body: await listEnterprises(await req.session(), parseWith(ListQuery, req.query)),
}));

/** GET /v1/windows/{id}/ratings?cursor= (window staff, department, inspectors, operators) */
export const ratingsOfWindow = http(async (req) => {
  const p = parseWith(
    z.object({ id: z.string().check(z.regex(/^[A-Za-z0-9-]{1,64}$/, '编号格式不正确')) }),
    req.params,
  );
  const q = parseWith(z.object({ cursor: z.optional(z.string().check(z.maxLength(512))) }), req.query);
  return { body: await windowRatings(await req.session(), p.id, q.cursor) };
});
