import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Page, Ref } from '@mashang/shared';
import { db, table } from './client';
import { G, K } from './keys';
import { decodeCursor, encodeCursor } from './paging';

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

const strip = <T>(item: Record<string, unknown> | undefined): T | undefined => {
  if (!item) return undefined;
  const { pk, sk, gsi1pk, gsi1sk, gsi2pk, gsi2sk, gsi3pk, gsi3sk, ...rest } = item;
  return rest as T;
};

export const windowItem = (w: WindowItem) => ({ ...K.window(w.id), ...G.windows(w.path), type: 'window', ...w });
export const enterpriseItem = (e: EnterpriseItem) => ({ ...K.enterprise(e.id), ...G.enterprises(e.path), type: 'enterprise', ...e });
export const departmentItem = (d: DepartmentItem) => ({ ...K.department(d.id), ...G.departments(d.path), type: 'department', ...d });
export const regionItem = (r: RegionItem) => ({ ...K.region(r.id), ...G.regions(r.id), type: 'region', ...r });

async function get<T>(key: { pk: string; sk: string }): Promise<T | undefined> {
  const r = await db().send(new GetCommand({ TableName: table(), Key: key }));
  return strip<T>(r.Item);
}

export const getWindow = (id: string) => get<WindowItem>(K.window(id));
export const getEnterprise = (id: string) => get<EnterpriseItem>(K.enterprise(id));
export const getDepartment = (id: string) => get<DepartmentItem>(K.department(id));
export const getRegion = (id: string) => get<RegionItem>(K.region(id));

/**
 * One page of windows or enterprises whose scope path starts with `prefix` (a Query on gsi1, never a scan).
 * `q` narrows by name with a filter on the already key-conditioned page.
 */
export async function listByPath<T>(
  list: 'WINDOWS' | 'ENTERPRISES',
  prefix: string,
  opts: { q?: string; cursor?: string; limit: number },
): Promise<Page<T>> {
  const r = await db().send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
      ...(opts.q ? { FilterExpression: 'contains(#name, :q)', ExpressionAttributeNames: { '#name': 'name' } } : {}),
      ExpressionAttributeValues: { ':pk': list, ':prefix': `${prefix}/`, ...(opts.q ? { ':q': opts.q } : {}) },
      ExclusiveStartKey: decodeCursor(opts.cursor, { gsi1pk: list }),
      Limit: opts.limit,
    }),
  );
  return { items: (r.Items ?? []).map((i) => strip<T>(i)!), cursor: encodeCursor(r.LastEvaluatedKey) };
}
