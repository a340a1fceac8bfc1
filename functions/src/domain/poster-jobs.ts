import {
  canAccess,
  PREFECTURE_ID,
  POSTER_JOB_STATE_LABELS,
  type Page,
  type PosterJobRequest,
  type PosterJobView,
} from '@mashang/shared';
import { createHash } from 'node:crypto';
import { zipSync } from 'fflate';
import {
  createPosterJob,
  departmentsUnder,
  finishPosterJob,
  getPosterJob,
  getPosterProgress,
  listPosterJobs,
  retryPosterJob,
  setPosterProgress,
  windowsOfDepartment,
  type PosterJobRecord,
} from '../data/poster-jobs';
import { getDepartment, getRegion } from '../data/registry';
import { downloadUrl, getObjectBytes, headObject, putObject } from '../gateways/storage';
import { AppError, forbidden, notFound } from '../lib/errors';
import type { Session } from '../lib/session';
import { actorOf, auditEntry } from './audit';
import { renderPosters } from './poster-pdf';
import { codeLink } from './registry-admin';

/** Department PDFs are rendered this many at a time: the font is parsed once per PDF, the CPU is the limit. */
const RENDER_CONCURRENCY = 2;
const LINK_SECONDS = 3600;

/**
 * The job's id: derived from the caller and the request id, so a retried POST finds the job it already created
 * (and never starts a second one).
 */
const jobIdOf = (userId: string, requestId: string) =>
  createHash('sha256').update(`${userId}\n${requestId}`).digest('hex').slice(0, 26);

async function scopeOf(session: Session, req: PosterJobRequest): Promise<{ path: string; name: string }> {
  if (req.departmentId) {
    const d = (await getDepartment(req.departmentId)) as { path: string; name: string; status?: string } | undefined;
    if (!d || d.status === 'staged' || !canAccess(session.grants, ['operator'], d.path)) throw notFound('部门');
    if (d.status === 'retired') throw new AppError('CONFLICT', '部门已停用，不能生成海报');
    return { path: d.path, name: d.name };
  }
  if (req.countyId) {
    const r = await getRegion(req.countyId);
    if (!r || !canAccess(session.grants, ['operator'], r.path)) throw notFound('区县');
    return { path: r.path, name: r.name };
  }
  if (!canAccess(session.grants, ['operator'], PREFECTURE_ID)) throw forbidden();
  return { path: PREFECTURE_ID, name: '海北州' };
}

async function view(r: PosterJobRecord, progress?: { done: number; total: number }): Promise<PosterJobView> {
  return {
    id: r.id,
    scopeName: r.scopeName,
    state: r.state,
    stateLabel: POSTER_JOB_STATE_LABELS[r.state],
    progress: progress ?? (await getPosterProgress(r.id)),
    ...(r.windows !== undefined ? { windows: r.windows } : {}),
    ...(r.bytes !== undefined ? { bytes: r.bytes } : {}),
    createdAt: r.createdAt,
    createdBy: r.createdBy,
    ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}),
    ...(r.failure ? { failure: r.failure } : {}),
    ...(r.state === 'done'
      ? await downloadUrl(r.zipKey, {
          filename: `监督码海报-${r.scopeName}.zip`,
          expiresInSeconds: LINK_SECONDS,
        })
      : {}),
  };
}

/**
 * POST /v1/poster-jobs: start a job for every window of a department, a county or the prefecture. Answers at
 * once (202); the stream worker renders. The same request id answers the same job.
 */
export async function startPosterJob(session: Session, req: PosterJobRequest, now: Date): Promise<PosterJobView> {
  const scope = await scopeOf(session, req);
  const actor = actorOf(session, ['operator'], scope.path);
  const id = jobIdOf(session.userId, req.requestId);
  const existing = await getPosterJob(id);
  if (existing) return view(existing);
  const record: PosterJobRecord = {
    id,
    scope: scope.path,
    scopeName: scope.name,
    state: 'running',
    createdAt: now.toISOString(),
    createdBy: session.userId,
    attempt: 1,
    zipKey: `posters/jobs/${id}/posters.zip`,
  };
  const audit = auditEntry(
    {
      actor,
      action: 'poster.generate',
      target: { kind: 'poster', id, name: scope.name },
      scope: scope.path,
      after: { scope: scope.path },
    },
    now,
    `poster-job-${id}`,
  );
  if (!(await createPosterJob(record, audit))) return view((await getPosterJob(id))!);
  return view(record, { done: 0, total: 0 });
}

