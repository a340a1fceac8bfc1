import { refreshCalendar } from './calendar';
import { OpenFindingRequest, shanghaiDate, type OpenFindingResponse } from '@mashang/shared';
import { workingDeadline } from '@mashang/shared/src/calendar';
import { writeFinding } from '../data/cases';
import { getDepartment, getWindow } from '../data/registry';
import { getStoredRequest } from '../data/requests';
import { AppError } from '../lib/errors';
import { correlate, count, logger } from '../lib/logger';
import type { Session } from '../lib/session';
import { parseWith } from '../lib/validate';
import { actorOf, auditEntry } from './audit';
import { newCaseId, openCase } from './case-opening';
import { caseOpeningCounters } from './counters';
import { onceOnly, type RequestTicket } from './idempotency';

/** A registry item that is in service (not retired, not staged by an unfinished import). */
const active = (i: object) => !['retired', 'staged'].includes(String((i as { status?: string }).status));

/**
 * POST /v1/cases: an inspector opens a case from their own supervision finding (监督检查发现问题, source `inspection`,
 * SPEC §2.3). The case then follows the same workflow as any other: the department is alerted, the deadline is
 * watched by the scheduler (reminder letter, then 约谈), letters and 约谈 records go on its timeline. There is no
 * rater: no callback, no 追评, no contact to reveal. The case, its counters, the request record and the audit entry
 * are one transaction.
 */
export async function openFinding(
  session: Session,
  input: unknown,
  now: Date,
  ticket?: RequestTicket,
): Promise<OpenFindingResponse> {
  const body = parseWith(OpenFindingRequest, input);
  const { requestId, ...intent } = body;
  return onceOnly(
    { getStoredRequest },
    {
      ticket,
      userId: session.userId,
      requestId,
      intent: { route: 'finding', ...intent },
      status: 201,
      busyMessage: '提交繁忙，请稍后重试',
      maxAttempts: 4,
    },
    async (record) => {
      const dept = await getDepartment(body.departmentId);
      const win = body.windowId ? await getWindow(body.windowId) : undefined;
      // Outside the caller's scope is indistinguishable from unknown (no probing of other counties' registries).
      const deptUnknown = new AppError('VALIDATION_FAILED', '责任部门不存在或不在您的监督范围内', [
        { path: 'departmentId', message: '责任部门不存在或不在您的监督范围内' },
      ]);
      if (!dept || !active(dept)) throw deptUnknown;
      if (body.windowId && (!win || win.department.id !== dept.id || !active(win)))
        throw new AppError('VALIDATION_FAILED', '该窗口不属于所选部门', [
          { path: 'windowId', message: '该窗口不属于所选部门' },
        ]);
      const path = win?.path ?? dept.path;
      let actor;
      try {
        actor = actorOf(session, ['inspector'], path);
      } catch {
        // Only inspectors open findings; an inspector of another county learns nothing of this department.
        if (session.grants.some((g) => g.role === 'inspector')) throw deptUnknown;
        throw new AppError('FORBIDDEN', '只有纪检监察人员可以登记监督检查发现的问题');
      }
      const caseId = newCaseId(now);
      await refreshCalendar(); // the deadline counts on the stored holiday calendar
      const rectifyDueAt = workingDeadline(now, body.deadlineWorkingDays);
      const opening = openCase({
        id: caseId,
        source: 'inspection',
        path,
        county: { id: dept.regionId, name: dept.regionName },
        department: { id: dept.id, name: dept.name },
        window: win ? { id: win.id, name: win.name } : undefined,
        summary: body.description,
        // No filer: nobody may act on it as its owner (no 追评, no citizen view, no notices).
        owner: { userId: `inspection#${session.userId}` },
        now,
        extra: {
          // No rater to call back: the one deadline is the rectification the inspector set.
          callbackDueAt: rectifyDueAt,
          rectifyDueAt,
          inspection: { deadlineWorkingDays: body.deadlineWorkingDays, openedBy: session.userId },
        },
      });
      opening.timeline.actor = { id: session.userId, role: 'inspector' };
      opening.timeline.note = `监督检查发现问题，立案督办，限 ${body.deadlineWorkingDays} 个工作日内整改反馈`;
      opening.timeline.data = { deadlineWorkingDays: body.deadlineWorkingDays, rectifyDueAt };
      opening.due = { caseId, dueAt: rectifyDueAt, kind: 'rectify', path };
      const response: OpenFindingResponse = { caseId, rectifyDueAt };
      const outcome = await writeFinding({
        request: record(response),
        opening,
        counters: { path, date: shanghaiDate(now), add: caseOpeningCounters('inspection') },
        audit: auditEntry(
          {
            actor,
            action: 'case.open',
            target: { kind: 'case', id: caseId },
            scope: path,
            after: {
              source: 'inspection',
              department: dept.name,
              window: win?.name,
              description: body.description,
              deadlineWorkingDays: body.deadlineWorkingDays,
            },
          },
          now,
        ),
      });
      if (outcome === 'stored') {
        correlate({ caseId });
        logger.info('inspection finding opened', { caseId, departmentId: dept.id });
        count('CasesOpened');
      }
      return { outcome, response };
    },
  );
}
