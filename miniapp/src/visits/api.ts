import type {
  BindEnterpriseResponse,
  ConductLists,
  RateVisitRequest,
  VisitPurpose,
  VisitRatingView,
  VisitView,
  VisitWarningView,
} from '@mashang/shared';
import { WECHAT_TEMPLATE_IDS } from '@mashang/shared';
import { request, storedUser, type User } from '../api/client';

// Response shapes come from the shared DTOs the API is typed with.
export type { VisitView, VisitWarningView };

export interface Page<T> {
  items: T[];
  cursor?: string;
}

const enc = encodeURIComponent;

/**
 * The subscribe-message template the backend sends visit notices with (shared facts; functions/src/domain/
 * visit-notices.ts); wx.requestSubscribeMessage must name the same id.
 */
export const VISIT_NOTICE_TEMPLATE_ID = WECHAT_TEMPLATE_IDS.visitRate;

/** Is the signed-in user a bound contact of this enterprise (the `enterprise` grant at its scope path)? */
export function isContactOf(user: User | null, enterpriseId: string): boolean {
  return !!user?.roles.some((r) => r.role === 'enterprise' && r.scope.split('/').pop() === enterpriseId);
}

export function isVisitingOfficial(user: User | null): boolean {
  return !!user?.roles.some((r) => r.role === 'visiting_official');
}

export function currentUser(): User | null {
  return storedUser();
}

export function bindEnterprise(body: {
  code: string;
  creditCode: string;
  bindingCode: string;
  name?: string;
  phone?: string;
}): Promise<BindEnterpriseResponse> {
  return request<BindEnterpriseResponse>('POST', '/v1/enterprise-contacts', body);
}

export function registerVisit(body: {
  requestId: string;
  code: string;
  purpose: VisitPurpose;
  note?: string;
  companions?: string[];
  visitedAt?: string;
}): Promise<{ visit: VisitView }> {
  return request<{ visit: VisitView }>('POST', '/v1/visits', body);
}

export function withdrawVisit(id: string, reason?: string): Promise<{ visit: VisitView }> {
  return request<{ visit: VisitView }>('POST', `/v1/visits/${enc(id)}/withdraw`, reason ? { reason } : {});
}

export function getVisit(id: string): Promise<{ visit: VisitView; canRate: boolean; canWithdraw: boolean }> {
  return request('GET', `/v1/visits/${enc(id)}`);
}

export function rateVisit(
  id: string,
  body: RateVisitRequest,
): Promise<{ rating: VisitRatingView & { visitId: string }; caseId: string | null }> {
  return request('POST', `/v1/visits/${enc(id)}/rating`, body);
}

export function enterpriseVisits(enterpriseId: string, opts: { pending?: boolean; cursor?: string } = {}) {
  const q = [opts.pending ? 'pending=true' : '', opts.cursor ? `cursor=${enc(opts.cursor)}` : ''].filter(Boolean);
  return request<Page<VisitView>>(
    'GET',
    `/v1/enterprises/${enc(enterpriseId)}/visits${q.length ? `?${q.join('&')}` : ''}`,
  );
}

export function myVisits(cursor?: string) {
  return request<Page<VisitView>>('GET', `/v1/me/visits${cursor ? `?cursor=${enc(cursor)}` : ''}`);
}

export function visitsInScope(cursor?: string) {
  return request<Page<VisitView>>('GET', `/v1/visits${cursor ? `?cursor=${enc(cursor)}` : ''}`);
}

export function visitWarnings(cursor?: string) {
  return request<Page<VisitWarningView> & { rule: { days: number; perDepartment: number; total: number } }>(
    'GET',
    `/v1/visit-warnings${cursor ? `?cursor=${enc(cursor)}` : ''}`,
  );
}

export function recordSubscription(accepted: boolean): Promise<{ subscribed: boolean }> {
  return request('POST', '/v1/me/subscriptions', { accepted });
}

export function negativeList(): Promise<ConductLists> {
  return request<ConductLists>('GET', '/v1/lists', undefined, 'optional');
}
