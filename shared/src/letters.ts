import { DEADLINE_TEXT, REGIONS } from './facts';
import { shanghaiDate } from './time';

/**
 * The commission that issues a reminder letter (工作提示函), by the issuing inspector's scope: a county's letter is
 * its own (中共门源县纪委监委), the prefecture's and 州本级's are 中共海北州纪委监委. An unknown region falls back to the
 * prefecture (as the letter number's prefix does).
 */
export function letterIssuerName(scope: string): string {
  const region = scope.split('/')[1];
  const r = REGIONS.find((x) => x.id === region);
  return `中共${r && r.id !== 'zhou' ? r.short : '海北州'}纪委监委`;
}

/** 2026-12-01 (China time of an ISO instant) → 2026年12月1日, the date form of official documents (GB/T 9704-2012). */
export function chineseDate(iso: string): string {
  return shanghaiDate(iso).replace(/^(\d+)-(\d+)-(\d+)$/, (_, a, b, c) => `${a}年${Number(b)}月${Number(c)}日`);
}

/** What a letter needs to know of its case (a subset of the case as officials read it). */
export interface LetterCaseFacts {
  id: string;
  source?: 'rating' | 'complaint' | 'visit' | 'inspection';
  createdAt: string;
  summary: string;
  department?: { name: string };
  window?: { name: string };
}

const SOURCE_PHRASE: Record<string, string> = {
  rating: '提出不满意评价',
  complaint: '投诉举报',
  visit: '在干部访企评价中反映问题',
};

/**
 * The body of a reminder letter filled from the case, for the inspector to edit before issuing. The addressee line,
 * the case reference and the facts stand apart on the letter (domain/letter-pdf), so the body is what is asked of
 * the department. With `missed`, the deadline that lapsed (the scheduler's draft).
 */
export function letterTemplate(c: LetterCaseFacts, issuerScope: string, missed?: string, asOf?: string): string {
  const about = c.window?.name ?? c.department?.name ?? '你单位';
  // An inspectors' own finding is the commission's, not a citizen's report.
  const facts =
    c.source === 'inspection'
      ? `    ${chineseDate(c.createdAt)}，${letterIssuerName(issuerScope)}在监督检查中发现${about}存在以下问题（督办件编号 ${c.id}）：${c.summary}。`
      : `    ${chineseDate(c.createdAt)}，群众通过“码上监督”平台对${about}${SOURCE_PHRASE[c.source ?? 'rating']}（督办件编号 ${c.id}），反映：${c.summary}。`;
  return [
    facts,
    ...(missed && asOf ? [`    截至 ${chineseDate(asOf)}，该件${missed}。`] : []),
    `    请你单位高度重视，立即核查处理，${DEADLINE_TEXT.reportWithin}将办理情况书面报送${letterIssuerName(issuerScope)}。逾期未办的，将对相关负责人进行约谈。`,
    '    特此提示。',
  ].join('\n');
}

/** The letter is addressed to the responsible department by default. */
export const letterAddressee = (c: LetterCaseFacts) => c.department?.name ?? '';
