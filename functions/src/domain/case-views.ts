import {
  availableActions,
  CASE_LIST_BUCKETS,
  CASE_STATUS_LABELS,
  isOfficial,
  scopeContains,
  TIMELINE_LABELS,
  type Actor,
  type AlertView,
  type CaseDetailView,
  type CaseView,
} from '@mashang/shared';
import { z } from 'zod';
import { listCasesInBucket, loadCase, type CaseItem } from '../data/cases';
import { forbidden, notFound } from '../lib/errors';
import { decryptPii, maskPhone } from '../lib/crypto';
import type { Session } from '../lib/session';
import { parseWith } from '../lib/validate';
import { actorsOn } from './case-actions';
import { letterPdfPath } from './case-rules';

/** What anyone allowed to see a case sees of it: never who filed it. */
function publicCase(c: CaseItem): CaseView {
  return { ...c, statusLabel: CASE_STATUS_LABELS[c.status] };
}

/**
 * The filer's contact, by role (README "Who sees what"): a rater's phone in full to the department handler and
 * the inspectors, who must call back; a complainant's name and phone only to the inspectors; masked for others.
 */
function contactFor(actors: Actor[], c: CaseItem, owner?: { phone?: string; name?: string }) {
  if (!owner?.phone) return undefined;
  const phone = decryptPii(owner.phone);
  const mayCall =
    c.source === 'complaint'
      ? actors.includes('inspector')
      : actors.includes('inspector') || actors.includes('handler');
  if (mayCall) return { phone, ...(c.source === 'complaint' && owner.name ? { name: decryptPii(owner.name) } : {}) };
  if (actors.includes('owner')) return { phone: maskPhone(phone) };
  if (c.source === 'complaint') return undefined;
  return { phone: maskPhone(phone) };
}

export async function getCaseView(
  session: Session,
  id: string,
): Promise<CaseDetailView & { contact?: { phone: string; name?: string } }> {
  const bundle = await loadCase(id);
  if (!bundle.case) throw notFound('督办件');
  const actors = actorsOn(session, bundle);
  if (actors.length === 0) throw notFound('督办件');
  const c = bundle.case;
  const official = actors.some((a) => a !== 'owner');
  return {
    case: publicCase(c),
    ...(official || actors.includes('owner') ? { contact: contactFor(actors, c, bundle.owner) } : {}),
    timeline: bundle.timeline
      .sort((a, b) => (a.at === b.at ? a.seq.localeCompare(b.seq) : a.at.localeCompare(b.at)))
      .map((t) => ({
        action: t.action,
        label: TIMELINE_LABELS[t.action] ?? t.action,
        at: t.at,
        actor: official ? t.actor : { role: t.actor.role === 'owner' ? 'owner' : t.actor.role },
        note: t.note,
        data: t.data,
      })),
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
    availableActions: availableActions(c, actors),
  };
}

const ListQuery = z.strictObject({
  status: z.enum(CASE_LIST_BUCKETS, { error: '状态须为 open、overdue 或 closed' }).default('open'),
  scope: z
    .string()
    .regex(/^haibei(\/[A-Za-z0-9-]+){0,3}$/, '范围格式不正确')
    .optional(),
  cursor: z.string().max(1024).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

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
  const page = await listCasesInBucket(scope, q.status, q.cursor, q.limit);
  return { items: page.items.map(publicCase), ...(page.cursor ? { cursor: page.cursor } : {}) };
}
