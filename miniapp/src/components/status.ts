import { CASE_STATUS_LABELS } from '@mashang/shared';

export function statusLabel(status: string | undefined): string {
  if (!status) return '待受理';
  return (CASE_STATUS_LABELS as Record<string, string>)[status] ?? status;
}

export function statusClass(status: string | undefined): string {
  return status === 'closed' ? 'tag tag-done' : 'tag';
}

/** 2026-11-26T08:03:00Z → 2026-11-26 16:03 (the user's clock). */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
