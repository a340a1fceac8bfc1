import {
  canAccess,
  CASE_STATUS_LABELS,
  EXPORT_JOB_STATE_LABELS,
  EXPORT_KIND_LABELS,
  INVITATION_STATUS_LABELS,
  levelLabel,
  VISIT_SOLVED,
  type ExportJobView,
  type ExportKind,
  type ExportRequest,
  type Page,
} from '@mashang/shared';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaseItem } from '../data/cases';
import {
  casesForExport,
  createExportJob,
  finishExportJob,
  getExportJob,
  getExportProgress,
  invitationsForExport,
  listExportJobs,
  ratingsForExport,
  retryExportJob,
  setExportProgress,
  visitsForExport,
  type ExportJobRecord,
} from '../data/exports';
import type { InvitationItem } from '../data/invitations';
import type { RatingItem } from '../data/ratings';
import { getDepartment, getRegion, getWindow } from '../data/registry';
import type { VisitItem } from '../data/visits';
import { downloadUrl, putFile } from '../gateways/storage';
import { writeXlsx, type ByteSink } from './xlsx';
import { AppError, forbidden, notFound } from '../lib/errors';
import type { Session } from '../lib/session';
import { actorOf, auditEntry } from './audit';
import { readableScope } from './case-views';

/** Who may export: inspectors and operators, within their scope. */
const EXPORT_ROLES = ['inspector', 'operator'] as const;
const LINK_SECONDS = 3600;
/** Progress is written every this many rows (one small PutItem each). */
const PROGRESS_EVERY = 2000;

const chinaTime = (iso: string | undefined) =>
  iso ? new Date(Date.parse(iso) + 8 * 3600000).toISOString().slice(0, 19).replace('T', ' ') : '';
const yesNo = (b: unknown) => (b ? '是' : '否');

type Cell = string | number;
interface Column<T> {
  header: string;
  value: (row: T) => Cell;
}

const CASE_SOURCE_LABELS: Record<string, string> = {
  rating: '差评',
  complaint: '投诉举报',
  visit: '走访评价',
  inspection: '监督检查',
};

/**
 * The columns of each export. No column identifies a person: no rater, complainant, official or contact name, no
 * phone, no tracking number (a complaint's query key). tests/integration/exports.test.ts pins these headers.
 */
