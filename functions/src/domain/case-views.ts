import {
  availableActions,
  CASE_LIST_BUCKETS,
  CASE_SOURCES,
  CASE_STATUS_LABELS,
  inspectorsOnly,
  isOfficial,
  mayRevealContact,
  scopeContains,
  TIMELINE_LABELS,
  type Actor,
  type AlertView,
  type CaseDetailView,
  type CaseView,
  type PhotoRef,
} from '@mashang/shared';
import * as z from 'zod/mini';
import { listCasesInBucket, loadCase, type CaseItem } from '../data/cases';
import { AppError, forbidden, notFound } from '../lib/errors';
import type { Session } from '../lib/session';
import { parseWith } from '../lib/validate';
import { actorsOn } from './case-actions';
import { letterPdfPath } from './case-rules';
import { photoViews } from './photo-evidence';

/**
 * Who sees which photos of a case. The filer's own evidence: the inspectors; for a rating also the department's
 * handlers and operators (window staff never: a photo may show who rated); a complaint's stays with the inspectors
 * like its original text (a department reads what an inspector forwards). Photos of a rectification report: every
 * official who may see the case. The filer sees their own.
 */
function casePhotos(
  c: CaseItem,
  timeline: { action: string; data?: Record<string, unknown> }[],
  actors: readonly Actor[],
) {
  const filerMay =
    actors.includes('inspector') ||
    actors.includes('owner') ||
    (c.source !== 'complaint' && (actors.includes('handler') || actors.includes('operator')));
  const official = actors.some((a) => a !== 'owner');
  return photoViews([
    { by: 'filer', photos: filerMay ? (c.photos ?? []) : [] },
    {
      by: 'rectification',
      photos: official
        ? timeline.flatMap((t) => (t.action === 'rectification' ? ((t.data?.photos as PhotoRef[]) ?? []) : []))
        : [],
    },
  ]);
}

/**
 * What an official or the filer sees of a case: never who filed it. For a complaint, departments read the summary
 * (its category and what an inspector forwarded); the text as filed is for the inspectors (`originalText`).
 */
function publicCase(c: CaseItem): CaseView {
  // Photos leave only as expiring links in the case view, to those who may see them (casePhotos).
  const { originalText, photos, ...rest } = c;
  return { ...rest, statusLabel: CASE_STATUS_LABELS[c.status] };
}

/** Who may see this case at all: a complaint not yet forwarded is the inspectors' (and its filer's) alone. */
export function visibleTo(c: CaseItem, actors: readonly Actor[]): boolean {
  if (actors.length === 0) return false;
  if (inspectorsOnly(c)) return actors.includes('inspector') || actors.includes('owner');
  return true;
}

