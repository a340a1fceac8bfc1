import {
  canAccess,
  CreditCode,
  DEPARTMENT_LEVELS,
  IMPORT_STATE_LABELS,
  ImportUpload,
  RegistryId,
  WINDOW_KINDS,
  type ImportKind,
  type ImportRowError,
  type ImportView,
  type Page,
} from '@mashang/shared';
import * as z from 'zod/mini';
import { ulid } from 'ulid';
import { config } from '../config';
import {
  activateRows,
  createImport,
  creditCodeOwners,
  existing,
  finishImport,
  getImport,
  getImportProgress,
  listImports,
  listRegions,
  namesUnder,
  requestCommit,
  setImportProgress,
  stageRows,
  type ImportRecord,
  type StagedRow,
} from '../data/imports';
import { getDepartment, type DepartmentItem } from '../data/registry';
import { getObjectBytes, putObject } from '../gateways/storage';
import { encryptPii } from '../lib/crypto';
import { AppError, forbidden, notFound } from '../lib/errors';
import type { Session } from '../lib/session';
import { actorOf, auditEntry } from './audit';
import { newCodeId, signCode } from './code-signing';
import { parseImportFile, type FileRow } from './import-file';

const MAX_ERRORS_STORED = 200;
const Name = z.string().check(z.trim(), z.minLength(2), z.maxLength(60));

interface Plan {
  rows: StagedRow[];
  errors: ImportRowError[];
  counts: Record<ImportKind, number>;
}

/**
 * Validate every row of a file (types, credit codes, departments that exist or are in the same file, duplicates
 * in the file and against the registry, the operator's scope) and build the items a commit would write. Rows this
 * same import already staged (a resumed commit) are not conflicts.
 */
