import {
  ALERT_CHANNEL_LABELS,
  CASE_EVENT_LABELS,
  CASE_STATUS_LABELS,
  ROLE_LABELS,
  levelLabel,
  type Role,
} from '@mashang/shared';
import { formatTime } from '../../components/status';
import type { AlertStatus, OfficialCase } from '../api';

export { formatTime };
export { grantLabel } from '@mashang/shared';

/** A case's summary cut to one short line for lists. */
export function shortSummary(text: string, max = 24): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

export function roleLabel(role: string): string {
  if (role === 'owner') return '评价人';
  if (role === 'system') return '系统';
  return ROLE_LABELS[role as Role] ?? role;
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
        : c.source === 'inspection'
          ? '监督检查发现问题'
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

// Labels the alert messages themselves use (shared/src/facts.ts), looked up by the string the API returns.
export { ALERT_STATUS_LABELS } from '@mashang/shared';
export const CHANNEL_LABELS: Record<string, string> = ALERT_CHANNEL_LABELS;
export const EVENT_LABELS: Record<string, string> = CASE_EVENT_LABELS;

export function alertTagClass(status: AlertStatus): string {
  if (status === 'sent') return 'tag tag-done';
  if (status === 'failed') return 'tag tag-bad';
  return 'tag';
}

export function percent(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : `${v}%`;
}
