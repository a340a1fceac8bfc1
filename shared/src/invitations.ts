import type { ErrorIssue } from './errors';
import { dayjs, TZ } from './time';

/**
 * 一事一评 (SPEC §2.2): a completed service (办件) reported by the service hall's system invites its citizen by
 * SMS to rate exactly that service. Pure rules and DTO types, shared by the API and the mini-program (zod-free).
 */
export const SERVICE_BATCH_MAX = 500;
/** An invitation can be used for exactly 7 × 24 h after it was sent. */
export const INVITATION_TTL_MS = 7 * 86400000;
/** No invitation SMS between 21:00 and 08:00 China time; what falls in between is queued to 08:00. */
export const QUIET_HOURS = { startHour: 21, endHour: 8 };
export type QuietHours = typeof QUIET_HOURS;

/**
 * Quiet hours from a setting `HH-HH` (China time, e.g. `21-8`); `none` (start = end) means none. Only the local
 * system of the browser journeys uses `none`, so a journey run at night still sees its SMS.
 */
export function parseQuietHours(v: string | undefined): QuietHours {
  if (!v) return QUIET_HOURS;
  if (v === 'none') return { startHour: 0, endHour: 0 };
  const m = /^(\d{1,2})-(\d{1,2})$/.exec(v);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 23) throw new Error(`quiet hours must be HH-HH or none, not ${v}`);
  return { startHour: Number(m[1]), endHour: Number(m[2]) };
}

/**
 * The invitation token: `i<10 base62>.<12 base64url HMAC>` = 24 characters, so it fits WeChat's 32-character
 * `scene` and an URL Link's query alike. Signing needs the server's secret; this module only parses.
 */
export const INVITE_TOKEN_PATTERN = /^(i[0-9A-Za-z]{10})\.([0-9A-Za-z_-]{12})$/;
export const INVITE_TOKEN_MAX = 32;

export function parseInviteToken(token: string): { id: string; signature: string } | null {
  if (typeof token !== 'string' || token.length > INVITE_TOKEN_MAX) return null;
  const m = INVITE_TOKEN_PATTERN.exec(token);
  return m ? { id: m[1], signature: m[2] } : null;
}

/** The invitation's page in the mini-program (main package: citizens open it from the SMS). */
export const INVITE_PAGE = 'pages/invite/index';

/** When an invitation asked for at `now` may leave: now, or 08:00 China time when now is within quiet hours. */
export function earliestSendTime(now: Date, quiet: QuietHours = QUIET_HOURS): Date {
  if (quiet.startHour === quiet.endHour) return now;
  const local = dayjs(now).tz(TZ);
  const h = local.hour();
  if (h >= quiet.startHour) return local.add(1, 'day').hour(quiet.endHour).minute(0).second(0).millisecond(0).toDate();
  if (h < quiet.endHour) return local.hour(quiet.endHour).minute(0).second(0).millisecond(0).toDate();
  return now;
}

export function inQuietHours(now: Date): boolean {
  return earliestSendTime(now).getTime() !== now.getTime();
}

export const INVITATION_STATUSES = ['queued', 'sending', 'retrying', 'sent', 'delivered', 'failed', 'skipped'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

export const INVITATION_STATUS_LABELS: Record<InvitationStatus, string> = {
  queued: '待发送',
  sending: '发送中',
  retrying: '重试中',
  sent: '已发送',
  delivered: '已送达',
  failed: '发送失败',
  skipped: '未发送',
};

export const SKIP_REASON_LABELS = {
  daily_cap: '该手机号今日已收到评价短信',
  opted_out: '该手机号已退订评价短信',
} as const;
export type SkipReason = keyof typeof SKIP_REASON_LABELS;

/** Replies that mean "no more invitations" (运营商通用退订指令). */
export function isOptOutReply(text: string): boolean {
  return /^\s*(退订|TD|T|N|QX|取消|0000)\s*$/i.test(text) || /退订/.test(text);
}

/** One row's outcome in POST /v1/services. */
export interface ServiceRowResult {
  index: number;
  serviceId?: string;
  status: 'accepted' | 'duplicate' | 'invalid';
  invitationId?: string;
  errors?: ErrorIssue[];
}

/** POST /v1/services → 200 */
export interface ServiceBatchResponse {
  received: number;
  accepted: number;
  duplicates: string[];
  invalid: number;
  rows: ServiceRowResult[];
}

/** GET /v1/invitations/{token}: what the citizen's link shows. */
export interface InvitationView {
  token: string;
  window: { id: string; name: string; departmentName: string; countyName: string; code: string | null };
  matter: string;
  /** The service's completion date (China time, YYYY-MM-DD). */
  date: string;
  expired: boolean;
  /** ISO time the link stops working (7 days after sending). */
  expiresAt: string | null;
  optedOut: boolean;
  rating: { id: string; level: 1 | 2 | 3 | 4 | 5; reasons: string[]; comment?: string; createdAt: string } | null;
}

/** POST /v1/api-keys → 201 (the secret is shown this once and never again). */
export interface ApiKeyCreated {
  keyId: string;
  secret: string;
  departmentId: string;
  name: string;
  createdAt: string;
}

export interface ApiKeyView {
  keyId: string;
  departmentId: string;
  name: string;
  status: 'active' | 'revoked';
  createdAt: string;
  revokedAt?: string;
  lastUsedAt?: string;
}

/**
 * Machine API signing (README "Signing the machine API"): the string to sign is these lines joined by "\n";
 * the signature is hex HMAC-SHA256 of it with the key's secret.
 */
export const SIGNATURE_SCHEME = 'MSJD1-HMAC-SHA256';
export function stringToSign(
  method: string,
  path: string,
  timestamp: string,
  nonce: string,
  bodySha256Hex: string,
): string {
  return [SIGNATURE_SCHEME, method.toUpperCase(), path, timestamp, nonce, bodySha256Hex].join('\n');
}
/** Allowed clock difference between the caller and the API. */
export const SIGNATURE_MAX_SKEW_SECONDS = 300;
