import * as z from 'zod/mini';
import { REGIONS } from './facts';

/**
 * Bulk import of the registry from a spreadsheet (xlsx with sheets 部门 / 窗口 / 企业, or one csv per kind).
 * A dry run validates every row and stores the file and the report; commit applies all rows or none, as a job
 * that a second run resumes (rows are keyed by their external id).
 */
export const IMPORT_STATES = ['validated', 'invalid', 'committing', 'done', 'failed'] as const;
export type ImportState = (typeof IMPORT_STATES)[number];
export const IMPORT_STATE_LABELS: Record<ImportState, string> = {
  validated: '预检通过，待提交',
  invalid: '预检未通过',
  committing: '正在提交',
  done: '已完成',
  failed: '提交失败',
};

export const IMPORT_KINDS = ['departments', 'windows', 'enterprises'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const IMPORT_SHEETS: Record<ImportKind, string> = { departments: '部门', windows: '窗口', enterprises: '企业' };

/** The county the template's example rows name. */
const EXAMPLE_COUNTY = REGIONS[1].name;

/** Column headers of each sheet, in order (the template's first row). */
export const IMPORT_COLUMNS: Record<ImportKind, { key: string; header: string; example: string }[]> = {
  departments: [
    { key: 'id', header: '部门编号', example: 'menyuan-hmz' },
    { key: 'name', header: '部门名称', example: '浩门镇便民服务中心' },
    { key: 'region', header: '区县', example: EXAMPLE_COUNTY },
    { key: 'level', header: '层级', example: '乡' },
  ],
  windows: [
    { key: 'id', header: '窗口编号', example: 'menyuan-hmz-w01' },
    { key: 'name', header: '窗口名称', example: '社保医保综合窗口1号' },
    { key: 'kind', header: '类型', example: '服务窗口' },
    { key: 'departmentId', header: '部门编号', example: 'menyuan-hmz' },
  ],
  enterprises: [
    { key: 'id', header: '企业编号', example: 'ent-menyuan-0201' },
    { key: 'name', header: '企业名称', example: '门源县浩门商贸有限公司' },
    { key: 'creditCode', header: '统一社会信用代码', example: '91632221MA7XXXXXXX' },
    { key: 'region', header: '区县', example: EXAMPLE_COUNTY },
    { key: 'contactName', header: '联系人', example: '马建国' },
    { key: 'contactPhone', header: '联系电话', example: '13912345678' },
  ],
};

export const MAX_IMPORT_BYTES = 4 * 1024 * 1024;

export const ImportUpload = z.strictObject({
  fileName: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, '缺少文件名'),
      z.maxLength(120, '文件名过长'),
      z.regex(/\.(xlsx|csv)$/i, '只支持 .xlsx 或 .csv 文件'),
    ),
  /** For a csv file: which kind its rows are (an xlsx names its sheets). */
  kind: z.optional(z.enum(IMPORT_KINDS, { error: '类别须为 departments、windows 或 enterprises' })),
  contentBase64: z
    .string({ error: '缺少文件内容' })
    .check(z.minLength(4, '文件为空'), z.maxLength(Math.ceil((MAX_IMPORT_BYTES * 4) / 3) + 4, '文件不能超过 4 MB')),
});
export type ImportUpload = z.infer<typeof ImportUpload>;

export interface ImportRowError {
  sheet: string;
  /** Spreadsheet row number (the header is row 1). */
  row: number;
  externalId?: string;
  field?: string;
  message: string;
}

export interface ImportView {
  id: string;
  fileName: string;
  state: ImportState;
  stateLabel: string;
  counts: Record<ImportKind, number>;
  errorCount: number;
  /** The first errors (the whole report is the CSV download). */
  errors: ImportRowError[];
  progress: { done: number; total: number };
  createdAt: string;
  createdBy: string;
  committedAt?: string;
  failure?: string;
}
