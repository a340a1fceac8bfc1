import { randomBytes } from 'node:crypto';
import { workingDeadline } from '@mashang/shared/src/calendar';
import { CASE_DEADLINES, shanghaiDate, type Ref } from '@mashang/shared';
import type { CaseEvent, CaseItem, CaseOpening } from '../data/cases';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function randomCrockford(n: number): string {
  return [...randomBytes(n)].map((b) => CROCKFORD[b % 32]).join('');
}

/** Case numbers a citizen can read out on the phone: 20261126-K7Q3XM. */
export function newCaseId(now: Date): string {
  return `${shanghaiDate(now).replaceAll('-', '')}-${randomCrockford(6)}`;
}

/**
 * Everything that opens a case, for the transaction of what opened it (the rating's or the complaint's): the
 * case, who filed it (apart), its first timeline entry, its deadline marker, the outbox event that alerts the
 * officials, and the open-case gauge. Day counters: see caseOpeningCounters (domain/counters).
 */
export function openCase(args: {
  id: string;
  source: CaseItem['source'];
  path: string;
  county: Ref;
  department?: Ref;
  window?: Ref;
  summary: string;
  owner: { userId: string; phone?: string; name?: string; trackingNo?: string };
  now: Date;
  extra?: Partial<CaseItem>;
}): CaseOpening {
  const createdAt = args.now.toISOString();
  const deadlines = CASE_DEADLINES;
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
  return {
    case: c,
    owner: {
      caseId: c.id,
      userId: args.owner.userId,
      phone: args.owner.phone,
      name: args.owner.name,
      ...(args.owner.trackingNo ? { trackingNo: args.owner.trackingNo } : {}),
      source: c.source,
    },
    timeline: {
      caseId: c.id,
      at: createdAt,
      seq: '000',
      action: 'opened',
      actor: SYSTEM_ACTOR,
      note:
        c.source === 'rating'
          ? '收到不满意评价，自动受理'
          : c.source === 'visit'
            ? '收到企业对干部走访的不满意评价，自动受理'
            : '收到投诉举报，自动受理',
    },
    due: { caseId: c.id, dueAt: c.callbackDueAt, kind: 'callback', path: c.path },
    event: caseEvent(c, 'opened', createdAt),
    gauges: { open: 1 },
  };
}

/** The system as the actor of automatic timeline entries. */
export const SYSTEM_ACTOR = { id: 'system', role: 'system', name: '系统' };

/** The outbox event of a case change, carrying what an alert message shows. */
export function caseEvent(c: CaseItem, kind: CaseEvent['kind'], at: string): CaseEvent {
  return {
    caseId: c.id,
    kind,
    at,
    path: c.path,
    source: c.source,
    summary: c.summary,
    windowName: c.window?.name,
    forwarded: c.forwarded,
  };
}
