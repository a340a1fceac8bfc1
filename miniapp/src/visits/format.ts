import { levelLabel, solvedLabel, type VisitView } from '@mashang/shared';

const pad = (n: number) => String(n).padStart(2, '0');

/** China time (UTC+8, no daylight saving) whatever the device's zone: 2026-12-01 09:30. */
export function chinaTime(iso: string): string {
  const d = new Date(Date.parse(iso) + 8 * 3600_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** One line about how the enterprise rated a visit (never who rated). */
export function ratingLine(v: VisitView): string {
  if (v.status === 'withdrawn') return '已撤回';
  if (!v.rating) return Date.parse(v.rateBy) < Date.now() ? '企业未评价' : '待企业评价';
  const r = v.rating;
  return [
    levelLabel(r.level),
    solvedLabel(r.solved),
    r.negativeItemIds.length ? `反映负面清单 ${r.negativeItemIds.join('、')}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
}
