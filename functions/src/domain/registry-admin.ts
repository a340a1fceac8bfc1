import {
  canAccess,
  CODE_LINK_PREFIX,
  isOfficial,
  regionPath,
  type DepartmentCreate,
  type DepartmentUpdate,
  type DepartmentView,
  type EnterpriseCreate,
  type EnterpriseDetailView,
  type EnterpriseUpdate,
  type ErrorIssue,
  type WindowCreate,
  type WindowDetailView,
  type WindowUpdate,
} from '@mashang/shared';
import { config } from '../config';
import { getCodeItem } from '../data/codes';
import {
  createDepartmentItem,
  createEnterpriseItems,
  createWindowItems,
  hasActiveWindows,
  nameTaken,
  RegistryConflict,
  updateRegistryItem,
  type RegistryStatusFields,
} from '../data/registry-admin';
import {
  getDepartment,
  getEnterprise,
  getRegion,
  getWindow,
  type DepartmentItem,
  type EnterpriseItem,
  type WindowItem,
} from '../data/registry';
import { decryptPii, encryptPii, maskPhone } from '../lib/crypto';
import { AppError, forbidden, notFound } from '../lib/errors';
import type { Session } from '../lib/session';
import { actorOf, auditEntry } from './audit';
import { newCodeId, signCode } from './code-signing';
import { forgetResolvedCode } from './codes';

type Window = WindowItem & RegistryStatusFields;
type Enterprise = EnterpriseItem & RegistryStatusFields;
type Department = DepartmentItem & RegistryStatusFields;

const fieldError = (path: string, message: string) =>
  new AppError('VALIDATION_FAILED', message, [{ path, message }] satisfies ErrorIssue[]);
const operator = (session: Session, path: string) => {
  if (!canAccess(session.grants, ['operator'], path)) throw forbidden();
  return actorOf(session, ['operator'], path);
};

export const codeLink = (code: string) => `${CODE_LINK_PREFIX}${code}`;

function conflict(e: unknown, kind: string): never {
  if (e instanceof RegistryConflict) {
    if (e.field === 'id') throw fieldError('id', '该编号已被使用');
    if (e.field === 'creditCode') throw fieldError('creditCode', '该统一社会信用代码已登记');
    if (e.field === 'status') throw new AppError('CONFLICT', `${kind}已停用或不存在，未做修改`);
  }
  throw e;
}

export async function windowView(w: Window): Promise<WindowDetailView> {
  const code = await getCodeItem(w.codeId);
  return {
    id: w.id,
    name: w.name,
    kind: w.kind,
    department: w.department,
    county: w.county,
    path: w.path,
    status: w.status ?? 'active',
    ...(w.retiredAt ? { retiredAt: w.retiredAt, retireReason: w.retireReason } : {}),
    code: w.code,
    link: codeLink(w.code),
    codeStatus: code?.status ?? 'revoked',
  };
}

export async function enterpriseView(e: Enterprise): Promise<EnterpriseDetailView> {
  const code = await getCodeItem(e.codeId);
  return {
    id: e.id,
    name: e.name,
    creditCode: e.creditCode,
    county: e.county,
    path: e.path,
    status: e.status ?? 'active',
    code: e.code,
    link: codeLink(e.code),
    codeStatus: code?.status ?? 'revoked',
    ...(e.contactName ? { contactName: e.contactName } : {}),
    ...(e.contactPhone ? { contactPhone: maskPhone(decryptPii(e.contactPhone)) } : {}),
  };
}

export function departmentView(d: Department): DepartmentView {
  return {
    id: d.id,
    name: d.name,
    level: d.level,
    county: { id: d.regionId, name: d.regionName },
    path: d.path,
    status: d.status ?? 'active',
  };
}

/** GET /v1/windows/{id}: officials who may see the window. */
export async function getWindowDetail(session: Session, id: string): Promise<WindowDetailView> {
  const w = (await getWindow(id)) as Window | undefined;
  if (
    !w ||
    !isOfficial(session.grants) ||
    !canAccess(session.grants, ['operator', 'inspector', 'handler', 'window_staff'], w.path)
  )
    throw notFound('窗口');
  return windowView(w);
}