async function plan(session: Session, rows: FileRow[], importId: string, now: Date): Promise<Plan> {
  const errors: ImportRowError[] = [];
  const err = (r: FileRow, message: string, field?: string) =>
    errors.push({
      sheet: r.sheet,
      row: r.row,
      externalId: r.values.id || undefined,
      ...(field ? { field } : {}),
      message,
    });
  const regions = await listRegions();
  const regionOf = (v: string) =>
    regions.find((x) => x.id === v || x.name === v || x.name.replace(/回族自治县$/, '县') === v);
  const counts: Record<ImportKind, number> = { departments: 0, windows: 0, enterprises: 0 };
  const out: StagedRow[] = [];
  const secret = config().CODE_SECRET;
  const at = now.toISOString();

  const check = <T>(r: FileRow, schema: z.ZodMiniType<T>, field: string, label: string): T | undefined => {
    const p = schema.safeParse(r.values[field]);
    if (p.success) return p.data;
    err(
      r,
      `${label}：${p.error.issues[0]?.message && /[\u4e00-\u9fa5]/.test(p.error.issues[0].message) ? p.error.issues[0].message : '格式不正确'}`,
      field,
    );
    return undefined;
  };

  const byKind = (k: ImportKind) => rows.filter((r) => r.kind === k);
  const seen = (label: string) => {
    const m = new Map<string, FileRow>();
    return (r: FileRow, key: string, field: string) => {
      const first = m.get(key);
      if (first) {
        err(r, `${label}与第 ${first.row} 行重复`, field);
        return true;
      }
      m.set(key, r);
      return false;
    };
  };

  // Existing ids, in bulk (BatchGetItem).
  const ids = (k: ImportKind) =>
    byKind(k)
      .map((r) => r.values.id)
      .filter((v) => RegistryId.safeParse(v).success);
  const [deptIds, winIds, entIds] = await Promise.all([
    existing('department', ids('departments')),
    existing('window', ids('windows')),
    existing('enterprise', ids('enterprises')),
  ]);
  const taken = (m: Map<string, { importId?: string }>, id: string) => m.has(id) && m.get(id)!.importId !== importId;

  // Departments.
  const fileDepts = new Map<string, { id: string; name: string; regionId: string; regionName: string; path: string }>();
  const deptIdSeen = seen('部门编号');
  const deptNameSeen = seen('部门名称');
  const regionNames = new Map<string, Map<string, string>>();
  for (const r of byKind('departments')) {
    const id = check(r, RegistryId, 'id', '部门编号');
    const name = check(r, Name, 'name', '部门名称');
    const level = check(r, z.enum(DEPARTMENT_LEVELS, { error: '层级须为 州、县、乡 或 村' }), 'level', '层级');
    const region = regionOf(r.values.region ?? '');
    if (!region) err(r, `区县“${r.values.region ?? ''}”不存在`, 'region');
    if (!id || !name || !level || !region) continue;
    if (deptIdSeen(r, id, 'id')) continue;
    if (deptNameSeen(r, `${region.id}|${name}`, 'name')) continue;
    if (taken(deptIds, id)) {
      err(r, `部门编号 ${id} 已存在`, 'id');
      continue;
    }
    if (!regionNames.has(region.id)) regionNames.set(region.id, await namesUnder('departments', region.path));
    const holder = regionNames.get(region.id)!.get(name);
    if (holder && holder !== id) {
      err(r, `该区县已有同名部门“${name}”`, 'name');
      continue;
    }
    const path = `${region.path}/${id}`;
    if (!canAccess(session.grants, ['operator'], path)) {
      err(r, '超出您的管理范围', 'region');
      continue;
    }
    fileDepts.set(id, { id, name, regionId: region.id, regionName: region.name, path });
    out.push({ kind: 'department', item: { id, name, level, regionId: region.id, regionName: region.name, path } });
    counts.departments++;
  }

  // Windows.
  const winIdSeen = seen('窗口编号');
  const winNameSeen = seen('窗口名称');
  const registryDepts = new Map<string, (DepartmentItem & { status?: string }) | undefined>();
  const deptNames = new Map<string, Map<string, string>>();
  for (const r of byKind('windows')) {
    const id = check(r, RegistryId, 'id', '窗口编号');
    const name = check(r, Name, 'name', '窗口名称');
    const kind = check(r, z.enum(WINDOW_KINDS, { error: '类型须为 审批科室 或 服务窗口' }), 'kind', '类型');
    const deptId = r.values.departmentId ?? '';
    let dept: { id: string; name: string; regionId: string; regionName: string; path: string } | undefined =
      fileDepts.get(deptId);
    if (!dept && deptId) {
      if (!registryDepts.has(deptId)) registryDepts.set(deptId, await getDepartment(deptId));
      const d = registryDepts.get(deptId);
      if (d && d.status !== 'retired') dept = d;
    }
    if (!dept)
      err(r, deptId ? `部门编号 ${deptId} 不存在（系统中和本文件中都没有）` : '请填写部门编号', 'departmentId');
    if (!id || !name || !kind || !dept) continue;
    if (winIdSeen(r, id, 'id')) continue;
    if (winNameSeen(r, `${dept.id}|${name}`, 'name')) continue;
    if (taken(winIds, id)) {
      err(r, `窗口编号 ${id} 已存在`, 'id');
      continue;
    }
    if (!fileDepts.has(dept.id)) {
      if (!deptNames.has(dept.id)) deptNames.set(dept.id, await namesUnder('windows', dept.path));
      const holder = deptNames.get(dept.id)!.get(name);
      if (holder && holder !== id) {
        err(r, `该部门已有同名窗口“${name}”`, 'name');
        continue;
      }
    }
    const path = `${dept.path}/${id}`;
    if (!canAccess(session.grants, ['operator'], path)) {
      err(r, '超出您的管理范围', 'departmentId');
      continue;
    }
    const codeId = newCodeId('window');
    out.push({
      kind: 'window',
      item: {
        id,
        name,
        kind,
        department: { id: dept.id, name: dept.name },
        county: { id: dept.regionId, name: dept.regionName },
        path,
        codeId,
        code: signCode(secret, codeId),
      },
      code: { codeId, kind: 'window', targetId: id, status: 'active', issuedAt: at },
    });
    counts.windows++;
  }

  // Enterprises.
  const entIdSeen = seen('企业编号');
  const creditSeen = seen('统一社会信用代码');
  const entRows = byKind('enterprises');
  const owners = await creditCodeOwners(
    entRows.map((r) => (r.values.creditCode ?? '').toUpperCase()).filter((c) => CreditCode.safeParse(c).success),
  );
  for (const r of entRows) {
    const id = check(r, RegistryId, 'id', '企业编号');
    const name = check(r, Name, 'name', '企业名称');
    const creditCode = check(r, CreditCode, 'creditCode', '统一社会信用代码');
    const region = regionOf(r.values.region ?? '');
    if (!region || region.id === 'zhou') err(r, `区县“${r.values.region ?? ''}”不存在`, 'region');
    const phone = r.values.contactPhone
      ? check(r, z.string().check(z.regex(/^1[3-9]\d{9}$/, '须为 11 位手机号')), 'contactPhone', '联系电话')
      : undefined;
    if (!id || !name || !creditCode || !region || region.id === 'zhou' || (r.values.contactPhone && !phone)) continue;
    if (entIdSeen(r, id, 'id')) continue;
    if (creditSeen(r, creditCode, 'creditCode')) continue;
    if (taken(entIds, id)) {
      err(r, `企业编号 ${id} 已存在`, 'id');
      continue;
    }
    const owner = owners.get(creditCode);
    if (owner && owner !== id) {
      err(r, `统一社会信用代码 ${creditCode} 已登记`, 'creditCode');
      continue;
    }
    const path = `${region.path}/${id}`;
    if (!canAccess(session.grants, ['operator'], path)) {
      err(r, '超出您的管理范围', 'region');
      continue;
    }
    const codeId = newCodeId('enterprise');
    out.push({
      kind: 'enterprise',
      item: {
        id,
        name,
        creditCode,
        county: { id: region.id, name: region.name },
        path,
        codeId,
        code: signCode(secret, codeId),
        ...(r.values.contactName ? { contactName: r.values.contactName } : {}),
        ...(phone ? { contactPhone: encryptPii(phone) } : {}),
      },
      code: { codeId, kind: 'enterprise', targetId: id, status: 'active', issuedAt: at },
    });
    counts.enterprises++;
  }
  errors.sort((a, b) => (a.sheet === b.sheet ? a.row - b.row : a.sheet.localeCompare(b.sheet)));
  return { rows: out, errors, counts };
}

