import { shanghaiDate } from '@mashang/shared';
import { K } from '../../functions/src/data/keys';
import { escalateOverdue } from '../../functions/src/domain/escalation';
import { openFinding } from '../../functions/src/domain/inspection';
import { get, list, mine, open } from '../../functions/src/handlers/cases';
import { summary } from '../../functions/src/handlers/stats';
import { call, loginAs, requestId, uniq } from '../support/api';
import { aDepartment, aWindow, anOfficial, getItem, partition } from '../support/builders';
import { aBadRating, aScene, doAction } from '../support/flows';

type Scene = Awaited<ReturnType<typeof aScene>>;

const finding = (s: Scene, extra: Record<string, unknown> = {}) => ({
  requestId: requestId(),
  departmentId: s.department.id,
  description: '监督检查发现该局窗口未执行一次性告知制度，群众反复跑腿',
  deadlineWorkingDays: 5,
  ...extra,
});

const openAs = (token: string, body: Record<string, unknown>) => call(open, { token, body });

/** The day counters of a scope for today, as the summary route reads them. */
async function today(token: string, scope: string) {
  const d = shanghaiDate(new Date());
  const r = await call(summary, { token, query: { scope, from: d, to: d } });
  expect(r.status).toBe(200);
  return r.body;
}

const auditOf = async (caseId: string, action: string) =>
  (await partition(`AUDIT#case#${caseId}`)).filter((e) => e.action === action);

