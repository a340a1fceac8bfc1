/**
 * The monthly report (SPEC §2.6, issue 14): the figures of a scope and month stated the way the Haibei article does
 * ("企业、群众扫码评议4500余人次，推送评价短信340余条，各级干部访企登记接受监督110余次，州纪委监委对3件“不满意”评议，制发工作
 * 提示函2份、电话回访2次"), plus a table per county and department. Zod-free: the console imports it.
 */
import { REGIONS } from './facts';

/** The figures a report states, summed from the day counters of its scope and month. */
export interface ReportFigures {
  ratings: number;
  citizen: number;
  enterprise: number;
  goodRate: number | null;
  bad: number;
  badReplyRate: number | null;
  invitationsSent: number;
  visits: number;
  visitSatisfactionRate: number | null;
  casesOpened: number;
  casesClosed: number;
  overdue: number;
  letters: number;
  callbacks: number;
  interviews: number;
  /** Cases inspectors opened from their own supervision findings (source `inspection`). */
  inspectionCases: number;
}

/** One row of a report's tables: a county or a department with its figures. */
export interface ReportRow extends ReportFigures {
  id: string;
  name: string;
}

/** GET /v1/reports/monthly: a stored report (a snapshot: reopening it shows the figures as generated). */
export interface MonthlyReport {
  scope: string;
  scopeName: string;
  month: string;
  /** The period counted: the whole month, or up to the day of generation for the current month. */
  from: string;
  to: string;
  /** 1 for the first generation, + 1 for each explicit regeneration (each one audited). */
  version: number;
  generatedAt: string;
  /** The report text: its sentences joined. */
  text: string;
  sentences: string[];
  figures: ReportFigures;
  /** By county (prefecture reports only) and by department. */
  counties: ReportRow[];
  departments: ReportRow[];
  /** An expiring link to the report as PDF (rendered once, when the report was generated). */
  pdf: { url: string; expiresAt: string };
  /**
   * An expiring link to the report as a Word file (.docx), the same content as the PDF. Rendered with the PDF; a report
   * generated before Word files existed gets its file at its first reading. Absent only if that rendering failed.
   */
  docx?: { url: string; expiresAt: string };
}

/** POST /v1/reports/monthly answers what it stored; the report itself is read with GET. */
export interface MonthlyReportStored {
  scope: string;
  month: string;
  version: number;
  generatedAt: string;
}

/**
 * The rounding rule (README "Monthly report"): only the three volume figures of the article's first clauses —
 * 扫码评议人次, 评价短信条数, 干部访企登记次数 — are rounded on purpose, and only from 100 up: they keep their two leading
 * digits and say 余 when something was cut (4523 → 4500余, 342 → 340余, 112 → 110余, 4500 → 4500); from 10 000 up
 * they are written in 万 (12 345 → 1.2万余, 123 456 → 12万余). Below 100 they are exact. Every other figure (不满意评议,
 * 提示函, 回访, 约谈, 督办件, rates) is always exact.
 */
export function roughCount(n: number): string {
  if (n < 100) return String(n);
  if (n < 10000) {
    const unit = 10 ** (String(n).length - 2);
    const kept = Math.floor(n / unit) * unit;
    return kept === n ? String(n) : `${kept}余`;
  }
  if (n < 100000) {
    const tenths = Math.floor(n / 1000);
    const text = tenths % 10 === 0 ? String(tenths / 10) : (tenths / 10).toFixed(1);
    return `${text}万${tenths * 1000 === n ? '' : '余'}`;
  }
  const wan = Math.floor(n / 10000);
  return `${wan}万${wan * 10000 === n ? '' : '余'}`;
}

/** The commission that supervises a scope, as the article names it: 州纪委监委, 门源县纪委监委 … */
export function commissionName(scope: string, countyName?: string): string {
  const region = scope.split('/')[1];
  if (!region || region === 'zhou') return '州纪委监委';
  const r = REGIONS.find((x) => x.id === region);
  return `${r?.short ?? countyName ?? ''}纪委监委`;
}

/** 2026-11 → 2026年11月 */
export const chineseMonth = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;

const rateText = (v: number | null) => `${v}%`;

