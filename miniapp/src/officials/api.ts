import Taro from '@tarojs/taro';
import type {
  AlertView,
  CaseActionRequest,
  CaseActionResult,
  CaseDetailView,
  CaseListBucket,
  CaseSource,
  CaseView,
  DepartmentView,
  FailedAlertView,
  LoginResponse,
  PhotoView,
  RevealContactResponse,
  StatsSummary,
  StatsTrend,
  TrendBucket,
  TimelineView,
} from '@mashang/shared';
import { WECHAT_TEMPLATE_IDS } from '@mashang/shared';
import { ApiError, baseUrl, errorMessage, login, request, storedToken } from '../api/client';

// Response shapes come from the shared DTOs the API itself is typed with.
export type OfficialCase = CaseView;
type TimelineEntry = TimelineView & {
  data?: Record<string, unknown> & {
    draftLetter?: { recipient: string; text: string };
    /** What was published to the filer with a rectification or a closing (their case view). */
    publicSummary?: string;
    publicNote?: string;
  };
};
export type AlertStatus = AlertView['status'];
export type CaseDetail = Omit<CaseDetailView, 'timeline'> & { timeline: TimelineEntry[] };
export type ActionResult = CaseActionResult;
export type FailedAlert = FailedAlertView;
export type { StatsSummary, StatsTrend };

export interface CasePage {
  items: OfficialCase[];
  cursor?: string;
}

/**
 * The subscribe-message template the backend sends case alerts with (functions/src/domain/alerts.ts,
 * WECHAT_TEMPLATE_CASE). wx.requestSubscribeMessage must name the same id:
 * https://developers.weixin.qq.com/miniprogram/dev/api/open-api/subscribe-message/wx.requestSubscribeMessage.html
 */
export const CASE_ALERT_TEMPLATE_ID = WECHAT_TEMPLATE_IDS.caseAlert;

const enc = encodeURIComponent;

