import { CASE_STATUS_LABELS, PREFECTURE_ID, ROLE_LABELS, levelLabel, type Role, type RoleGrant } from '@mashang/shared';
import { formatTime } from '../../components/status';
import type { AlertStatus, OfficialCase } from '../api';

export { formatTime };

// Region ids of the scope tree (shared/src/access.ts); the names are the ones the demo data and posters use.
const REGION_NAMES: Record<string, string> = {
  zhou: '州本级',
  menyuan: '门源县',
  qilian: '祁连县',
  haiyan: '海晏县',
  gangcha: '刚察县',
};

/** haibei → 海北州（全州）; haibei/menyuan → 门源县; haibei/menyuan/menyuan-scjg → 门源县 · 部门 menyuan-scjg */
function scopeLabel(scope: string): string {
  const [root, region, dept, win] = scope.split('/');
  if (root !== PREFECTURE_ID) return scope;
  if (!region) return '海北州（全州）';
  const parts = [REGION_NAMES[region] ?? region];
  if (dept) parts.push(`部门 ${dept}`);
  if (win) parts.push(`窗口 ${win}`);
  return parts.join(' · ');
}

export function roleLabel(role: string): string {
  if (role === 'owner') return '评价人';
  if (role === 'system') return '系统';
  return ROLE_LABELS[role as Role] ?? role;
}

export function grantLabel(g: RoleGrant): string {
  return `${roleLabel(g.role)} · ${scopeLabel(g.scope)}`;
}

export function caseStatusLabel(c: Pick<OfficialCase, 'status' | 'statusLabel'>): string {
  return c.statusLabel || CASE_STATUS_LABELS[c.status] || c.status;
}

export function caseTagClass(c: Pick<OfficialCase, 'status'>, overdue = false): string {
  if (c.status === 'closed') return 'tag tag-done';
  return overdue ? 'tag tag-bad' : 'tag';
}

/** What a case is about, in one line: the window or department and the rating level or complaint category. */
export function caseHeadline(c: OfficialCase): string {
  const where = c.window?.name ?? c.department?.name ?? c.county.name;
  const what =
    c.source === 'complaint'
      ? `投诉 · ${c.category ?? ''}`
      : c.source === 'visit'
        ? `干部走访 · ${c.level ? levelLabel(c.level) : '负面清单'}`
        : c.level
          ? levelLabel(c.level)
          : '差评';
  return `${where} · ${what}`;
}

export function caseWhere(c: OfficialCase): string {
  return [c.county?.name, c.department?.name, c.window?.name].filter(Boolean).join(' · ');
}

export function isPast(iso: string | undefined, now = Date.now()): boolean {
  return !!iso && Date.parse(iso) < now;
}

export const ALERT_STATUS_LABELS: Record<AlertStatus, string> = {
  pending: '待发送',
  sending: '发送中',
  sent: '已送达',
  retrying: '重试中',
  failed: '发送失败',
};

export const CHANNEL_LABELS: Record<string, string> = { wechat: '微信订阅消息', sms: '短信' };

export const EVENT_LABELS: Record<string, string> = {
  opened: '新督办件',
  overdue: '逾期提醒',
  reopened: '重新办理',
  closed: '办结通知',
  talk: '约谈',
};

export function alertTagClass(status: AlertStatus): string {
  if (status === 'sent') return 'tag tag-done';
  if (status === 'failed') return 'tag tag-bad';
  return 'tag';
}

export function percent(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : `${v}%`;
}