function view(r: ImportRecord, progress: { done: number; total: number }): ImportView {
  return {
    id: r.id,
    fileName: r.fileName,
    state: r.state,
    stateLabel: IMPORT_STATE_LABELS[r.state],
    counts: r.counts,
    errorCount: r.errorCount,
    errors: r.errors,
    progress,
    createdAt: r.createdAt,
    createdBy: r.createdBy,
    ...(r.committedAt ? { committedAt: r.committedAt } : {}),
    ...(r.failure ? { failure: r.failure } : {}),
  };
}

const operatorScope = (session: Session) => {
  const g = session.grants.filter((x) => x.role === 'operator').sort((a, b) => a.scope.length - b.scope.length)[0];
  if (!g) throw forbidden();
  return g.scope;
};

/** POST /v1/imports: the dry run. The file and its report are stored; nothing in the registry changes. */
export async function dryRunImport(session: Session, input: ImportUpload, now: Date): Promise<ImportView> {
  const scope = operatorScope(session);
  const data = Buffer.from(input.contentBase64, 'base64');
  if (data.length === 0)
    throw new AppError('VALIDATION_FAILED', '文件为空', [{ path: 'contentBase64', message: '文件为空' }]);
  const id = ulid(now.getTime()).toLowerCase();
  const parsed = await parseImportFile(input.fileName, data, input.kind);
  const p = parsed.errors.length
    ? { rows: [], errors: parsed.errors, counts: { departments: 0, windows: 0, enterprises: 0 } }
    : await plan(session, parsed.rows, id, now);
  if (!parsed.errors.length && parsed.rows.length === 0)
    p.errors.push({ sheet: input.fileName, row: 2, message: '文件中没有数据行' });
  const fileKey = `imports/${id}/${input.fileName.replace(/[^\w.\u4e00-\u9fa5-]/g, '_')}`;
  await putObject(
    fileKey,
    data,
    /\.csv$/i.test(input.fileName) ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  );
  const record: ImportRecord = {
    id,
    fileName: input.fileName,
    fileKey,
    ...(input.kind ? { kind: input.kind } : {}),
    state: p.errors.length ? 'invalid' : 'validated',
    scope,
    counts: p.counts,
    errorCount: p.errors.length,
    errors: p.errors.slice(0, MAX_ERRORS_STORED),
    createdAt: now.toISOString(),
    createdBy: session.userId,
    attempt: 0,
  };
  if (p.errors.length > MAX_ERRORS_STORED) {
    record.reportKey = `imports/${id}/errors.csv`;
    await putObject(record.reportKey, errorCsv(p.errors), 'text/csv; charset=utf-8');
  }
  const audit = auditEntry(
    {
      actor: actorOf(session, ['operator'], scope),
      action: 'import.validate',
      target: { kind: 'import', id, name: input.fileName },
      scope,
      after: { state: record.state, counts: record.counts, errorCount: record.errorCount },
    },
    now,
  );
  await createImport(record, audit);
  return view(record, { done: 0, total: 0 });
}

async function readable(session: Session, id: string): Promise<ImportRecord> {
  const r = await getImport(id);
  if (!r || !canAccess(session.grants, ['operator'], r.scope)) throw notFound('导入记录');
  return r;
}

export async function getImportView(session: Session, id: string): Promise<ImportView> {
  const r = await readable(session, id);
  return view(r, await getImportProgress(id));
}

export async function listImportViews(session: Session, cursor: string | undefined): Promise<Page<ImportView>> {
  operatorScope(session);
  const page = await listImports(cursor, 20);
  return {
    items: page.items
      .filter((r) => canAccess(session.grants, ['operator'], r.scope))
      .map((r) => view(r, { done: 0, total: 0 })),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  };
}