export const EXPORT_COLUMNS: { [K in ExportKind]: Column<ExportRowOf<K>>[] } = {
  ratings: [
    { header: '评价编号', value: (r) => r.id },
    { header: '评价时间', value: (r) => chinaTime(r.createdAt) },
    { header: '区县', value: (r) => r.county?.name ?? '' },
    { header: '部门', value: (r) => r.department?.name ?? '' },
    { header: '窗口', value: (r) => r.windowName },
    { header: '评价等级', value: (r) => levelLabel(r.level) },
    { header: '分值', value: (r) => r.level },
    { header: '差评原因', value: (r) => (r.reasons ?? []).join('、') },
    { header: '评价内容', value: (r) => r.comment ?? '' },
    { header: '评价人类别', value: (r) => (r.raterKind === 'enterprise' ? '企业' : '群众') },
    { header: '一事一评', value: (r) => yesNo(r.invitationId) },
    { header: '督办件编号', value: (r) => r.caseId ?? '' },
    { header: '申诉成立不计入统计', value: (r) => yesNo(r.excluded) },
  ],
  cases: [
    { header: '督办件编号', value: (c) => c.id },
    { header: '来源', value: (c) => CASE_SOURCE_LABELS[c.source] ?? c.source },
    { header: '开立时间', value: (c) => chinaTime(c.createdAt) },
    { header: '区县', value: (c) => c.county?.name ?? '' },
    { header: '部门', value: (c) => c.department?.name ?? '' },
    { header: '窗口', value: (c) => c.window?.name ?? '' },
    { header: '状态', value: (c) => CASE_STATUS_LABELS[c.status] ?? c.status },
    { header: '摘要', value: (c) => c.summary },
    { header: '已电话回访', value: (c) => yesNo(c.callbackDone) },
    { header: '已反馈整改', value: (c) => yesNo(c.rectificationReported) },
    { header: '逾期次数', value: (c) => c.overdueStrikes ?? 0 },
    { header: '办结结果', value: (c) => c.outcome ?? '' },
    { header: '办结时间', value: (c) => chinaTime(c.closedAt) },
  ],
  visits: [
    { header: '走访编号', value: (v) => v.id },
    { header: '走访时间', value: (v) => chinaTime(v.visitedAt) },
    { header: '登记时间', value: (v) => chinaTime(v.createdAt) },
    { header: '企业所在区县', value: (v) => v.county?.name ?? '' },
    { header: '企业', value: (v) => v.enterprise?.name ?? '' },
    { header: '走访部门', value: (v) => v.department?.name ?? '' },
    { header: '走访事由', value: (v) => v.purpose },
    { header: '状态', value: (v) => (v.status === 'withdrawn' ? '已撤回' : '有效') },
    { header: '企业评价', value: (v) => (v.rating ? levelLabel(v.rating.level) : '未评价') },
    { header: '问题解决情况', value: (v) => VISIT_SOLVED.find((s) => s.value === v.rating?.solved)?.label ?? '' },
    { header: '涉及负面清单条目数', value: (v) => v.rating?.negativeItemIds?.length ?? 0 },
    { header: '督办件编号', value: (v) => v.caseId ?? '' },
  ],
  invitations: [
    { header: '邀请编号', value: (i) => i.id },
    { header: '办件编号', value: (i) => i.serviceId },
    { header: '事项', value: (i) => i.matter },
    { header: '办结日期', value: (i) => i.completedDate },
    { header: '区县', value: (i) => i.countyName },
    { header: '部门', value: (i) => i.departmentName },
    { header: '窗口', value: (i) => i.windowName },
    { header: '短信状态', value: (i) => INVITATION_STATUS_LABELS[i.status] ?? i.status },
    { header: '发送时间', value: (i) => chinaTime(i.sentAt) },
    { header: '已评价', value: (i) => yesNo(i.ratingId) },
    { header: '评价时间', value: (i) => chinaTime(i.ratedAt) },
  ],
};
type ExportRowOf<K extends ExportKind> = {
  ratings: RatingItem;
  cases: CaseItem;
  visits: VisitItem;
  invitations: InvitationItem;
}[K];

/** The job's id: derived from the caller and the request id, so a retried POST finds the job it created. */
const jobIdOf = (userId: string, requestId: string) =>
  createHash('sha256').update(`export\n${userId}\n${requestId}`).digest('hex').slice(0, 26);

/** The name of a scope path: 海北州, a county, a department or a window (404 when it does not exist). */
export async function scopeNameOf(path: string): Promise<string> {
  const parts = path.split('/');
  if (parts.length === 1) return '海北州';
  const item =
    parts.length === 2
      ? await getRegion(parts[1])
      : parts.length === 3
        ? await getDepartment(parts[2])
        : await getWindow(parts[3]);
  if (!item || (item as { path?: string }).path !== path) throw notFound('统计范围');
  return (item as { name: string }).name;
}

async function view(r: ExportJobRecord, rows?: number): Promise<ExportJobView> {
  return {
    id: r.id,
    kind: r.kind,
    kindLabel: EXPORT_KIND_LABELS[r.kind],
    format: r.format,
    scope: r.scope,
    scopeName: r.scopeName,
    from: r.from,
    to: r.to,
    state: r.state,
    stateLabel: EXPORT_JOB_STATE_LABELS[r.state],
    rows: r.rows ?? rows ?? (await getExportProgress(r.id)),
    ...(r.bytes !== undefined ? { bytes: r.bytes } : {}),
    createdAt: r.createdAt,
    createdBy: r.createdBy,
    ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}),
    ...(r.failure ? { failure: r.failure } : {}),
    ...(r.state === 'done'
      ? await downloadUrl(r.fileKey, {
          filename: `${EXPORT_KIND_LABELS[r.kind]}-${r.scopeName}-${r.from}至${r.to}.${r.format}`,
          expiresInSeconds: LINK_SECONDS,
        })
      : {}),
  };
}

