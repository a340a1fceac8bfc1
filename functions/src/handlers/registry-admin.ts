import '../domain/grants';
import {
  DepartmentCreate,
  DepartmentUpdate,
  EnterpriseCreate,
  EnterpriseUpdate,
  ListQuery,
  RetireRequest,
  WindowCreate,
  WindowUpdate,
} from '@mashang/shared';
import * as z from 'zod/mini';
import { listDepartments } from '../domain/registry';
import {
  createDepartment,
  createEnterprise,
  createWindow,
  getEnterpriseDetail,
  getWindowDetail,
  retireDepartment,
  retireEnterprise,
  retireWindow,
  updateDepartment,
  updateEnterprise,
  updateWindow,
} from '../domain/registry-admin';
import { httpWrite } from '../domain/idempotency';
import { http } from '../lib/http';
import { parseWith } from '../lib/validate';

const IdParam = z.object({ id: z.string().check(z.regex(/^[A-Za-z0-9-]{1,64}$/, '编号格式不正确')) });
const id = (params: Record<string, string>) => parseWith(IdParam, params).id;

/** GET /v1/departments?county=&q=&cursor=&limit= (officials, scoped) */
export const departments = http(async (req) => ({
  body: await listDepartments(await req.session(), parseWith(ListQuery, req.query)),
}));
/** POST /v1/departments (operator) */
export const addDepartment = httpWrite(201, async (req) =>
  createDepartment(await req.session(), parseWith(DepartmentCreate, req.body), new Date()),
);
/** POST /v1/departments/{id} (operator): edit */
export const editDepartment = httpWrite(
  200,
  async (req) =>
    await updateDepartment(await req.session(), id(req.params), parseWith(DepartmentUpdate, req.body), new Date()),
);
/** POST /v1/departments/{id}/retire {reason} (operator) */
export const retireDept = httpWrite(
  200,
  async (req) =>
    await retireDepartment(await req.session(), id(req.params), parseWith(RetireRequest, req.body).reason, new Date()),
);

/** GET /v1/windows/{id} (officials in scope) */
export const windowDetail = http(async (req) => ({ body: await getWindowDetail(await req.session(), id(req.params)) }));
/** POST /v1/windows (operator) */
export const addWindow = httpWrite(201, async (req) =>
  createWindow(await req.session(), parseWith(WindowCreate, req.body), new Date()),
);
/** POST /v1/windows/{id} (operator): edit */
export const editWindow = httpWrite(200, async (req) =>
  updateWindow(await req.session(), id(req.params), parseWith(WindowUpdate, req.body), new Date()),
);
/** POST /v1/windows/{id}/retire {reason} (operator) */
export const retireWin = httpWrite(
  200,
  async (req) =>
    await retireWindow(await req.session(), id(req.params), parseWith(RetireRequest, req.body).reason, new Date()),
);

/** GET /v1/enterprises/{id} (operators, inspectors in scope) */
export const enterpriseDetail = http(async (req) => ({
  body: await getEnterpriseDetail(await req.session(), id(req.params)),
}));
/** POST /v1/enterprises (operator) */
export const addEnterprise = httpWrite(201, async (req) =>
  createEnterprise(await req.session(), parseWith(EnterpriseCreate, req.body), new Date()),
);
/** POST /v1/enterprises/{id} (operator): edit */
export const editEnterprise = httpWrite(
  200,
  async (req) =>
    await updateEnterprise(await req.session(), id(req.params), parseWith(EnterpriseUpdate, req.body), new Date()),
);
/** POST /v1/enterprises/{id}/retire {reason} (operator) */
export const retireEnt = httpWrite(
  200,
  async (req) =>
    await retireEnterprise(await req.session(), id(req.params), parseWith(RetireRequest, req.body).reason, new Date()),
);
