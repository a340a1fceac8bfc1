import { refreshCalendar } from './calendar';
import { workingDeadline } from '@mashang/shared/src/calendar';
import { commitCaseChange, dueMarkers, loadCase, type CaseItem } from '../data/cases';
import { logger } from '../lib/logger';
import { DEADLINE_TEXT, ESCALATION_GRACE_WORKING_DAYS } from '@mashang/shared';
import { caseEvent, SYSTEM_ACTOR } from './case-opening';
import { draftReminderText } from './letters';

/**
 * The scheduled sweep (SPEC §2.3): cases whose deadline has passed are found through the "DUE" index (no scan).
 * First lapse: the case turns overdue, a reminder letter to the department is drafted on the timeline and the
 * inspectors are alerted; the department gets a grace period. Second lapse: a 约谈 with the department head is
 * recorded. The clock is a parameter so tests can cross 春节 and 国庆.
 */
export async function escalateOverdue(now: Date): Promise<{ escalated: number; talks: number }> {
  await refreshCalendar(); // the grace period counts on the stored holiday calendar
  const at = now.toISOString();
  let escalated = 0;
  let talks = 0;
  for (const marker of await dueMarkers(at)) {
    const bundle = await loadCase(marker.caseId);
    const before = bundle.case;
    if (!before || !bundle.due || bundle.due.dueAt !== marker.dueAt || before.status === 'closed') continue;
    const after: CaseItem = { ...before, updatedAt: at, version: before.version + 1 };
    const seq = String(before.version).padStart(3, '0');
    const system = SYSTEM_ACTOR;
    const event = (kind: 'overdue' | 'talk') => caseEvent(before, kind, at);
    let outcome;
    if (marker.kind !== 'second') {
      const lapsed = marker.kind === 'callback' ? 'callback' : 'rectify';
      after.bucket = 'overdue';
      after.overdueStrikes = 1;
      outcome = await commitCaseChange({
        before,
        after,
        timeline: {
          caseId: before.id,
          at,
          seq,
          action: 'overdue',
          actor: system,
          note:
            lapsed === 'callback'
              ? `${DEADLINE_TEXT.lapsed.callback}，已起草工作提示函并提醒纪检监察`
              : `${DEADLINE_TEXT.lapsed.rectify}，已起草工作提示函并提醒纪检监察`,
          data: {
            lapsed,
            dueAt: marker.dueAt,
            draftLetter: { recipient: before.department?.name ?? '', text: draftReminderText(before, lapsed, now) },
          },
        },
        counters: { overdue: 1 },
        gauges: before.bucket === 'overdue' ? {} : { overdue: 1 },
        due: {
          caseId: before.id,
          dueAt: workingDeadline(now, ESCALATION_GRACE_WORKING_DAYS),
          kind: 'second',
          path: before.path,
        },
        event: event('overdue'),
      });
      if (outcome === 'stored') escalated++;
    } else {
      after.overdueStrikes = 2;
      outcome = await commitCaseChange({
        before,
        after,
        timeline: {
          caseId: before.id,
          at,
          seq,
          action: 'talk',
          actor: system,
          note: `提示后仍逾期未办，记录约谈${before.department?.name ?? ''}负责人`,
          data: { dueAt: marker.dueAt },
        },
        counters: { talks: 1 },
        due: 'remove',
        event: event('talk'),
      });
      if (outcome === 'stored') talks++;
    }
    if (outcome !== 'stored') logger.info('escalation skipped: case changed meanwhile', { caseId: before.id });
  }
  return { escalated, talks };
}
