/**
 * Facts both sides state, written once (zod-free: the mini-program's main package imports this module).
 * The API, the letters, the alert messages and the pages all read them from here.
 */
import { PREFECTURE_ID, ROLE_LABELS, type RoleGrant } from './access';
import type { AlertStatus } from './cases';

/** Working-day deadlines of SPEC §2.3 (every case source). */
export const CASE_DEADLINES = { callback: 1, rectify: 15 } as const;
/** After a first lapse the department gets this many working days before a 约谈 is recorded. */
export const ESCALATION_GRACE_WORKING_DAYS = 3;

const { callback: C, rectify: R } = CASE_DEADLINES;
const G = ESCALATION_GRACE_WORKING_DAYS;

/** The deadlines in the sentences that state them, derived from the numbers above. */
export const DEADLINE_TEXT = {
  /** Rate page, beside the phone field of a 差评. */
  callbackPromise: `责任部门将在${C}个工作日内回访`,
  /** Thank-you page after a 差评. */
  afterBadRating: `责任部门将在${C}个工作日内回访（留了手机号的会电话联系您），${R}个工作日内整改并反馈。办结后可在“我的”中追评。`,
  /** Timeline note of the first lapse. */
  lapsed: { callback: `超过 ${C} 个工作日未回访`, rectify: `超过 ${R} 个工作日未反馈整改` },
  /** Reminder-letter draft: what was missed, and the time given to report. */
  missed: { callback: `未在 ${C} 个工作日内完成电话回访`, rectify: `未在 ${R} 个工作日内反馈整改情况` },
  reportWithin: `于 ${G} 个工作日内`,
} as const;

/** Case events that alert officials, as the alert message (WeChat `phrase5`, ≤ 5 characters; SMS) and the pages name them. */
export const CASE_EVENT_LABELS: Record<'opened' | 'overdue' | 'talk' | 'reopened' | 'closed' | 'forwarded', string> = {
  opened: '新督办件',
  overdue: '督办逾期',
  talk: '约谈提醒',
  reopened: '重新办理',
  closed: '已办结',
  forwarded: '投诉转办',
};

export const ALERT_STATUS_LABELS: Record<AlertStatus, string> = {
  pending: '待发送',
  sending: '发送中',
  sent: '已送达',
  retrying: '重试中',
  failed: '发送失败',
};

export const ALERT_CHANNEL_LABELS: Record<'wechat' | 'sms', string> = { wechat: '微信订阅消息', sms: '短信' };

/**
 * Subscribe-message templates registered with WeChat: the backend sends with these ids (env may override them per
 * deployment) and the officials' pages ask wx.requestSubscribeMessage for the same ids.
 */
export const WECHAT_TEMPLATE_IDS = {
  caseAlert: 'Kf3x-case-alert-template-0001',
  /** A visit to rate, sent to the enterprise's contact (visits/pages/enterprise asks for it). */
  visitRate: 'Kf3x-visit-rate-template-0002',
  /** A frequency warning, sent to the inspectors (no page asks: they subscribe with the case alerts). */
  visitWarning: 'Kf3x-visit-warning-template-03',
} as const;

/**
 * The regions of the scope tree (`haibei/<id>`): official name; `short`, the prefix of its departments' names
 * (海北州市场监督管理局, 门源县…); `label`, how a scope at the region reads on the pages (州本级, 门源县).
 */
export const REGIONS = [
  { id: 'zhou', name: '海北州本级', short: '海北州', label: '州本级', adminCode: '632200' },
  { id: 'menyuan', name: '门源回族自治县', short: '门源县', label: '门源县', adminCode: '632221' },
  { id: 'qilian', name: '祁连县', short: '祁连县', label: '祁连县', adminCode: '632222' },
  { id: 'haiyan', name: '海晏县', short: '海晏县', label: '海晏县', adminCode: '632223' },
  { id: 'gangcha', name: '刚察县', short: '刚察县', label: '刚察县', adminCode: '632224' },
] as const;

/** How a region reads on the pages (门源县, 州本级), or its id when unknown. */
export function regionLabel(id: string): string {
  return REGIONS.find((r) => r.id === id)?.label ?? id;
}

/** haibei → 海北州（全州）; haibei/menyuan → 门源县; deeper → 门源县 · 本单位 / 本窗口 (never an internal id). */
export function scopeLabel(scope: string): string {
  const [root, region, dept, win] = scope.split('/');
  if (root !== PREFECTURE_ID) return '—';
  if (!region) return '海北州（全州）';
  const parts = [regionLabel(region)];
  if (dept) parts.push(win ? '本窗口' : '本单位');
  return parts.join(' · ');
}

/**
 * A role and its place in words: 纪检监察 · 门源县. The names come with the sign-in (`scopeNames`: scope → 门源县 ·
 * 门源县市场监督管理局); without one (an old session) the region still reads by name and a deeper place by its kind.
 */
export function grantLabel(g: RoleGrant, names: Record<string, string> = {}): string {
  return `${ROLE_LABELS[g.role] ?? g.role} · ${names[g.scope] ?? scopeLabel(g.scope)}`;
}
