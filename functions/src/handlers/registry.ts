import { ListQuery } from '@mashang/shared';
import { listEnterprises, listWindows } from '../domain/registry';
import { http } from '../lib/http';
import { parseWith } from '../lib/validate';

/** GET /v1/windows?county=&departmentId=&q=&cursor= (officials) */
export const windows = http(async (req) => ({ body: await listWindows(await req.session(), parseWith(ListQuery, req.query)) }));

/** GET /v1/enterprises?county=&q=&cursor= (officials) */
export const enterprises = http(async (req) => ({ body: await listEnterprises(await req.session(), parseWith(ListQuery, req.query)) }));
