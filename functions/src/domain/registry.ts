import {
  canAccess,
  CASE_STATUS_LABELS,
  isOfficial,
  levelLabel,
  PREFECTURE_ID,
  regionLabel,
  regionPath,
  scopeContains,
  type EnterpriseView,
  type ListQuery,
  type DepartmentView,
  type Page,
  type WindowView,
  type CaseStatus,
  type RoleGrant,
} from '@mashang/shared';
import { listRatingsOfWindow } from '../data/ratings';
import { getCases } from '../data/cases';
import {
  getDepartment,
  getEnterprise,
  getRegion,
  getWindow,
  listByPath,
  type DepartmentItem,
  type EnterpriseItem,
  type WindowItem,
} from '../data/registry';
import { ratingPhotoViews } from './photo-evidence';
import { departmentView } from './registry-admin';
import { AppError, forbidden } from '../lib/errors';
import type { Session } from '../lib/session';

/**
 * The scope path a list request asks for, checked against the caller's grants. Without filters the caller's
 * own scope is used (the widest one when several grants are held).
 */
async function requestedPath(session: Session, q: ListQuery): Promise<string> {
  if (!isOfficial(session.grants)) throw forbidden();
  let path: string;
  if (q.departmentId) {
    const dept = await getDepartment(q.departmentId);
    if (!dept) throw new AppError('NOT_FOUND', '部门不存在');
    if (q.county && dept.regionId !== q.county) throw new AppError('VALIDATION_FAILED', '该部门不属于所选区县');
    path = dept.path;
  } else if (q.county) {
    path = regionPath(q.county);
  } else {
    const scopes = session.grants.map((g) => g.scope).sort((a, b) => a.length - b.length);
    path = scopes[0] ?? PREFECTURE_ID;
  }
  if (
    !session.grants.some(
      (g) => g.role !== 'enterprise' && (scopeContains(g.scope, path) || scopeContains(path, g.scope)),
    )
  ) {
    throw forbidden();
  }
  // A filter wider than the caller's scope is narrowed to the caller's scope, never widened.
  const inside = session.grants.find((g) => g.role !== 'enterprise' && scopeContains(g.scope, path));
  return inside ? path : session.grants.find((g) => scopeContains(path, g.scope))!.scope;
}

export async function listWindows(session: Session, q: ListQuery): Promise<Page<WindowView>> {
  const path = await requestedPath(session, q);
  const page = await listByPath<WindowItem>('windows', path, { q: q.q, cursor: q.cursor, limit: q.limit ?? 50 });
  return {
    items: page.items.map((w) => ({
      id: w.id,
      name: w.name,
      code: w.code,
      department: w.department,
      county: w.county,
      kind: w.kind,
      status: (w as WindowItem & { status?: 'active' | 'retired' }).status ?? 'active',
    })),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  };
}

export async function listEnterprises(session: Session, q: ListQuery): Promise<Page<EnterpriseView>> {
  if (q.departmentId) throw new AppError('VALIDATION_FAILED', '企业列表不支持按部门筛选');
  const path = await requestedPath(session, q);
  const page = await listByPath<EnterpriseItem>('enterprises', path, {
    q: q.q,
    cursor: q.cursor,
    limit: q.limit ?? 50,
  });
  return {
    items: page.items.map((e) => ({
      id: e.id,
      name: e.name,
      creditCode: e.creditCode,
      code: e.code,
      county: e.county,
      status: (e as EnterpriseItem & { status?: 'active' | 'retired' }).status ?? 'active',
    })),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  };
}

/** GET /v1/departments?county=&q=&cursor= (officials, scoped) */
export async function listDepartments(session: Session, q: ListQuery): Promise<Page<DepartmentView>> {
  if (q.departmentId) throw new AppError('VALIDATION_FAILED', '部门列表不支持按部门筛选');
  const path = await requestedPath(session, q);
  // A department-scoped caller sees their own department: the list prefix is its region.
  const depth = path.split('/').length;
  const prefix = depth > 2 ? path.split('/').slice(0, 2).join('/') : path;
  const page = await listByPath<DepartmentItem>('departments', prefix, {
    q: q.q,
    cursor: q.cursor,
    limit: q.limit ?? 50,
  });
  return {
    items: page.items.filter((d) => depth <= 2 || d.path === path).map(departmentView),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  };
}

/**
 * GET /v1/windows/{id}/ratings: what a window's staff, its department and the inspectors see of its ratings —
 * level, reasons, comment, time and case, never who rated (the rater lives in a separate item).
 */
export async function windowRatings(session: Session, windowId: string, cursor: string | undefined) {
  const w = await getWindow(windowId);
  if (!w || !canAccess(session.grants, ['window_staff', 'handler', 'inspector', 'operator'], w.path))
    throw new AppError('NOT_FOUND', '窗口不存在');
  const page = await listRatingsOfWindow(windowId, cursor, 20);
  // The state of each 差评's case (one BatchGet): the window's staff follow their cases and may appeal from there.
  const caseIds = page.ratings.map((r) => r.caseId).filter((id): id is string => !!id);
  // Photos: a rating's photos go to whoever may read the rating; a 差评's photos are the case's evidence and follow
  // the case's rule (its department's handlers, operators and the inspectors; never window staff), as on the case.
  const official = canAccess(session.grants, ['handler', 'inspector', 'operator'], w.path);
  const [cases, photos] = await Promise.all([
    caseIds.length ? getCases(caseIds) : new Map(),
    ratingPhotoViews(page.ratings.filter((r) => !r.caseId || official)),
  ]);
  return {
    window: { id: w.id, name: w.name, department: w.department, county: w.county },
    items: page.ratings.map((r) => ({
      id: r.id,
      level: r.level,
      levelLabel: levelLabel(r.level),
      reasons: r.reasons,
      comment: r.comment,
      createdAt: r.createdAt,
      caseId: r.caseId,
      ...(r.caseId && cases.get(r.caseId)
        ? {
            caseStatus: cases.get(r.caseId)!.status,
            caseStatusLabel: CASE_STATUS_LABELS[cases.get(r.caseId)!.status as CaseStatus],
          }
        : {}),
      excluded: !!r.excluded,
      ...(photos.has(r.id) ? { photos: photos.get(r.id) } : {}),
    })),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  };
}

/**
 * The names of the places a person's roles cover, for screens that must never show internal ids ("haibei/menyuan/
 * menyuan-scjg" → "门源县 · 门源县市场监督管理局"). One GetItem per department, window or enterprise grant; a
 * citizen (no grants) costs nothing. A place that cannot be read keeps no name (the screen falls back to the region).
 */
export async function scopeNamesOf(grants: readonly RoleGrant[]): Promise<Record<string, string>> {
  const names: Record<string, string> = {};
  await Promise.all(
    grants.map(async (g) => {
      if (names[g.scope]) return;
      const [root, region, third, fourth] = g.scope.split('/');
      if (root !== PREFECTURE_ID) return;
      if (!region) names[g.scope] = '海北州（全州）';
      else if (!third) {
        const label = regionLabel(region);
        names[g.scope] = label !== region ? label : ((await getRegion(region))?.name ?? region);
      } else if (fourth) {
        const w = await getWindow(fourth);
        if (w) names[g.scope] = `${w.department.name} · ${w.name}`;
      } else if (g.role === 'enterprise') {
        const e = await getEnterprise(third);
        if (e) names[g.scope] = e.name;
      } else {
        const d = await getDepartment(third);
        if (d) names[g.scope] = d.name;
      }
    }),
  );
  return names;
}
