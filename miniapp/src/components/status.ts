import { CASE_STATUS_LABELS } from '@mashang/shared';

export function statusLabel(status: string | undefined): string {
  if (!status) return '待受理';
  return (CASE_STATUS_LABELS as Record<string, string>)[status] ?? status;
}

export function statusClass(status: string | undefined): string {
  return status === 'closed' ? 'tag tag-done' : 'tag';
}

/**
 * 2026-11-26T08:03:00Z → 2026-11-26 16:03, always in China time (UTC+8, no daylight saving): deadlines end at
 * 23:59 China time whatever the device's or the test browser's time zone.
 */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '';
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  const d = new Date(t + 8 * 3600 * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}