/**
 * POST /v1/exports: start an export of the caller's scope and period. Answers at once (202) with the job; the stream
 * worker writes the file. The same request id answers the same job; reused for another export it is refused. The job
 * and its audit entry (export.create) are one transaction.
 */
export async function startExport(session: Session, req: ExportRequest, now: Date): Promise<ExportJobView> {
  const scope = readableScope(session, req.scope, EXPORT_ROLES);
  const actor = actorOf(session, EXPORT_ROLES, scope);
  const id = jobIdOf(session.userId, req.requestId);
  const same = (r: ExportJobRecord) =>
    r.kind === req.kind && r.format === req.format && r.scope === scope && r.from === req.from && r.to === req.to;
  const existing = await getExportJob(id);
  if (existing) {
    if (!same(existing)) throw new AppError('IDEMPOTENCY_KEY_REUSED', '该请求编号已用于另一次导出，请刷新后重试');
    return view(existing);
  }
  const scopeName = await scopeNameOf(scope);
  const record: ExportJobRecord = {
    id,
    kind: req.kind,
    format: req.format,
    scope,
    scopeName,
    from: req.from,
    to: req.to,
    state: 'running',
    createdAt: now.toISOString(),
    createdBy: session.userId,
    attempt: 1,
    fileKey: `exports/${id}/export.${req.format}`,
  };
  const audit = auditEntry(
    {
      actor,
      action: 'export.create',
      target: { kind: 'export', id, name: `${EXPORT_KIND_LABELS[req.kind]}（${scopeName}）` },
      scope,
      after: { kind: req.kind, format: req.format, scope, from: req.from, to: req.to },
    },
    now,
    `export-${id}`,
  );
  if (!(await createExportJob(record, audit))) {
    const raced = (await getExportJob(id))!;
    if (!same(raced)) throw new AppError('IDEMPOTENCY_KEY_REUSED', '该请求编号已用于另一次导出，请刷新后重试');
    return view(raced);
  }
  return view(record, 0);
}

async function readable(session: Session, id: string): Promise<ExportJobRecord> {
  const r = /^[0-9a-f]{26}$/.test(id) ? await getExportJob(id) : undefined;
  if (!r || !canAccess(session.grants, EXPORT_ROLES, r.scope)) throw notFound('导出任务');
  return r;
}

export async function getExportView(session: Session, id: string): Promise<ExportJobView> {
  return view(await readable(session, id));
}

/** GET /v1/exports: the exports of the caller's scope, newest first (20 a page). */
export async function listExportViews(session: Session, cursor: string | undefined): Promise<Page<ExportJobView>> {
  if (!session.grants.some((g) => (EXPORT_ROLES as readonly string[]).includes(g.role))) throw forbidden();
  const page = await listExportJobs(cursor, 20);
  const mine = page.items.filter((r) => canAccess(session.grants, EXPORT_ROLES, r.scope));
  return { items: await Promise.all(mine.map((r) => view(r))), ...(page.cursor ? { cursor: page.cursor } : {}) };
}

/** POST /v1/exports/{id}/retry: run a failed export again. */
export async function retryExportFor(session: Session, id: string): Promise<ExportJobView> {
  const r = await readable(session, id);
  if (r.state !== 'failed') return view(r);
  if (!(await retryExportJob(id))) throw new AppError('CONFLICT', '任务状态已变化，请刷新后重试');
  return view((await getExportJob(id))!);
}

/** A period's bounds as instants: from 00:00 of `from` to the end of `to`, China time. */
const startOf = (date: string) => new Date(`${date}T00:00:00+08:00`).toISOString();
const endOf = (date: string) => new Date(Date.parse(`${date}T00:00:00+08:00`) + 86400000 - 1).toISOString();

