import * as z from 'zod/mini';
import { RequestId } from './rating-schema';

/**
 * Exports (SPEC §2.6, issue 14): ratings, cases, visits and SMS invitations of a scope and period as CSV (UTF-8 with a
 * BOM, so Excel opens the Chinese correctly) or xlsx, written by a job outside the request into object storage.
 * No column identifies a person: no rater, complainant or official name, no phone, no tracking number.
 */
export const EXPORT_KINDS = ['ratings', 'cases', 'visits', 'invitations'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
export const EXPORT_KIND_LABELS: Record<ExportKind, string> = {
  ratings: '评价明细',
  cases: '督办件',
  visits: '干部访企',
  invitations: '评价短信',
};
export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_JOB_STATES = ['running', 'done', 'failed'] as const;
export type ExportJobState = (typeof EXPORT_JOB_STATES)[number];
export const EXPORT_JOB_STATE_LABELS: Record<ExportJobState, string> = {
  running: '正在导出',
  done: '已完成',
  failed: '导出失败',
};

const day = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式须为 YYYY-MM-DD'));

/** `POST /v1/exports` */
export const ExportRequest = z
  .strictObject({
    requestId: RequestId,
    kind: z.enum(EXPORT_KINDS, { error: '导出内容须为 ratings、cases、visits 或 invitations' }),
    format: z.enum(EXPORT_FORMATS, { error: '文件格式须为 csv 或 xlsx' }),
    scope: z.optional(z.string().check(z.regex(/^haibei(\/[A-Za-z0-9-]+){0,3}$/, '范围格式不正确'))),
    from: day,
    to: day,
  })
  .check(
    z.refine((v) => v.from <= v.to, { message: '开始日期不能晚于结束日期', path: ['from'] }),
    z.refine((v) => Date.parse(v.to) - Date.parse(v.from) <= 366 * 86400000, {
      message: '导出区间不能超过一年',
      path: ['to'],
    }),
  );
export type ExportRequest = z.infer<typeof ExportRequest>;

export interface ExportJobView {
  id: string;
  kind: ExportKind;
  kindLabel: string;
  format: ExportFormat;
  scope: string;
  scopeName: string;
  from: string;
  to: string;
  state: ExportJobState;
  stateLabel: string;
  /** Rows written so far (running) or in the file (done). */
  rows: number;
  bytes?: number;
  createdAt: string;
  createdBy: string;
  finishedAt?: string;
  failure?: string;
  /** When done: an expiring download link. */
  url?: string;
  expiresAt?: string;
}
