import type { CaseDetail, OfficialCase } from '../../../src/officials/api';

let seq = 0;

/** A case as the API returns it to an official; each call a fresh id. */
export function aCase(overrides: Partial<OfficialCase> = {}): OfficialCase {
  seq += 1;
  return {
    id: `20261126-A${String(seq).padStart(5, '0')}`,
    source: 'rating',
    status: 'open',
    statusLabel: '待处理',
    bucket: 'open',
    path: 'haibei/menyuan/menyuan-scjg/w1',
    county: { id: 'menyuan', name: '门源县' },
    department: { id: 'menyuan-scjg', name: '门源县市场监督管理局' },
    window: { id: 'w1', name: '登记注册科' },
    level: 1,
    reasons: ['推诿扯皮'],
    summary: '非常不满意：推诿扯皮。材料齐全仍被要求补件',
    hasContact: true,
    createdAt: '2026-11-26T02:00:00Z',
    updatedAt: '2026-11-26T02:00:00Z',
    callbackDueAt: '2099-11-27T10:00:00Z',
    rectifyDueAt: '2099-12-17T10:00:00Z',
    callbackDone: false,
    rectificationReported: false,
    overdueStrikes: 0,
    version: 1,
    ...overrides,
  };
}

export function aDetail(
  overrides: Partial<Omit<CaseDetail, 'case'>> & { case?: Partial<OfficialCase> } = {},
): CaseDetail {
  const { case: c, ...rest } = overrides;
  const theCase = aCase(c);
  return {
    case: theCase,
    mayRevealContact: true,
    timeline: [{ action: 'opened', label: '受理', at: theCase.createdAt, actor: { id: 'system', role: 'system' } }],
    alerts: [
      {
        recipientRole: 'handler',
        channel: 'wechat',
        recipient: 'o***x9',
        status: 'sent',
        attempts: 1,
        event: 'opened',
        updatedAt: theCase.createdAt,
      },
      {
        recipientRole: 'inspector',
        channel: 'sms',
        recipient: '139****0001',
        status: 'failed',
        attempts: 5,
        lastError: '短信通道超时',
        event: 'opened',
        updatedAt: theCase.createdAt,
      },
    ],
    letters: [],
    photos: [],
    availableActions: ['assign', 'callback', 'rectification', 'appeal'],
    ...rest,
  };
}

/** Signs in as this official in H5 storage (the Taro H5 storage format). */
export function signInAs(
  roles: { role: string; scope: string }[],
  id = 'u-official',
  scopeNames?: Record<string, string>,
) {
  localStorage.setItem('mashang.token', JSON.stringify({ data: 'token-official' }));
  localStorage.setItem('mashang.user', JSON.stringify({ data: { id, roles, ...(scopeNames ? { scopeNames } : {}) } }));
}

export const HANDLER = [{ role: 'handler', scope: 'haibei/menyuan/menyuan-scjg' }];
export const COUNTY_INSPECTOR = [{ role: 'inspector', scope: 'haibei/menyuan' }];