export async function getEnterpriseDetail(session: Session, id: string): Promise<EnterpriseDetailView> {
  const e = (await getEnterprise(id)) as Enterprise | undefined;
  if (!e || !canAccess(session.grants, ['operator', 'inspector'], e.path)) throw notFound('企业');
  return enterpriseView(e);
}

export async function createWindow(session: Session, input: WindowCreate, now: Date): Promise<WindowDetailView> {
  const dept = (await getDepartment(input.departmentId)) as Department | undefined;
  if (!dept) throw fieldError('departmentId', '部门不存在');
  const actor = operator(session, dept.path);
  if (dept.status === 'retired') throw fieldError('departmentId', '该部门已停用，不能新增窗口');
  if (await nameTaken('windows', dept.path, input.name)) throw fieldError('name', '该部门已有同名窗口');
  const codeId = newCodeId('window');
  const code = signCode(config().CODE_SECRET, codeId);
  const w: Window = {
    id: input.id,
    name: input.name,
    kind: input.kind,
    department: { id: dept.id, name: dept.name },
    county: { id: dept.regionId, name: dept.regionName },
    path: `${dept.path}/${input.id}`,
    codeId,
    code,
    status: 'active',
  };
  const audit = auditEntry(
    {
      actor,
      action: 'window.create',
      target: { kind: 'window', id: w.id, name: w.name },
      scope: w.path,
      after: { name: w.name, kind: w.kind, departmentId: dept.id, code },
    },
    now,
  );
  await createWindowItems(
    w,
    { codeId, kind: 'window', targetId: w.id, status: 'active', issuedAt: now.toISOString() },
    audit,
  ).catch((e) => conflict(e, '窗口'));
  return windowView(w);
}

export async function updateWindow(
  session: Session,
  id: string,
  patch: WindowUpdate,
  now: Date,
): Promise<WindowDetailView> {
  const w = (await getWindow(id)) as Window | undefined;
  if (!w) throw notFound('窗口');
  const actor = operator(session, w.path);
  if (w.status === 'retired') throw new AppError('CONFLICT', '窗口已停用，不能修改');
  const changed = Object.fromEntries(
    Object.entries(patch).filter(([k, v]) => v !== undefined && (w as unknown as Record<string, unknown>)[k] !== v),
  );
  if (Object.keys(changed).length === 0) return windowView(w);
  const deptPath = w.path.slice(0, w.path.lastIndexOf('/'));
  if (changed.name && (await nameTaken('windows', deptPath, changed.name as string, id)))
    throw fieldError('name', '该部门已有同名窗口');
  const before = Object.fromEntries(Object.keys(changed).map((k) => [k, (w as unknown as Record<string, unknown>)[k]]));
  const audit = auditEntry(
    {
      actor,
      action: 'window.update',
      target: { kind: 'window', id, name: w.name },
      scope: w.path,
      before,
      after: changed,
    },
    now,
  );
  await updateRegistryItem('window', id, { ...changed, updatedAt: now.toISOString() }, audit).catch((e) =>
    conflict(e, '窗口'),
  );
  return windowView({ ...w, ...changed });
}

/** Retire a window: its code answers that the window is retired; its ratings, cases and history stay. */
export async function retireWindow(session: Session, id: string, reason: string, now: Date): Promise<WindowDetailView> {
  const w = (await getWindow(id)) as Window | undefined;
  if (!w) throw notFound('窗口');
  const actor = operator(session, w.path);
  if (w.status === 'retired') return windowView(w);
  const audit = auditEntry(
    {
      actor,
      action: 'window.retire',
      target: { kind: 'window', id, name: w.name },
      scope: w.path,
      before: { status: 'active' },
      after: { status: 'retired' },
      reason,
    },
    now,
  );
  const set = { status: 'retired' as const, retiredAt: now.toISOString(), retireReason: reason };
  try {
    await updateRegistryItem('window', id, set, audit);
    forgetResolvedCode(w.codeId); // other instances: within CODE_CACHE_TTL_SECONDS
  } catch (e) {
    if (e instanceof RegistryConflict && e.field === 'status')
      return windowView(((await getWindow(id)) as Window) ?? w);
    throw e;
  }
  return windowView({ ...w, ...set });
}

