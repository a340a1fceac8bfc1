import { randomBytes } from 'node:crypto';
import { workingDeadline } from '@mashang/shared/src/calendar';
import { ancestorScopes, shanghaiDate, type Ref } from '@mashang/shared';
import { caseItem, dueMarkerItem, eventItem, gaugeUpdate, ownerItem, timelineItem, type CaseItem } from '../data/cases';
import { statUpdate } from '../data/ratings';
import { table } from '../data/client';

/** Working-day deadlines of SPEC §2.3, per case type (configurable here). */
export const DEADLINES: Record<CaseItem['source'], { callback: number; rectify: number }> = {
  rating: { callback: 1, rectify: 15 },
  complaint: { callback: 1, rectify: 15 },
  visit: { callback: 1, rectify: 15 },
};
/** After a first lapse the department gets this many working days before a 约谈 is recorded. */
export const ESCALATION_GRACE_WORKING_DAYS = 3;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function randomCrockford(n: number): string {
  return [...randomBytes(n)].map((b) => CROCKFORD[b % 32]).join('');
}

/** Case numbers a citizen can read out on the phone: 20261126-K7Q3XM. */
export function newCaseId(now: Date): string {
  return `${shanghaiDate(now).replaceAll('-', '')}-${randomCrockford(6)}`;
}

const put = (Item: Record<string, unknown>) => ({ Put: { TableName: table(), Item, ConditionExpression: 'attribute_not_exists(pk)' } });

/**
 * The transaction items that open a case, for the caller's transaction (the rating's or the complaint's): the
 * case, who filed it (apart), its first timeline entry, its deadline marker, the outbox event that alerts the
 * officials, and the open-case gauges of every scope. Day counters: see caseOpeningCounters.
 */
export function openCaseItems(args: {
  id: string;
  source: CaseItem['source'];
  path: string;
  county: Ref;
  department?: Ref;
  window?: Ref;
  summary: string;
  owner: { userId: string; phone?: string; name?: string };
  now: Date;
  extra?: Partial<CaseItem>;
}) {
  const createdAt = args.now.toISOString();
  const deadlines = DEADLINES[args.source];
  const c: CaseItem = {
    id: args.id,
    source: args.source,
    status: 'open',
    bucket: 'open',
    path: args.path,
    county: args.county,
    department: args.department,
    window: args.window,
    summary: args.summary,
    hasContact: !!args.owner.phone,
    createdAt,
    updatedAt: createdAt,
    callbackDueAt: workingDeadline(args.now, deadlines.callback),
    rectifyDueAt: workingDeadline(args.now, deadlines.rectify),
    callbackDone: false,
    rectificationReported: false,
    overdueStrikes: 0,
    version: 1,
    ...args.extra,
  };
  return [
    put(caseItem(c)),
    put(ownerItem({ caseId: c.id, userId: args.owner.userId, phone: args.owner.phone, name: args.owner.name, source: c.source })),
    put(
      timelineItem({
        caseId: c.id,
        at: createdAt,
        seq: '000',
        action: 'opened',
        actor: { id: 'system', role: 'system', name: '系统' },
        note: c.source === 'rating' ? '收到不满意评价，自动受理' : '收到投诉举报，自动受理',
      }),
    ),
    put(dueMarkerItem({ caseId: c.id, dueAt: c.callbackDueAt, kind: 'callback', path: c.path })),
    put(
      eventItem({
        caseId: c.id,
        eventId: `EVT#${createdAt}#opened`,
        kind: 'opened',
        at: createdAt,
        path: c.path,
        source: c.source,
        summary: c.summary,
        windowName: c.window?.name,
      }),
    ),
    ...ancestorScopes(c.path).map((p) => gaugeUpdate(p, { open: 1 })),
  ];
}

/** What opening a case adds to its scopes' day counters (merged by the caller: one update per item per transaction). */
export function caseOpeningCounters(source: CaseItem['source']): Record<string, number> {
  return { cases: 1, ...(source === 'complaint' ? { complaints: 1 } : {}) };
}

/** One counter update per scope for the day, for the caller's transaction. */
export function dayCounterUpdates(path: string, date: string, counters: Record<string, number>) {
  return ancestorScopes(path).map((p) => statUpdate(p, date, counters));
}
