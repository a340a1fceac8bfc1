import { chineseDate, chineseMonth, REPORT_COLUMNS, reportCell, type ReportRow } from '@mashang/shared';
import * as z from 'zod/mini';
import type { ReportRecord } from '../data/reports';

/** Who reads and generates monthly reports: the commission's inspectors and the operators, within their scope. */
export const REPORT_ROLES = ['inspector', 'operator'] as const;

/** A report is of the prefecture, a county (or 州本级) or a department. */
export const scopeField = z.optional(
  z.string().check(z.regex(/^haibei(\/[A-Za-z0-9-]+){0,2}$/, '报告范围须为全州、区县或部门')),
);
export const monthField = z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式须为 YYYY-MM'));

/** A table of the printed report: its title, the header row and the rows, each cell as printed (name first). */
export interface ReportTable {
  title: string;
  header: string[];
  rows: string[][];
}

/** What the printed report says, whatever the format: the PDF and the Word file are laid out from this alone. */
export interface ReportContent {
  /** The file's own title (document properties). */
  documentTitle: string;
  title: string;
  /** The month, the period counted, the version and the day of generation. */
  subtitle: string;
  /** The report text: one paragraph, its sentences joined (as the article and the console page print it). */
  paragraphs: string[];
  /** By county (prefecture reports), then by department; a table without rows is left out. */
  tables: ReportTable[];
}

const table = (title: string, rows: ReportRow[]): ReportTable => ({
  title,
  header: ['单位', ...REPORT_COLUMNS.map((c) => c.title)],
  rows: rows.map((row) => [row.name, ...REPORT_COLUMNS.map((c) => reportCell(row, c))]),
});

export function reportContent(r: ReportRecord): ReportContent {
  return {
    documentTitle: `${r.scopeName}监督评议月度报告 ${r.month}`,
    title: `${r.scopeName}政务服务监督评议月度报告`,
    subtitle: `${chineseMonth(r.month)}（统计期 ${r.from} 至 ${r.to}）\u3000第 ${r.version} 版，生成于${chineseDate(r.generatedAt)}`,
    paragraphs: [r.text],
    tables: [table('分区县情况', r.counties), table('分部门情况', r.departments)].filter((t) => t.rows.length),
  };
}

/** The name a download is saved under: <scope>监督评议月度报告-2026-11-第1版.pdf / .docx */
export const reportFileName = (r: Pick<ReportRecord, 'scopeName' | 'month' | 'version'>, ext: 'pdf' | 'docx') =>
  `${r.scopeName}监督评议月度报告-${r.month}-第${r.version}版.${ext}`;
