/**
 * Roles and scopes (SPEC §1). A scope is a path in the region tree:
 *   haibei                      the prefecture (州)
 *   haibei/menyuan              a region: one of the four counties, or `zhou` for the prefecture's own
 *                               departments (州本级), so every department sits at the same depth
 *   haibei/menyuan/<deptId>     a department
 *   .../<deptId>/<windowId>     a window
 * "Within scope" is therefore a prefix test, the same on the server and in the UI.
 */
export const ROLES = ['operator', 'inspector', 'handler', 'window_staff', 'visiting_official', 'enterprise'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  operator: '运维',
  inspector: '纪检监察',
  handler: '部门负责人',
  window_staff: '窗口工作人员',
  visiting_official: '访企干部',
  enterprise: '企业联系人',
};

export interface RoleGrant {
  role: Role;
  scope: string;
}

export const PREFECTURE_ID = 'haibei';

/** The region that holds the prefecture's own departments (州本级). */
export const PREFECTURE_LEVEL_REGION = 'zhou';

export function regionPath(regionId: string): string {
  return `${PREFECTURE_ID}/${regionId}`;
}

/** True when `path` lies inside `scope` (or is it). */
export function scopeContains(scope: string, path: string): boolean {
  return path === scope || path.startsWith(`${scope}/`);
}

/** Every scope that contains `path`, widest first: haibei, haibei/menyuan, haibei/menyuan/d1, ... */
export function ancestorScopes(path: string): string[] {
  const parts = path.split('/');
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** Does any grant of one of `roles` cover `path`? */
export function canAccess(grants: RoleGrant[], roles: readonly Role[], path: string): boolean {
  return grants.some((g) => roles.includes(g.role) && scopeContains(g.scope, path));
}

/** Officials are everyone with at least one role grant (citizens have none). */
export function isOfficial(grants: RoleGrant[]): boolean {
  return grants.some((g) => g.role !== 'enterprise');
}
