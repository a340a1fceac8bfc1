import type { Page, Ref } from '@mashang/shared';
import { IX, K, indexAttrs } from './keys';
import { getItem, queryIndex, strip } from './table';

export interface RegionItem {
  id: string;
  name: string;
  path: string;
}

export interface DepartmentItem {
  id: string;
  name: string;
  level: '州' | '县' | '乡' | '村';
  regionId: string;
  regionName: string;
  path: string;
}

export interface WindowItem {
  id: string;
  name: string;
  kind: '审批科室' | '服务窗口';
  department: Ref;
  county: Ref;
  path: string;
  codeId: string;
  code: string;
}

export interface EnterpriseItem {
  id: string;
  name: string;
  creditCode: string;
  county: Ref;
  path: string;
  codeId: string;
  code: string;
  contactName?: string;
  /** Encrypted contact phone. */
  contactPhone?: string;
}

export const windowItem = (w: WindowItem) => ({
  ...K.window(w.id),
  ...indexAttrs(IX.windows(w.path)),
  type: 'window',
  ...w,
});
export const enterpriseItem = (e: EnterpriseItem) => ({
  ...K.enterprise(e.id),
  ...indexAttrs(IX.enterprises(e.path)),
  type: 'enterprise',
  ...e,
});
export const departmentItem = (d: DepartmentItem) => ({
  ...K.department(d.id),
  ...indexAttrs(IX.departments(d.path)),
  type: 'department',
  ...d,
});
export const regionItem = (r: RegionItem) => ({
  ...K.region(r.id),
  ...indexAttrs(IX.regions(r.id)),
  type: 'region',
  ...r,
});

/** The credit-code index item of an enterprise (one enterprise per 统一社会信用代码). */
export const creditCodeItem = (creditCode: string, enterpriseId: string) => ({
  ...K.creditCode(creditCode),
  type: 'credit-code',
  enterpriseId,
});

export const getWindow = (id: string) => getItem<WindowItem>(K.window(id));
export const getEnterprise = (id: string) => getItem<EnterpriseItem>(K.enterprise(id));
export const getDepartment = (id: string) => getItem<DepartmentItem>(K.department(id));
export const getRegion = (id: string) => getItem<RegionItem>(K.region(id));

/**
 * One page of windows or enterprises whose scope path starts with `prefix` (a Query on gsi1, never a scan).
 * `q` narrows by name with a filter on the already key-conditioned page.
 */
export async function listByPath<T>(
  list: 'windows' | 'enterprises' | 'departments',
  prefix: string,
  opts: { q?: string; cursor?: string; limit: number },
): Promise<Page<T>> {
  const page = await queryIndex(IX[list](`${prefix}/`), {
    sk: 'prefix',
    cursor: opts.cursor,
    limit: opts.limit,
    ...(opts.q ? { filter: { contains: { name: 'name', value: opts.q } } } : {}),
  });
  return { items: page.items.map((i) => strip<T>(i)), cursor: page.cursor };
}