/**
 * The report's sentences, computed from the figures: each clause only when its figure is not zero (a rate only when
 * what it divides by is not zero), in the article's order and words.
 *  1. the article's paragraph: ratings, invitation SMS, visits, then the commission on the 不满意 with letters and
 *     callbacks;
 *  2. the inspectors' own work: cases from supervision findings, 约谈;
 *  3. the cases: opened, closed, overdue;
 *  4. the rates: 好评率, 差评回复率, 访企满意率.
 */
export function reportSentences(r: {
  scope: string;
  scopeName: string;
  month: string;
  /** The period ends before the month does (a report of the current month). */
  to?: string;
  countyName?: string;
  figures: ReportFigures;
}): string[] {
  const f = r.figures;
  const where = r.scope.split('/').length === 1 ? '全州' : r.scopeName;
  const when =
    r.to && r.to < lastDayOfMonth(r.month)
      ? `${chineseMonth(r.month)}1日至${Number(r.to.slice(8))}日`
      : chineseMonth(r.month);
  const commission = commissionName(r.scope, r.countyName);

  const first: string[] = [];
  if (f.ratings) first.push(`企业、群众扫码评议${roughCount(f.ratings)}人次`);
  if (f.invitationsSent) first.push(`推送评价短信${roughCount(f.invitationsSent)}条`);
  if (f.visits) first.push(`各级干部访企登记接受监督${roughCount(f.visits)}次`);
  const followUp = [
    ...(f.letters ? [`制发工作提示函${f.letters}份`] : []),
    ...(f.callbacks ? [`电话回访${f.callbacks}次`] : []),
  ].join('、');
  if (f.bad) first.push(`${commission}对${f.bad}件“不满意”评议${followUp ? `，${followUp}` : '跟踪督办'}`);
  else if (followUp) first.push(`${commission}${followUp}`);

  const sentences: string[] = [];
  if (first.length) sentences.push(`${when}，${where}${first.join('，')}。`);
  const own = [
    ...(f.inspectionCases ? [`监督检查发现并督促整改问题${f.inspectionCases}个`] : []),
    ...(f.interviews ? [`约谈相关责任人${f.interviews}人次`] : []),
  ];
  if (own.length) sentences.push(`${commission}${own.join('，')}。`);
  const cases = [
    ...(f.casesOpened ? [`新开督办件${f.casesOpened}件`] : []),
    ...(f.casesClosed ? [`办结${f.casesClosed}件`] : []),
    ...(f.overdue ? [`逾期${f.overdue}件`] : []),
  ];
  if (cases.length) sentences.push(`本月${cases.join('，')}。`);
  const rates = [
    ...(f.goodRate !== null ? [`好评率${rateText(f.goodRate)}`] : []),
    ...(f.badReplyRate !== null ? [`差评回复率${rateText(f.badReplyRate)}`] : []),
    ...(f.visitSatisfactionRate !== null ? [`访企满意率${rateText(f.visitSatisfactionRate)}`] : []),
  ];
  if (rates.length) sentences.push(`${rates.join('，')}。`);
  if (!sentences.length) sentences.push(`${when}，${where}暂无评议、短信、走访和督办件。`);
  return sentences;
}

function lastDayOfMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

/** The columns of a report's tables (page and PDF alike). */
export const REPORT_COLUMNS: { key: keyof ReportFigures; title: string; rate?: boolean }[] = [
  { key: 'ratings', title: '评价数' },
  { key: 'citizen', title: '群众' },
  { key: 'enterprise', title: '企业' },
  { key: 'goodRate', title: '好评率', rate: true },
  { key: 'bad', title: '差评数' },
  { key: 'badReplyRate', title: '差评回复率', rate: true },
  { key: 'invitationsSent', title: '评价短信' },
  { key: 'visits', title: '访企登记' },
  { key: 'visitSatisfactionRate', title: '访企满意率', rate: true },
  { key: 'casesOpened', title: '新开督办件' },
  { key: 'casesClosed', title: '办结' },
  { key: 'overdue', title: '逾期' },
  { key: 'letters', title: '提示函' },
  { key: 'callbacks', title: '电话回访' },
  { key: 'interviews', title: '约谈' },
];

/** A table cell: a rate as 95.3% (— when nothing to divide by), a count as it is. */
export const reportCell = (row: ReportFigures, c: (typeof REPORT_COLUMNS)[number]): string => {
  const v = row[c.key];
  return v === null ? '—' : c.rate ? `${v}%` : String(v);
};