function query(params: Record<string, string | undefined>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${enc(v as string)}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/**
 * A 2xx answer must still be the expected shape: serverless-offline (the local system) answers a crashed or
 * timed-out function with 200 and `{errorMessage, errorType}`, and an action must never look recorded when it was not.
 */
function expectShape<T>(res: T, ok: (r: T) => boolean): T {
  if (res && typeof res === 'object' && ok(res)) return res;
  throw new ApiError('BAD_RESPONSE', '服务暂时不可用，请稍后重试', 0);
}

/** What the officials' case list can be narrowed by (all optional): place (scope), source, creation days, number. */
export interface CaseFilters {
  scope?: string;
  source?: CaseSource;
  /** China-time days, YYYY-MM-DD, both included. */
  from?: string;
  to?: string;
  /** A case number (督办件编号): that case whatever its tab. */
  q?: string;
}

export async function listCases(status: CaseListBucket, cursor?: string, filters: CaseFilters = {}): Promise<CasePage> {
  const res = await request<CasePage>('GET', `/v1/cases${query({ status, ...filters, cursor })}`);
  return expectShape(res, (r) => Array.isArray(r.items));
}

/** The departments of a county (for the list's department filter), by name. */
export async function countyDepartments(county: string): Promise<{ id: string; name: string; path: string }[]> {
  const res = await request<{ items: DepartmentView[] }>('GET', `/v1/departments${query({ county, limit: '100' })}`);
  return expectShape(res, (r) => Array.isArray(r.items)).items.map((d) => ({ id: d.id, name: d.name, path: d.path }));
}

export async function getCase(id: string): Promise<CaseDetail> {
  const res = await request<CaseDetail>('GET', `/v1/cases/${enc(id)}`);
  return expectShape(res, (r) => !!r.case && Array.isArray(r.timeline) && Array.isArray(r.availableActions));
}

export async function actOnCase(id: string, body: CaseActionRequest): Promise<ActionResult> {
  const res = await request<ActionResult>('POST', `/v1/cases/${enc(id)}/actions`, body);
  return expectShape(res, (r) => !!r.case?.status);
}

/**
 * The filer's phone (and a complainant's name), for those allowed to call: an explicit request with a reason, written
 * to the audit trail on the server. Never cached or stored here.
 */
export async function revealContact(id: string, reason: string): Promise<RevealContactResponse> {
  const res = await request<RevealContactResponse>('POST', `/v1/cases/${enc(id)}/contact`, { reason });
  return expectShape(res, (r) => typeof r.phone === 'string');
}

export async function statsSummary(scope?: string, period: { from?: string; to?: string } = {}): Promise<StatsSummary> {
  const res = await request<StatsSummary>('GET', `/v1/stats/summary${query({ scope, ...period })}`);
  return expectShape(res, (r) => typeof r.scope === 'string');
}

/** GET /v1/stats/trend: the period's figures by day, week or month. */
export async function statsTrend(
  scope: string | undefined,
  period: { from: string; to: string; bucket: TrendBucket },
): Promise<StatsTrend> {
  const res = await request<StatsTrend>('GET', `/v1/stats/trend${query({ scope, ...period })}`);
  return expectShape(res, (r) => Array.isArray(r.points));
}

export function recordSubscription(accepted: boolean): Promise<{ subscribed: boolean }> {
  return request('POST', '/v1/me/subscriptions', { accepted });
}

export function failedAlerts(scope?: string): Promise<{ items: FailedAlert[] }> {
  return request('GET', `/v1/alerts/failed${query({ scope })}`);
}

/**
 * Opens a reminder letter's PDF. The route needs the Bearer token, so a plain link cannot open it:
 * H5 fetches it as a blob and opens that; WeChat downloads it with the header and opens it with
 * wx.openDocument (https://developers.weixin.qq.com/miniprogram/dev/api/file/wx.openDocument.html).
 */
export async function openLetterPdf(pdfPath: string): Promise<void> {
  const url = baseUrl() + pdfPath;
  const token = storedToken() || (await login());
  if (process.env.TARO_ENV !== 'weapp') {
    // Open the tab now, inside the tap, so the browser does not treat it as a pop-up; fill it when the PDF arrives.
    const tab = typeof window.open === 'function' ? window.open('', '_blank') : null;
    let res: Response;
    try {
      res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    } catch {
      tab?.close();
      throw new ApiError('NETWORK_ERROR', '网络不稳定，请重试', 0);
    }
    if (!res.ok) {
      tab?.close();
      const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
      throw new ApiError(
        body?.error?.code ?? `HTTP_${res.status}`,
        body?.error?.message ?? `提示函下载失败（${res.status}）`,
        res.status,
      );
    }
    const objectUrl = URL.createObjectURL(await res.blob());
    if (tab) tab.location.href = objectUrl;
    else window.location.href = objectUrl;
    return;
  }
  const file = await Taro.downloadFile({ url, header: { Authorization: `Bearer ${token}` } });
  if (file.statusCode !== 200)
    throw new ApiError(`HTTP_${file.statusCode}`, `提示函下载失败（${file.statusCode}）`, file.statusCode);
  await Taro.openDocument({ filePath: file.tempFilePath, fileType: 'pdf', showMenu: true });
}

export { errorMessage };

/** 一事一评: one invitation of a window as its staff see it (phone masked). */
export interface WindowInvitation {
  id: string;
  matter: string;
  phone: string;
  status: string;
  statusLabel: string;
  skipReason?: string;
  rated: boolean;
  createdAt: string;
  sentAt?: string;
}

/**
 * 绑定微信: the person's id and the one-time code an operator issued make this WeChat account that person. The
 * answer is a fresh session carrying the person's roles (the caller adopts it).
 */
export async function bindPerson(body: { personId: string; bindingCode: string }): Promise<LoginResponse> {
  const res = await request<LoginResponse>('POST', '/v1/people/bind', body);
  return expectShape(res, (r) => typeof r.token === 'string' && Array.isArray(r.user?.roles));
}

/** 发送评价邀请: the window staff's form. The requestId makes a double tap one invitation. */
export async function sendWindowInvitation(
  windowId: string,
  body: { requestId: string; phone: string; matter: string },
) {
  const res = await request<{ invitationId: string | null; duplicate: boolean; sendAfter: string }>(
    'POST',
    `/v1/windows/${enc(windowId)}/invitations`,
    body,
  );
  return expectShape(res, (r) => typeof r.sendAfter === 'string');
}

export async function windowInvitations(
  windowId: string,
  cursor?: string,
): Promise<{ items: WindowInvitation[]; cursor?: string }> {
  const res = await request<{ items: WindowInvitation[]; cursor?: string }>(
    'GET',
    `/v1/windows/${enc(windowId)}/invitations${query({ cursor })}`,
  );
  return expectShape(res, (r) => Array.isArray(r.items));
}

/** 本窗口评价: one rating of a window as its staff see it — never who rated. */
export interface WindowRating {
  id: string;
  level: number;
  levelLabel: string;
  reasons: string[];
  comment?: string;
  createdAt: string;
  caseId: string | null;
  caseStatus?: string;
  caseStatusLabel?: string;
  /** An upheld appeal took it out of the statistics. */
  excluded: boolean;
  /**
   * The rater's photos: a rating without a case for whoever reads the list; a 差评's (its case's evidence) only for
   * its department's handlers, operators and inspectors, never window staff.
   */
  photos?: PhotoView[];
}

export interface WindowRatingsPage {
  window: { id: string; name: string; department: { id: string; name: string }; county: { id: string; name: string } };
  items: WindowRating[];
  cursor?: string;
}

export async function windowRatings(windowId: string, cursor?: string): Promise<WindowRatingsPage> {
  const res = await request<WindowRatingsPage>('GET', `/v1/windows/${enc(windowId)}/ratings${query({ cursor })}`);
  return expectShape(res, (r) => Array.isArray(r.items) && !!r.window);
}