export async function createEnterprise(
  session: Session,
  input: EnterpriseCreate,
  now: Date,
): Promise<EnterpriseDetailView> {
  const region = await getRegion(input.regionId);
  if (!region) throw fieldError('regionId', '区县不存在');
  const path = `${regionPath(input.regionId)}/${input.id}`;
  const actor = operator(session, path);
  const codeId = newCodeId('enterprise');
  const code = signCode(config().CODE_SECRET, codeId);
  const e: Enterprise = {
    id: input.id,
    name: input.name,
    creditCode: input.creditCode,
    county: { id: region.id, name: region.name },
    path,
    codeId,
    code,
    status: 'active',
    ...(input.contactName ? { contactName: input.contactName } : {}),
    ...(input.contactPhone ? { contactPhone: encryptPii(input.contactPhone) } : {}),
  };
  const audit = auditEntry(
    {
      actor,
      action: 'enterprise.create',
      target: { kind: 'enterprise', id: e.id, name: e.name },
      scope: path,
      after: { name: e.name, creditCode: e.creditCode, regionId: region.id, code },
    },
    now,
  );
  await createEnterpriseItems(
    e,
    { codeId, kind: 'enterprise', targetId: e.id, status: 'active', issuedAt: now.toISOString() },
    audit,
  ).catch((x) => conflict(x, '企业'));
  return enterpriseView(e);
}

export async function updateEnterprise(
  session: Session,
  id: string,
  patch: EnterpriseUpdate,
  now: Date,
): Promise<EnterpriseDetailView> {
  const e = (await getEnterprise(id)) as Enterprise | undefined;
  if (!e) throw notFound('企业');
  const actor = operator(session, e.path);
  if (e.status === 'retired') throw new AppError('CONFLICT', '企业已停用，不能修改');
  const set: Record<string, unknown> = {};
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  if (patch.name && patch.name !== e.name) [set.name, before.name, after.name] = [patch.name, e.name, patch.name];
  if (patch.contactName && patch.contactName !== e.contactName)
    [set.contactName, before.contactName, after.contactName] = [patch.contactName, e.contactName, patch.contactName];
  // The phone is stored encrypted and audited masked.
  if (patch.contactPhone) {
    set.contactPhone = encryptPii(patch.contactPhone);
    before.contactPhone = e.contactPhone ? maskPhone(decryptPii(e.contactPhone)) : null;
    after.contactPhone = maskPhone(patch.contactPhone);
  }
  if (Object.keys(set).length === 0) return enterpriseView(e);
  const audit = auditEntry(
    {
      actor,
      action: 'enterprise.update',
      target: { kind: 'enterprise', id, name: e.name },
      scope: e.path,
      before,
      after,
    },
    now,
  );
  await updateRegistryItem('enterprise', id, { ...set, updatedAt: now.toISOString() }, audit).catch((x) =>
    conflict(x, '企业'),
  );
  return enterpriseView({ ...e, ...set } as Enterprise);
}

