import {
  AUDIT_ACTION_LABELS,
  dayjs,
  PREFECTURE_ID,
  scopeContains,
  TZ,
  type AuditAction,
  type AuditActor,
  type AuditEntry,
  type AuditEntryView,
  type AuditQuery,
  type Page,
  type Role,
} from '@mashang/shared';
import { ulid } from 'ulid';
import { listAudit, putAudit } from '../data/audit';
import { AppError, forbidden } from '../lib/errors';
import type { Session } from '../lib/session';

export interface AuditInput {
  actor: AuditActor;
  action: AuditAction;
  target: AuditEntry['target'];
  /** The target's scope path (a window's path, a county's path, `haibei` for prefecture-wide things). */
  scope: string;
  before?: unknown;
  after?: unknown;
  reason?: string;
}

/**
 * Build an entry without writing it: for use cases that write it in their own transaction with `auditPut`
 * (data/audit), so the action and its entry are stored together or not at all. A fixed `id` (e.g. derived from
 * the request id) makes a retried transaction write the same entry, which the conditional put refuses.
 */
export function auditEntry(input: AuditInput, now: Date, id: string = ulid(now.getTime())): AuditEntry {
  return {
    id,
    at: now.toISOString(),
    actor: input.actor,
    action: input.action,
    target: input.target,
    scope: input.scope,
    ...(input.before !== undefined ? { before: input.before } : {}),
    ...(input.after !== undefined ? { after: input.after } : {}),
    ...(input.reason ? { reason: input.reason } : {}),
  };
}

/** Append an audit entry on its own (when the action itself is not a DynamoDB write, e.g. a PDF download). */
export async function recordAudit(input: AuditInput, now: Date = new Date(), id?: string): Promise<AuditEntry> {
  const e = auditEntry(input, now, id);
  await putAudit(e);
  return e;
}

/**
 * The actor of an action: the caller with the grant that allowed it (the narrowest of `roles` covering `path`),
 * so the trail says in which capacity someone acted.
 */
export function actorOf(session: Session, roles: readonly Role[], path: string): AuditActor {
  const g = session.grants
    .filter((x) => roles.includes(x.role) && scopeContains(x.scope, path))
    .sort((a, b) => b.scope.length - a.scope.length)[0];
  if (!g) throw forbidden();
  return { userId: session.userId, role: g.role, scope: g.scope };
}

const AUDIT_READERS: Role[] = ['inspector', 'operator'];

/** A date (YYYY-MM-DD, China time) means the whole day; an instant is taken as it is. */
function bound(v: string | undefined, end: boolean): string | undefined {
  if (!v) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    const d = dayjs.tz(v, TZ);
    return (end ? d.endOf('day') : d.startOf('day')).toISOString();
  }
  return new Date(v).toISOString();
}

/** GET /v1/audit: inspectors and operators list the trail inside their scope, newest first. */
export async function listAuditTrail(session: Session, q: AuditQuery): Promise<Page<AuditEntryView>> {
  const readable = session.grants.filter((g) => AUDIT_READERS.includes(g.role));
  if (readable.length === 0) throw forbidden();
  const scope = q.scope ?? readable.map((g) => g.scope).sort((a, b) => a.length - b.length)[0] ?? PREFECTURE_ID;
  if (!readable.some((g) => scopeContains(g.scope, scope))) throw forbidden();
  const from = bound(q.from, false);
  const to = bound(q.to, true);
  if (from && to && from > to)
    throw new AppError('VALIDATION_FAILED', '开始时间不能晚于结束时间', [
      { path: 'from', message: '开始时间不能晚于结束时间' },
    ]);
  if ((q.targetKind && !q.targetId) || (!q.targetKind && q.targetId)) {
    throw new AppError('VALIDATION_FAILED', '对象类型和对象编号须同时提供', [
      { path: q.targetKind ? 'targetId' : 'targetKind', message: '对象类型和对象编号须同时提供' },
    ]);
  }
  const page = await listAudit({
    scope,
    from,
    to,
    action: q.action,
    actor: q.actor,
    target: q.targetKind && q.targetId ? { kind: q.targetKind, id: q.targetId } : undefined,
    cursor: q.cursor,
    limit: q.limit ?? 50,
  });
  return {
    items: page.items.map((e) => ({ ...e, actionLabel: AUDIT_ACTION_LABELS[e.action] ?? e.action })),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  };
}