async function readable(session: Session, id: string): Promise<PosterJobRecord> {
  const r = /^[0-9a-f]{26}$/.test(id) ? await getPosterJob(id) : undefined;
  if (!r || !canAccess(session.grants, ['operator'], r.scope)) throw notFound('海报任务');
  return r;
}

export async function getPosterJobView(session: Session, id: string): Promise<PosterJobView> {
  return view(await readable(session, id));
}

export async function listPosterJobViews(session: Session, cursor: string | undefined): Promise<Page<PosterJobView>> {
  if (!session.grants.some((g) => g.role === 'operator')) throw forbidden();
  const page = await listPosterJobs(cursor, 20);
  const mine = page.items.filter((r) => canAccess(session.grants, ['operator'], r.scope));
  return {
    items: await Promise.all(mine.map((r) => view(r))),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  };
}

/** POST /v1/poster-jobs/{id}/retry: run a failed job again; what it already rendered is kept. */
export async function retryPosterJobFor(session: Session, id: string): Promise<PosterJobView> {
  const r = await readable(session, id);
  actorOf(session, ['operator'], r.scope);
  if (r.state !== 'failed') return view(r);
  if (!(await retryPosterJob(id))) throw new AppError('CONFLICT', '任务状态已变化，请刷新后重试');
  return view((await getPosterJob(id))!);
}

const safeName = (s: string) => s.replace(/[\\/:*?"<>|\s]+/g, '_');

/**
 * The job worker (woken by the record's stream INSERT, or a retry's MODIFY). Renders one PDF per department into
 * `posters/jobs/<id>/<department>.pdf`, skipping the ones an earlier (or concurrent) run already stored, then zips
 * them. Running it twice, or after a crash, renders nothing twice and gives the same zip.
 */
export async function runPosterJob(id: string): Promise<PosterJobRecord['state']> {
  const r = await getPosterJob(id);
  if (!r || r.state !== 'running') return r?.state ?? 'failed';
  try {
    const depts = (await departmentsUnder(r.scope)).sort((a, b) => a.path.localeCompare(b.path));
    let done = 0;
    let windows = 0;
    await setPosterProgress(id, 0, depts.length);
    const parts: { name: string; key: string }[] = [];
    const queue = depts.map((d, i) => ({ d, i }));
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const { d, i } = next;
        const key = `posters/jobs/${id}/${String(i + 1).padStart(4, '0')}-${d.id}.pdf`;
        const ws = await windowsOfDepartment(d.path);
        windows += ws.length;
        if (ws.length) {
          parts[i] = {
            name: `${String(i + 1).padStart(3, '0')}-${safeName(d.regionName)}-${safeName(d.name)}.pdf`,
            key,
          };
          if (!(await headObject(key))) {
            const pdf = await renderPosters(
              ws.map((w) => ({ name: w.name, department: d.name, county: w.county.name, link: codeLink(w.code) })),
            );
            await putObject(key, pdf, 'application/pdf');
          }
        }
        done++;
        await setPosterProgress(id, done, depts.length);
      }
    };
    await Promise.all(Array.from({ length: RENDER_CONCURRENCY }, worker));
    // Concurrent workers' progress puts can land out of order (1 after 2): the last word is the full count.
    await setPosterProgress(id, depts.length, depts.length);
    // PDFs are compressed already: stored, not deflated again.
    const files: Record<string, [Uint8Array, { level: 0 }]> = {};
    for (const p of parts.filter(Boolean)) {
      const bytes = await getObjectBytes(p.key);
      if (!bytes) throw new Error(`poster part missing: ${p.key}`);
      files[p.name] = [bytes, { level: 0 }];
    }
    const zip = zipSync(files);
    await putObject(r.zipKey, zip, 'application/zip');
    await finishPosterJob(id, 'done', { windows, bytes: zip.byteLength, finishedAt: new Date().toISOString() });
    return 'done';
  } catch (e) {
    await finishPosterJob(id, 'failed', { failure: '生成过程中出错，可点击“重试”从中断处继续' }).catch(() => undefined);
    throw e;
  }
}