export function errorCsv(errors: ImportRowError[]): Buffer {
  const q = (x: string | number | undefined) => {
    const s = String(x ?? '');
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [
    ['工作表', '行号', '编号', '字段', '错误'].join(','),
    ...errors.map((e) => [e.sheet, e.row, e.externalId, e.field, e.message].map(q).join(',')),
  ];
  return Buffer.from(`\uFEFF${lines.join('\n')}\n`, 'utf8');
}

/** GET /v1/imports/{id}/errors.csv: the whole per-row report. */
export async function importErrorReport(session: Session, id: string): Promise<Buffer> {
  const r = await readable(session, id);
  if (r.reportKey) return (await getObjectBytes(r.reportKey)) ?? errorCsv(r.errors);
  return errorCsv(r.errors);
}

/** POST /v1/imports/{id}/commit: ask the worker to apply the rows (again, to resume). Answers at once. */
export async function commitImport(session: Session, id: string, now: Date): Promise<ImportView> {
  const r = await readable(session, id);
  actorOf(session, ['operator'], r.scope);
  if (r.state === 'done') return view(r, await getImportProgress(id));
  if (r.state === 'invalid') throw new AppError('CONFLICT', '预检未通过，请修正文件后重新上传预检');
  if (!(await requestCommit(id, now.toISOString()))) throw new AppError('CONFLICT', '导入状态已变化，请刷新后重试');
  return view((await getImport(id))!, await getImportProgress(id));
}

const STAGE_CHUNK = 30;
const ACTIVATE_CHUNK = 90;

/**
 * The commit worker (woken by the import record's stream change): re-reads the file, re-validates it against the
 * registry as it is now, stages every row, then activates them, recording progress. Running it twice, or after a
 * crash, does no work twice (rows staged by this import are recognised).
 */
export async function runImportCommit(id: string, now: Date = new Date()): Promise<ImportRecord['state']> {
  const r = await getImport(id);
  if (!r || r.state !== 'committing') return r?.state ?? 'failed';
  const fail = async (failure: string, errors: ImportRowError[] = []) => {
    await finishImport(id, 'failed', {
      failure,
      ...(errors.length ? { errors: errors.slice(0, MAX_ERRORS_STORED), errorCount: errors.length } : {}),
    });
    return 'failed' as const;
  };
  try {
    const data = await getObjectBytes(r.fileKey);
    if (!data) return fail('导入文件已不存在，请重新上传');
    const parsed = await parseImportFile(r.fileName, data, r.kind);
    // The import acts with the operator's grant that created it.
    const session: Session = { userId: r.createdBy, grants: [{ role: 'operator', scope: r.scope }] };
    const p = await plan(session, parsed.rows, id, now);
    if (parsed.errors.length || p.errors.length)
      return fail('提交时校验未通过（登记信息已被他人修改），未导入任何数据', [...parsed.errors, ...p.errors]);
    // Codes must be stable across runs: rows staged by an earlier run keep their codes.
    const total = p.rows.length;
    let done = 0;
    await setImportProgress(id, 0, total * 2);
    // Departments first, so windows never point at a department that is not there.
    const ordered = [
      ...p.rows.filter((x) => x.kind === 'department'),
      ...p.rows.filter((x) => x.kind !== 'department'),
    ];
    for (let i = 0; i < ordered.length; i += STAGE_CHUNK) {
      const conflicts = await stageRows(ordered.slice(i, i + STAGE_CHUNK), id);
      if (conflicts.length) return fail(`编号或信用代码已被占用：${conflicts.slice(0, 10).join('、')}，未导入任何数据`);
      done += Math.min(STAGE_CHUNK, ordered.length - i);
      await setImportProgress(id, done, total * 2);
    }
    for (let i = 0; i < ordered.length; i += ACTIVATE_CHUNK) {
      await activateRows(ordered.slice(i, i + ACTIVATE_CHUNK), id);
      done += Math.min(ACTIVATE_CHUNK, ordered.length - i);
      await setImportProgress(id, done, total * 2);
    }
    const committedAt = new Date().toISOString();
    const audit = auditEntry(
      {
        actor: { userId: r.createdBy, role: 'operator', scope: r.scope },
        action: 'import.commit',
        target: { kind: 'import', id, name: r.fileName },
        scope: r.scope,
        after: { counts: p.counts },
      },
      new Date(r.commitRequestedAt ?? committedAt),
      `commit-${id}`,
    );
    await finishImport(id, 'done', { committedAt, counts: p.counts }, audit);
    return 'done';
  } catch (e) {
    await fail('提交过程中出错，可再次点击“提交”从中断处继续').catch(() => undefined);
    throw e;
  }
}