function rowsOf(r: ExportJobRecord): AsyncGenerator<unknown[]> {
  const from = startOf(r.from);
  const to = endOf(r.to);
  switch (r.kind) {
    case 'ratings':
      return ratingsForExport(r.scope, from, to);
    case 'cases':
      return casesForExport(r.scope, from, to);
    case 'visits':
      return visitsForExport(r.scope, from, to);
    case 'invitations':
      return invitationsForExport(r.scope, from, to);
  }
}

/** A CSV cell: quoted when needed; a leading = + - @ is neutralised so a spreadsheet never runs it as a formula. */
export function csvCell(v: Cell): string {
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s) && typeof v === 'string') s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Guard for xlsx text cells likewise. */
const xlsxCell = (v: Cell): Cell => (typeof v === 'string' && /^[=+\-@]/.test(v) ? `'${v}` : v);

/**
 * The export worker (woken by the job record's stream INSERT, or a retry's MODIFY). Streams the rows page by page into
 * a temporary file (CSV with a UTF-8 BOM, or xlsx streamed through ./xlsx's writer), then uploads the file as a
 * stream: memory stays flat whatever the number of rows. Running it twice writes the same file again.
 */
export async function runExportJob(id: string): Promise<ExportJobRecord['state']> {
  const r = await getExportJob(id);
  if (!r || r.state !== 'running') return r?.state ?? 'failed';
  const dir = await mkdtemp(join(tmpdir(), 'export-'));
  const path = join(dir, `export.${r.format}`);
  try {
    const columns = EXPORT_COLUMNS[r.kind] as Column<unknown>[];
    let rows = 0;
    let reported = 0;
    const progress = async () => {
      if (rows - reported >= PROGRESS_EVERY) {
        reported = rows;
        await setExportProgress(id, rows);
      }
    };
    if (r.format === 'csv') {
      const out = createWriteStream(path, { encoding: 'utf8' });
      const write = (line: string) =>
        new Promise<void>((resolve, reject) => {
          out.write(line, (e) => (e ? reject(e) : resolve()));
        });
      await write('\uFEFF' + columns.map((c) => csvCell(c.header)).join(',') + '\r\n');
      for await (const page of rowsOf(r)) {
        if (page.length === 0) continue;
        await write(page.map((row) => columns.map((c) => csvCell(c.value(row))).join(',') + '\r\n').join(''));
        rows += page.length;
        await progress();
      }
      await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    } else {
      const file = createWriteStream(path);
      let failed: Error | undefined;
      file.on('error', (e) => (failed = e));
      const sink: ByteSink = {
        write: (chunk) => void file.write(chunk),
        ready: () =>
          failed
            ? Promise.reject(failed)
            : file.writableNeedDrain
              ? new Promise<void>((resolve, reject) => {
                  file.once('drain', resolve);
                  file.once('error', reject);
                })
              : Promise.resolve(),
        end: () => new Promise<void>((resolve, reject) => file.end((e?: Error | null) => (e ? reject(e) : resolve()))),
      };
      async function* sheetRows(job: ExportJobRecord) {
        yield columns.map((c) => c.header);
        for await (const page of rowsOf(job)) {
          for (const row of page) yield columns.map((c) => xlsxCell(c.value(row)));
          rows += page.length;
          await progress();
        }
      }
      await writeXlsx(sink, [
        {
          name: EXPORT_KIND_LABELS[r.kind],
          widths: columns.map((c) => Math.max(10, c.header.length * 2 + 2)),
          boldHeader: true,
          rows: sheetRows(r),
        },
      ]);
    }
    const type =
      r.format === 'csv'
        ? 'text/csv; charset=utf-8'
        : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    const stored = await putFile(r.fileKey, path, type);
    await setExportProgress(id, rows);
    await finishExportJob(id, 'done', { rows, bytes: stored.size, finishedAt: new Date().toISOString() });
    return 'done';
  } catch (e) {
    await finishExportJob(id, 'failed', { failure: '导出过程中出错，可点击“重试”重新导出' }).catch(() => undefined);
    throw e;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