export async function retireEnterprise(
  session: Session,
  id: string,
  reason: string,
  now: Date,
): Promise<EnterpriseDetailView> {
  const e = (await getEnterprise(id)) as Enterprise | undefined;
  if (!e) throw notFound('企业');
  const actor = operator(session, e.path);
  if (e.status === 'retired') return enterpriseView(e);
  const set = { status: 'retired' as const, retiredAt: now.toISOString(), retireReason: reason };
  const audit = auditEntry(
    {
      actor,
      action: 'enterprise.retire',
      target: { kind: 'enterprise', id, name: e.name },
      scope: e.path,
      before: { status: 'active' },
      after: { status: 'retired' },
      reason,
    },
    now,
  );
  try {
    await updateRegistryItem('enterprise', id, set, audit);
    forgetResolvedCode(e.codeId); // other instances: within CODE_CACHE_TTL_SECONDS
  } catch (x) {
    if (x instanceof RegistryConflict && x.field === 'status')
      return enterpriseView(((await getEnterprise(id)) as Enterprise) ?? e);
    throw x;
  }
  return enterpriseView({ ...e, ...set });
}

export async function createDepartment(session: Session, input: DepartmentCreate, now: Date): Promise<DepartmentView> {
  const region = await getRegion(input.regionId);
  if (!region) throw fieldError('regionId', '区县不存在');
  const path = `${regionPath(input.regionId)}/${input.id}`;
  const actor = operator(session, regionPath(input.regionId));
  if (await nameTaken('departments', regionPath(input.regionId), input.name))
    throw fieldError('name', '该区县已有同名部门');
  const d: Department = {
    id: input.id,
    name: input.name,
    level: input.level,
    regionId: region.id,
    regionName: region.name,
    path,
    status: 'active',
  };
  const audit = auditEntry(
    {
      actor,
      action: 'department.create',
      target: { kind: 'department', id: d.id, name: d.name },
      scope: path,
      after: { name: d.name, level: d.level, regionId: d.regionId },
    },
    now,
  );
  await createDepartmentItem(d, audit).catch((e) => conflict(e, '部门'));
  return departmentView(d);
}

/** Renaming a department does not rename the copies its windows hold (they keep the name they were created under). */
export async function updateDepartment(
  session: Session,
  id: string,
  patch: DepartmentUpdate,
  now: Date,
): Promise<DepartmentView> {
  const d = (await getDepartment(id)) as Department | undefined;
  if (!d) throw notFound('部门');
  const actor = operator(session, d.path);
  if (d.status === 'retired') throw new AppError('CONFLICT', '部门已停用，不能修改');
  const changed = Object.fromEntries(
    Object.entries(patch).filter(([k, v]) => v !== undefined && (d as unknown as Record<string, unknown>)[k] !== v),
  );
  if (Object.keys(changed).length === 0) return departmentView(d);
  if (changed.name && (await nameTaken('departments', regionPath(d.regionId), changed.name as string, id)))
    throw fieldError('name', '该区县已有同名部门');
  const before = Object.fromEntries(Object.keys(changed).map((k) => [k, (d as unknown as Record<string, unknown>)[k]]));
  const audit = auditEntry(
    {
      actor,
      action: 'department.update',
      target: { kind: 'department', id, name: d.name },
      scope: d.path,
      before,
      after: changed,
    },
    now,
  );
  await updateRegistryItem('department', id, { ...changed, updatedAt: now.toISOString() }, audit).catch((e) =>
    conflict(e, '部门'),
  );
  return departmentView({ ...d, ...changed });
}

export async function retireDepartment(
  session: Session,
  id: string,
  reason: string,
  now: Date,
): Promise<DepartmentView> {
  const d = (await getDepartment(id)) as Department | undefined;
  if (!d) throw notFound('部门');
  const actor = operator(session, d.path);
  if (d.status === 'retired') return departmentView(d);
  if (await hasActiveWindows(d.path)) throw new AppError('CONFLICT', '该部门下还有在用的窗口，请先停用这些窗口');
  const set = { status: 'retired' as const, retiredAt: now.toISOString(), retireReason: reason };
  const audit = auditEntry(
    {
      actor,
      action: 'department.retire',
      target: { kind: 'department', id, name: d.name },
      scope: d.path,
      before: { status: 'active' },
      after: { status: 'retired' },
      reason,
    },
    now,
  );
  await updateRegistryItem('department', id, set, audit).catch((e) => conflict(e, '部门'));
  return departmentView({ ...d, ...set });
}
