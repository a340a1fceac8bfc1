import { DEADLINE_TEXT, PREFECTURE_ID, shanghaiDate } from '@mashang/shared';
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

/** The draft the scheduler writes when a deadline lapses; an inspector edits and issues it. */
export function draftReminderText(c: CaseItem, lapsed: 'callback' | 'rectify', now: Date): string {
  const what = DEADLINE_TEXT.missed[lapsed];
  return [
    `${c.department?.name ?? '有关单位'}：`,
    `    ${shanghaiDate(c.createdAt)}，群众通过“码上监督”平台对${c.window?.name ?? '你单位'}提出不满意评价（督办件编号 ${c.id}），反映：${c.summary}。`,
    `    截至 ${shanghaiDate(now)}，该件${what}。请你单位高度重视，立即核查处理，${DEADLINE_TEXT.reportWithin}将办理情况书面报送纪委监委。逾期未办的，将对相关负责人进行约谈。`,
    '    特此提示。',
  ].join('\n');
}
