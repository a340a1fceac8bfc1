import { randomBytes } from 'node:crypto';
import { workingDeadline } from '@mashang/shared/src/calendar';
import { shanghaiDate, type Ref } from '@mashang/shared';
import { caseItem, timelineItem, type CaseItem } from '../data/cases';

/** Working-day deadlines of SPEC §2.3 (configurable per case type). */
export const DEADLINES = { callbackWorkingDays: 1, rectifyWorkingDays: 15 };

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Case numbers a citizen can read out on the phone: 20261126-K7Q3XM. */
export function newCaseId(now: Date): string {
  const rnd = [...randomBytes(6)].map((b) => CROCKFORD[b % 32]).join('');
  return `${shanghaiDate(now).replaceAll('-', '')}-${rnd}`;
}

/** The items that open a case (the case and its first timeline entry), to be written in the caller's transaction. */
export function openCaseItems(args: {
  id: string;
  source: CaseItem['source'];
  path: string;
  county: Ref;
  department?: Ref;
  window?: Ref;
  summary: string;
  hasContact: boolean;
  now: Date;
  extra?: Partial<CaseItem>;
}): Record<string, unknown>[] {
  const createdAt = args.now.toISOString();
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
    hasContact: args.hasContact,
    createdAt,
    callbackDueAt: workingDeadline(args.now, DEADLINES.callbackWorkingDays),
    rectifyDueAt: workingDeadline(args.now, DEADLINES.rectifyWorkingDays),
    callbackDone: false,
    rectificationReported: false,
    overdueStrikes: 0,
    version: 1,
    ...args.extra,
  };
  return [
    caseItem(c),
    timelineItem({
      caseId: c.id,
      at: createdAt,
      seq: '000',
      action: 'opened',
      actor: { id: 'system', role: 'system', name: '系统' },
      note: args.source === 'rating' ? '收到不满意评价，自动受理' : '收到投诉举报，自动受理',
    }),
  ];
}