describe('inspectors open cases from their own supervision findings (source inspection)', () => {
  test('when a county inspector opens a finding, then a case opens against the department with the deadline set, it lists under source inspection, counts, and is audited; the same requestId again opens nothing new', async () => {
    const s = await aScene();
    const body = finding(s);
    const r = await openAs(s.countyInspector.token, body);
    expect(r.status).toBe(201);
    const { caseId } = r.body;
    expect(caseId).toMatch(/^\d{8}-[0-9A-Z]{6}$/);

    const view = await call(get, { token: s.handler.token, params: { id: caseId } });
    expect(view.status).toBe(200);
    expect(view.body.case).toMatchObject({
      source: 'inspection',
      status: 'open',
      path: s.department.path,
      department: { id: s.department.id, name: s.department.name },
      summary: body.description,
      hasContact: false,
      inspection: { deadlineWorkingDays: 5, openedBy: s.countyInspector.userId },
    });
    expect(view.body.case.rectifyDueAt).toBe(r.body.rectifyDueAt);
    expect(view.body.timeline[0]).toMatchObject({
      action: 'opened',
      actor: { id: s.countyInspector.userId, role: 'inspector' },
      note: expect.stringContaining('限 5 个工作日内整改反馈'),
    });
    // No rater: the handler is offered neither a callback nor an appeal, nobody a 追评 or a contact.
    expect(view.body.availableActions).not.toContain('callback');
    expect(view.body.availableActions).not.toContain('appeal');
    expect(view.body.mayRevealContact).toBe(false);
    // The deadline marker is the rectification deadline, watched by the scheduler.
    expect(await getItem(K.due(caseId))).toMatchObject({ kind: 'rectify', dueAt: r.body.rectifyDueAt });

    const listed = await call(list, {
      token: s.handler.token,
      query: { status: 'open', scope: s.department.path, source: 'inspection' },
    });
    expect(listed.body.items.map((c: { id: string }) => c.id)).toEqual([caseId]);
    const ratingsOnly = await call(list, {
      token: s.handler.token,
      query: { status: 'open', scope: s.department.path, source: 'rating' },
    });
    expect(ratingsOnly.body.items).toEqual([]);

    const [entry] = await auditOf(caseId, 'case.open');
    expect(entry).toMatchObject({
      actor: { userId: s.countyInspector.userId, role: 'inspector', scope: s.region },
      scope: s.department.path,
      after: { source: 'inspection', department: s.department.name, deadlineWorkingDays: 5 },
    });

    const again = await openAs(s.countyInspector.token, body);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(r.body);
    const stats = await today(s.countyInspector.token, s.region);
    expect(stats.cases).toMatchObject({ opened: 1, inspections: 1, complaints: 0 });
    expect(await auditOf(caseId, 'case.open')).toHaveLength(1);
  });

  test('when an inspectors’ finding is worked through, then the same workflow applies: no callback, rectification before 已整改, closed and counted; the inspector who opened it is not its filer', async () => {
    const s = await aScene();
    const { caseId } = (await openAs(s.countyInspector.token, finding(s))).body;

    const cb = await doAction(s.handler.token, caseId, { type: 'callback', reached: true, note: '已回访' });
    expect(cb.status).toBe(409);
    expect(cb.body.error.code).toBe('ILLEGAL_TRANSITION');
    const early = await doAction(s.countyInspector.token, caseId, { type: 'close', outcome: '已整改', note: '办结' });
    expect(early.body.error.code).toBe('RECTIFICATION_REQUIRED');

    expect((await doAction(s.handler.token, caseId, { type: 'assign', assignee: '王科长' })).status).toBe(200);
    const fixed = await doAction(s.handler.token, caseId, {
      type: 'rectification',
      report: '已建立一次性告知清单并公示',
    });
    expect(fixed.status).toBe(200);
    const closed = await doAction(s.countyInspector.token, caseId, {
      type: 'close',
      outcome: '已整改',
      note: '核查属实',
    });
    expect(closed.status).toBe(200);
    expect(closed.body.case.status).toBe('closed');
    // Not a citizen's case: no filer view, no 追评, even for the inspector who opened it.
    const own = await call(mine, { token: s.countyInspector.token, params: { id: caseId } });
    expect(own.status).toBe(404);
    const fu = await doAction(s.countyInspector.token, caseId, { type: 'follow_up', satisfied: true });
    expect(fu.status).toBe(403);

    const stats = await today(s.countyInspector.token, s.region);
    expect(stats.cases).toMatchObject({ opened: 1, inspections: 1, rectified: 1, closed: 1, replied: 0 });
    // Nobody to call back: the finding is not in the denominator of 差评回复率.
    expect(stats.badReplyRate).toBeNull();
    expect(stats.callbackRectifyRate).toBe(100);
  });

  test('when a finding’s deadline lapses, then it escalates like any case: overdue with a drafted reminder letter that states the finding, then a 约谈 prompt', async () => {
    const s = await aScene();
    const session = { userId: s.countyInspector.userId, grants: [{ role: 'inspector' as const, scope: s.region }] };
    // Monday 2026-11-02 10:00 China time, 5 working days → end of Monday 11-09.
    const opened = await openFinding(session, finding(s), new Date('2026-11-02T02:00:00Z'));
    expect(opened.rectifyDueAt).toBe('2026-11-09T15:59:59.000Z');

    await escalateOverdue(new Date('2026-11-09T10:00:00Z'));
    expect((await getItem(K.case(opened.caseId)))!.bucket).toBe('open');
    await escalateOverdue(new Date('2026-11-10T01:00:00Z'));
    let view = await call(get, { token: s.countyInspector.token, params: { id: opened.caseId } });
    expect(view.body.case).toMatchObject({ bucket: 'overdue', overdueStrikes: 1 });
    const overdue = view.body.timeline.find((t: { action: string }) => t.action === 'overdue');
    expect(overdue.data.draftLetter.recipient).toBe(s.department.name);
    expect(overdue.data.draftLetter.text).toContain('在监督检查中发现');
    expect(overdue.data.draftLetter.text).toContain(opened.caseId);

    const letter = await doAction(s.countyInspector.token, opened.caseId, {
      type: 'reminder_letter',
      recipient: s.department.name,
      text: overdue.data.draftLetter.text,
    });
    expect(letter.status).toBe(200);
    expect(letter.body.letter.pdf).toContain(`/v1/cases/${opened.caseId}/letters/`);

    // Grace: 3 working days after Tue 11-10 → end of Fri 11-13.
    await escalateOverdue(new Date('2026-11-16T01:00:00Z'));
    view = await call(get, { token: s.countyInspector.token, params: { id: opened.caseId } });
    expect(view.body.timeline.filter((t: { action: string }) => t.action === 'talk')).toHaveLength(1);
    expect(view.body.timeline.find((t: { action: string }) => t.action === 'talk').label).toBe('约谈提示');
  });

  test('when the finding is refused (short description, deadline out of range, unknown or foreign department, window of another department, not an inspector), then nothing is opened', async () => {
    const s = await aScene();
    const other = await aDepartment(); // another county
    const sibling = await aWindow({ department: await aDepartment({ regionId: s.department.regionId }) });
    const cases = [
      [{ description: '太短' }, 'description'],
      [{ deadlineWorkingDays: 0 }, 'deadlineWorkingDays'],
      [{ deadlineWorkingDays: 61 }, 'deadlineWorkingDays'],
      [{ deadlineWorkingDays: 2.5 }, 'deadlineWorkingDays'],
      [{ departmentId: uniq('d') }, 'departmentId'],
      [{ departmentId: other.id }, 'departmentId'],
      [{ windowId: sibling.window.id }, 'windowId'],
    ] as const;
    for (const [extra, field] of cases) {
      const r = await openAs(s.countyInspector.token, finding(s, extra));
      expect([r.status, r.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(r.body.error.issues?.map((i: { path: string }) => i.path)).toContain(field);
    }
    // A department of another county answers exactly like an unknown one.
    const foreign = await openAs(s.countyInspector.token, finding(s, { departmentId: other.id }));
    const unknown = await openAs(s.countyInspector.token, finding(s, { departmentId: uniq('d') }));
    expect(foreign.body.error.message).toBe(unknown.body.error.message);

    for (const token of [s.handler.token, s.staff.token, s.citizen.token]) {
      const r = await openAs(token, finding(s));
      expect([r.status, r.body.error.code]).toEqual([403, 'FORBIDDEN']);
    }
    const stats = await today(s.countyInspector.token, s.region);
    expect(stats.cases.opened).toBe(0);
  });

  test('when a finding names one of the department’s windows, then the case is the window’s (its staff and its department see it)', async () => {
    const s = await aScene();
    const r = await openAs(s.countyInspector.token, finding(s, { windowId: s.window.id }));
    expect(r.status).toBe(201);
    const view = await call(get, { token: s.staff.token, params: { id: r.body.caseId } });
    expect(view.status).toBe(200);
    expect(view.body.case).toMatchObject({ path: s.window.path, window: { id: s.window.id, name: s.window.name } });
  });
});

describe('约谈 records, one per person talked to, on any case', () => {
  const interview = (extra: Record<string, unknown> = {}) => ({
    type: 'interview',
    name: '李明',
    post: '政务服务科科长',
    date: shanghaiDate(new Date()),
    reason: '差评件逾期未回访',
    ...extra,
  });

  test('when an inspector records two 约谈 on a 差评 case, then each is a timeline entry with name, post, date and reason, counted per person on its date, and audited', async () => {
    const s = await aScene();
    const caseId = await aBadRating(s);
    const first = await doAction(s.countyInspector.token, caseId, interview());
    expect(first.status).toBe(200);
    expect(first.body.case.status).toBe('open'); // a 约谈 changes no state
    const second = await doAction(s.countyInspector.token, caseId, interview({ name: '张华', post: '分管副局长' }));
    expect(second.status).toBe(200);

    // The handler reads them on the timeline.
    const view = await call(get, { token: s.handler.token, params: { id: caseId } });
    const talks = view.body.timeline.filter((t: { action: string }) => t.action === 'interview');
    expect(talks).toHaveLength(2);
    expect(talks[0]).toMatchObject({
      label: '约谈',
      actor: { id: s.countyInspector.userId, role: 'inspector' },
      data: { name: '李明', post: '政务服务科科长', date: shanghaiDate(new Date()), reason: '差评件逾期未回访' },
    });
    expect(talks[1].data).toMatchObject({ name: '张华', post: '分管副局长' });

    const stats = await today(s.countyInspector.token, s.region);
    expect(stats.interviews).toBe(2);
    expect(stats.talks).toBe(0);
    const entries = await auditOf(caseId, 'case.interview');
    expect(entries.map((e) => e.after.name).sort()).toEqual(['张华', '李明']);
    expect(entries[0]).toMatchObject({ actor: { userId: s.countyInspector.userId, role: 'inspector' } });
  });

  test('when a 约谈 is recorded later for an earlier day, then it counts on the day it took place', async () => {
    const s = await aScene();
    const session = { userId: s.countyInspector.userId, grants: [{ role: 'inspector' as const, scope: s.region }] };
    const { caseId } = await openFinding(session, finding(s), new Date('2026-10-20T02:00:00Z'));
    const r = await doAction(s.countyInspector.token, caseId, interview({ date: '2026-10-28' }));
    expect(r.status).toBe(200);
    const oct = await call(summary, {
      token: s.countyInspector.token,
      query: { scope: s.region, from: '2026-10-01', to: '2026-10-31' },
    });
    expect(oct.body).toMatchObject({ interviews: 1, cases: { opened: 1, inspections: 1 } });
  });

  test('when a 约谈 is incomplete, in the future, before the case, or not by an inspector in scope, then it is refused and nothing is recorded', async () => {
    const s = await aScene();
    const caseId = await aBadRating(s);
    const bad: [Record<string, unknown>, number, string][] = [
      [interview({ post: '' }), 400, 'VALIDATION_FAILED'],
      [interview({ name: undefined }), 400, 'VALIDATION_FAILED'],
      [interview({ reason: ' ' }), 400, 'VALIDATION_FAILED'],
      [interview({ date: '2026-02-30' }), 400, 'VALIDATION_FAILED'],
      [interview({ date: '2099-01-01' }), 400, 'VALIDATION_FAILED'],
      [interview({ date: '2020-01-01' }), 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of bad) {
      const r = await doAction(s.countyInspector.token, caseId, body);
      expect([r.status, r.body.error.code]).toEqual([status, code]);
    }
    const handler = await doAction(s.handler.token, caseId, interview());
    expect([handler.status, handler.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const elsewhere = await anOfficial([{ role: 'inspector', scope: `haibei/${uniq('r')}` }]);
    const foreign = await doAction((await loginAs(elsewhere.loginCode)).token, caseId, interview());
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'NOT_FOUND']);

    const view = await call(get, { token: s.countyInspector.token, params: { id: caseId } });
    expect(view.body.timeline.filter((t: { action: string }) => t.action === 'interview')).toEqual([]);
    expect((await today(s.countyInspector.token, s.region)).interviews).toBe(0);
    expect(await auditOf(caseId, 'case.interview')).toEqual([]);
  });

  test('when a case is closed, then a 约谈 can still be recorded on it and it stays closed', async () => {
    const s = await aScene();
    const { caseId } = (await openAs(s.countyInspector.token, finding(s))).body;
    await doAction(s.countyInspector.token, caseId, { type: 'close', outcome: '情况不属实', note: '经核查不属实' });
    const r = await doAction(s.countyInspector.token, caseId, interview());
    expect(r.status).toBe(200);
    expect(r.body.case.status).toBe('closed');
  });
});