export async function getCaseView(session: Session, id: string): Promise<CaseDetailView> {
  const bundle = await loadCase(id);
  if (!bundle.case) throw notFound('督办件');
  const actors = actorsOn(session, bundle);
  const c = bundle.case;
  if (!visibleTo(c, actors)) throw notFound('督办件');
  const official = actors.some((a) => a !== 'owner');
  const inspector = actors.includes('inspector');
  // A complaint was the inspectors' alone until it was forwarded: others read its timeline from the forwarding on.
  const forwardedAt = c.source === 'complaint' && !inspector ? c.forwardedAt : undefined;
  const photos = await casePhotos(c, bundle.timeline, actors);
  return {
    case: publicCase(c),
    ...(inspector && c.originalText ? { originalText: c.originalText } : {}),
    // Lists and views never carry any part of the filer's contact; those allowed reveal it (audited).
    mayRevealContact: !!bundle.owner?.phone && mayRevealContact(c.source, c.callbackBy, actors),
    timeline: bundle.timeline
      .sort((a, b) => (a.at === b.at ? a.seq.localeCompare(b.seq) : a.at.localeCompare(b.at)))
      .filter((t) => !forwardedAt || t.action === 'opened' || t.at >= forwardedAt)
      .map((t) => {
        const { contentFlag, ...data } = t.data ?? {};
        return {
          action: t.action,
          label: TIMELINE_LABELS[t.action] ?? t.action,
          at: t.at,
          actor: official ? t.actor : { role: t.actor.role === 'owner' ? 'owner' : t.actor.role },
          note: t.note,
          // The content check's flag is for officials.
          data: t.data ? (official ? t.data : data) : undefined,
        };
      }),
    alerts: official
      ? bundle.alerts.map((a): AlertView => ({
          recipientRole: a.recipientRole,
          channel: a.channel,
          recipient: a.recipientMasked,
          status: a.status,
          attempts: a.attempts,
          lastError: a.lastError,
          event: a.eventKind,
          updatedAt: a.updatedAt,
        }))
      : [],
    letters: bundle.letters.map((l) => ({
      no: l.no,
      recipient: l.recipient,
      issuedAt: l.issuedAt,
      pdf: letterPdfPath(id, l.no),
    })),
    photos,
    availableActions: availableActions(c, actors),
  };
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const CASE_NUMBER_RE = /^\d{8}-[0-9A-Z]{6}$/;

const ListQuery = z.strictObject({
  status: z._default(z.enum(CASE_LIST_BUCKETS, { error: '状态须为 open、overdue 或 closed' }), 'open'),
  scope: z.optional(z.string().check(z.regex(/^haibei(\/[A-Za-z0-9-]+){0,3}$/, '范围格式不正确'))),
  cursor: z.optional(z.string().check(z.maxLength(1024))),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 20),
  source: z.optional(z.enum(CASE_SOURCES, { error: '来源须为 rating、complaint、visit 或 inspection' })),
  from: z.optional(z.string().check(z.regex(DATE_RE, '开始日期格式为 2026-11-01'))),
  to: z.optional(z.string().check(z.regex(DATE_RE, '结束日期格式为 2026-11-30'))),
  /** A case number (督办件编号), any case and surrounding spaces. */
  q: z.optional(
    z.pipe(
      z.pipe(
        z.string(),
        z.transform((v: string) => v.trim().toUpperCase()),
      ),
      z.string().check(z.regex(CASE_NUMBER_RE, '请输入完整的督办件编号，如 20261126-AB12CD')),
    ),
  ),
});

/** A China-time day's first (or last) instant as the ISO time cases are stored under. */
function chinaDayBound(date: string, end: boolean): string {
  const [y, m, d] = date.split('-').map(Number);
  const start = Date.UTC(y, m - 1, d) - 8 * 3600_000;
  return new Date(end ? start + 86_400_000 - 1 : start).toISOString();
}

/** The scope a list or statistic is read for: the requested one if the caller's roles cover it, else the caller's widest. */
export function readableScope(session: Session, requested: string | undefined, roles: readonly string[]): string {
  const grants = session.grants.filter((g) => roles.includes(g.role)).sort((a, b) => a.scope.length - b.scope.length);
  if (grants.length === 0) throw forbidden();
  if (!requested) return grants[0].scope;
  if (!grants.some((g) => scopeContains(g.scope, requested))) throw forbidden();
  return requested;
}

export async function listCaseViews(session: Session, query: unknown) {
  if (!isOfficial(session.grants)) throw forbidden();
  const q = parseWith(ListQuery, query);
  const scope = readableScope(session, q.scope, ['inspector', 'handler', 'operator']);
  if (q.from && q.to && q.from > q.to) throw new AppError('VALIDATION_FAILED', '开始日期不能晚于结束日期');
  if (q.q) {
    // Search by case number: that one case, whatever its tab, if the caller may read it as an official (the same
    // rule as opening it) and it lies in the scope read; else none.
    const bundle = await loadCase(q.q);
    const found = bundle.case;
    const hit =
      !!found &&
      actorsOn(session, bundle).some((a) => a !== 'owner') &&
      scopeContains(scope, found.path) &&
      (!q.source || found.source === q.source);
    return { items: hit ? [publicCase(found)] : [] };
  }
  const page = await listCasesInBucket(scope, q.status, q.cursor, q.limit, {
    source: q.source,
    createdFrom: q.from ? chinaDayBound(q.from, false) : undefined,
    createdTo: q.to ? chinaDayBound(q.to, true) : undefined,
  });
  return { items: page.items.map(publicCase), ...(page.cursor ? { cursor: page.cursor } : {}) };
}
