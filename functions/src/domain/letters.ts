import { DEADLINE_TEXT, letterTemplate, PREFECTURE_ID } from '@mashang/shared';
import type { CaseItem } from '../data/cases';

/** Document-number prefix of each commission's work reminder letters (工作提示函), by the issuer's scope. */
const ISSUER_PREFIX: Record<string, string> = {
  [PREFECTURE_ID]: '海北纪提',
  [`${PREFECTURE_ID}/zhou`]: '海北纪提',
  [`${PREFECTURE_ID}/menyuan`]: '门源纪提',
  [`${PREFECTURE_ID}/qilian`]: '祁连纪提',
  [`${PREFECTURE_ID}/haiyan`]: '海晏纪提',
  [`${PREFECTURE_ID}/gangcha`]: '刚察纪提',
};

export function issuerPrefix(scope: string): string {
  return ISSUER_PREFIX[scope] ?? '海北纪提';
}

/** 海北纪提〔2026〕3号 */
export function letterNumber(prefix: string, year: number, n: number): string {
  return `${prefix}〔${year}〕${n}号`;
}

/**
 * The draft the scheduler writes when a deadline lapses; an inspector edits and issues it. The same template as the
 * letter form's (shared letterTemplate), with the lapsed deadline; addressed from the case's county commission.
 */
export function draftReminderText(c: CaseItem, lapsed: 'callback' | 'rectify', now: Date): string {
  return letterTemplate(
    c,
    c.county?.id ? `${PREFECTURE_ID}/${c.county.id}` : PREFECTURE_ID,
    DEADLINE_TEXT.missed[lapsed],
    now.toISOString(),
  );
}
