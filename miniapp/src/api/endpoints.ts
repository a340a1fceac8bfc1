import type {
  CitizenCaseView,
  CodeLookupResponse,
  InvitationView,
  ComplaintProgress,
  ConductLists,
  FollowUpRequest,
  MyComplaintItem,
  MyRatingItem,
  SubmitComplaintRequest,
  SubmitComplaintResponse,
  SubmitRatingRequest,
  SubmitRatingResponse,
} from '@mashang/shared';
import { request } from './client';

// Response shapes of the complaint routes come from the shared DTOs.
export type { ComplaintProgress, MyComplaintItem } from '@mashang/shared';

/** Lists come either bare or paged ({items}); accept both. */
function items<T>(res: T[] | { items: T[] }): T[] {
  return Array.isArray(res) ? res : (res?.items ?? []);
}

// Codes are looked up once per launch: the entry page verifies, the rate page reuses the answer.
const codeCache = new Map<string, CodeLookupResponse>();

export async function lookupCode(code: string): Promise<CodeLookupResponse> {
  const hit = codeCache.get(code);
  if (hit) return hit;
  const res = await request<CodeLookupResponse>('GET', `/v1/codes/${encodeURIComponent(code)}`, undefined, 'optional');
  codeCache.set(code, res);
  return res;
}

/**
 * The same lookup, signed in (logging in if needed, sharing a login already under way): its answer says whether the
 * caller rated this window today (一次一评), which an anonymous lookup cannot know.
 */
export async function lookupCodeSignedIn(code: string): Promise<CodeLookupResponse> {
  const res = await request<CodeLookupResponse>('GET', `/v1/codes/${encodeURIComponent(code)}`);
  codeCache.set(code, res);
  return res;
}

/** After rating a window, its cached lookup no longer tells the truth about today. */
export function forgetCode(code: string) {
  codeCache.delete(code);
}

export function forgetCodes() {
  codeCache.clear();
}

export function submitRating(body: SubmitRatingRequest): Promise<SubmitRatingResponse> {
  return request<SubmitRatingResponse>('POST', '/v1/ratings', body);
}

export function submitComplaint(body: SubmitComplaintRequest): Promise<SubmitComplaintResponse> {
  return request<SubmitComplaintResponse>('POST', '/v1/complaints', body);
}

export function trackComplaint(trackingNo: string, queryCode: string): Promise<ComplaintProgress> {
  const path = `/v1/complaints/${encodeURIComponent(trackingNo)}?queryCode=${encodeURIComponent(queryCode)}`;
  return request<ComplaintProgress>('GET', path, undefined, 'none');
}

export function getLists(): Promise<ConductLists> {
  return request<ConductLists>('GET', '/v1/lists', undefined, 'optional');
}

export async function myRatings(): Promise<MyRatingItem[]> {
  return items(await request<MyRatingItem[] | { items: MyRatingItem[] }>('GET', '/v1/me/ratings'));
}

export async function myComplaints(): Promise<MyComplaintItem[]> {
  return items(await request<MyComplaintItem[] | { items: MyComplaintItem[] }>('GET', '/v1/me/complaints'));
}

/** The filer's own case: outcome, what was published, citizen-safe timeline, whether a 追评 is open. */
export function getMyCase(caseId: string): Promise<CitizenCaseView> {
  return request<CitizenCaseView>('GET', `/v1/me/cases/${encodeURIComponent(caseId)}`);
}

/** The answer to the 处理结果通知 subscribe-message request, for the case a submission opened (or reopened). */
export function recordResultNotice(caseId: string, accepted: boolean): Promise<unknown> {
  return request('POST', '/v1/me/subscriptions', { accepted, caseId });
}

/** 追评: the only case action a citizen may take, once the case is closed. */
export function followUp(caseId: string, body: Omit<FollowUpRequest, 'type'>): Promise<unknown> {
  return request('POST', `/v1/cases/${encodeURIComponent(caseId)}/actions`, { ...body, type: 'follow_up' });
}
/** 一事一评: the SMS invitation behind a link (no login needed to read it). */
export function getInvitation(token: string): Promise<InvitationView> {
  return request<InvitationView>('GET', `/v1/invitations/${encodeURIComponent(token)}`, undefined, 'none');
}

/** 退订 through the link: this phone gets no more rating invitations. */
export function optOutOfInvitations(token: string): Promise<{ optedOut: true }> {
  return request<{ optedOut: true }>('POST', `/v1/invitations/${encodeURIComponent(token)}/opt-out`, {}, 'none');
}
