import type { CaseItem } from '../../functions/src/data/cases';
import { actOnCase } from '../../functions/src/domain/case-actions';
import { planCaseChange, type CasePlan } from '../../functions/src/domain/case-rules';
import { AppError } from '../../functions/src/lib/errors';
import { FakeCaseStore } from '../support/fakes';

const NOW = new Date('2026-03-02T02:00:00.000Z'); // a Monday, 10:00 China time
const PATH = 'haibei/menyuan/menyuan-scjg/w1';

function aCase(over: Partial<CaseItem> = {}): CaseItem {
  return {
    id: '20260301-ABCDEF',
    source: 'rating',
    status: 'open',
    bucket: 'open',
    path: PATH,
    county: { id: 'menyuan', name: '门源县' },
    department: { id: 'menyuan-scjg', name: '门源县市场监督管理局' },
    window: { id: 'w1', name: '综合受理窗口1号' },
    summary: '办事效率低',
    hasContact: true,
    createdAt: '2026-03-01T02:00:00.000Z',
    updatedAt: '2026-03-01T02:00:00.000Z',
    callbackDueAt: '2026-03-02T15:59:59.000Z',
    rectifyDueAt: '2026-03-20T15:59:59.000Z',
    callbackDone: false,
    rectificationReported: false,
    overdueStrikes: 0,
    version: 1,
    ratingId: 'r1',
    ratingDate: '2026-03-01',
    level: 1,
    ...over,
  };
}

const inspector = { userId: 'u-insp', actors: ['inspector' as const] };
const handler = { userId: 'u-hand', actors: ['handler' as const] };
const owner = { userId: 'u-owner', actors: ['owner' as const] };

function planned(r: ReturnType<typeof planCaseChange>): CasePlan {
  if ('refusal' in r) throw new Error(`refused: ${r.refusal.code}`);
  return r;
}

describe('case rules (planCaseChange, pure)', () => {
  test('when the handler records the first callback, then the case is in progress, counted as replied once and the deadline moves to rectification', () => {
    const c = aCase();
    const { change, result } = planned(
      planCaseChange(
        { case: c, due: { caseId: c.id, dueAt: c.callbackDueAt, kind: 'callback', path: c.path } },
        { requestId: 'req-00000001', type: 'callback', reached: true, note: '已电话联系' },
        handler,
        NOW,
      ),
    );
    expect(change.after).toMatchObject({
      status: 'in_progress',
      callbackDone: true,
      version: 2,
      updatedAt: NOW.toISOString(),
    });
    expect(change.counters).toEqual({ callbacks: 1, replied: 1 });
    expect(change.due).toEqual({ caseId: c.id, dueAt: c.rectifyDueAt, kind: 'rectify', path: c.path });
    expect(change.timeline).toMatchObject({
      action: 'callback',
      seq: '001',
      actor: { id: 'u-hand', role: 'handler' },
      data: { reached: true, from: 'open', to: 'in_progress' },
    });
    expect(result).toEqual({
      case: { id: c.id, status: 'in_progress', version: 2 },
      entry: { action: 'callback', at: NOW.toISOString() },
    });
  });

  test('when a second callback is recorded, then it is not counted as a reply again and the deadline stays', () => {
    const c = aCase({ status: 'in_progress', callbackDone: true });
    const { change } = planned(
      planCaseChange(
        { case: c },
        { requestId: 'req-00000002', type: 'callback', reached: false, note: '未接通' },
        handler,
        NOW,
      ),
    );
    expect(change.counters).toEqual({ callbacks: 1 });
    expect(change.due).toBeUndefined();
  });

  test('when a 差评 is called back for the first time by its deadline, then its own day gains a reply in time (差评回复率)', () => {
    const c = aCase(); // 差评 of 2026-03-01, callback due 2026-03-02 23:59:59 China time
    const { change } = planned(
      planCaseChange(
        { case: c },
        { requestId: 'req-00000011', type: 'callback', reached: true, note: '已联系' },
        handler,
        NOW,
      ),
    );
    expect(change.after.badRepliedInTime).toBe(true);
    expect(change.extraCounters).toEqual([{ date: '2026-03-01', path: PATH, add: { badRepliedInTime: 1 } }]);
  });

  test('when a 差评 is called back after its deadline, or a complaint, visit or second callback comes, then no reply in time is counted', () => {
    const late = new Date('2026-03-02T16:00:00.000Z'); // one second past the deadline
    const cases: [CaseItem, Date][] = [
      [aCase(), late],
      [aCase({ source: 'complaint', level: undefined, ratingId: undefined, ratingDate: undefined }), NOW],
      [aCase({ source: 'visit', ratingId: undefined, ratingDate: undefined }), NOW],
      [aCase({ status: 'in_progress', callbackDone: true }), NOW],
    ];
    for (const [c, at] of cases) {
      const { change } = planned(
        planCaseChange(
          { case: c },
          { requestId: 'req-00000012', type: 'callback', reached: true, note: '已联系' },
          inspector,
          at,
        ),
      );
      expect(change.extraCounters).toBeUndefined();
      expect(change.after.badRepliedInTime).toBeUndefined();
    }
  });

  test('when an appeal is upheld on a 差评 replied in time, then the reply in time leaves its day with the rating', () => {
    const c = aCase({ status: 'appealed', callbackDone: true, badRepliedInTime: true });
    const { change } = planned(
      planCaseChange(
        { case: c },
        { requestId: 'req-00000013', type: 'appeal', stage: 'decide', upheld: true, note: '评价与事实不符' },
        inspector,
        NOW,
      ),
    );
    expect(change.extraCounters).toEqual([
      { date: '2026-03-01', path: PATH, add: { ratings: -1, l1: -1, good: -0, bad: -1, badRepliedInTime: -1 } },
    ]);
  });

  test('when an inspector closes as 已整改 without a rectification report, then it is refused and nothing is planned', () => {
    const r = planCaseChange(
      { case: aCase({ callbackDone: true }) },
      { requestId: 'req-00000003', type: 'close', outcome: '已整改', note: '办结' },
      inspector,
      NOW,
    );
    expect(r).toEqual({ refusal: { code: 'RECTIFICATION_REQUIRED', message: '尚未收到整改反馈，不能以“已整改”办结' } });
  });

  test('when an overdue case is closed, then it leaves the open and overdue gauges, its deadline is removed and the officials hear of it', () => {
    const c = aCase({ status: 'rectified', bucket: 'overdue', callbackDone: true, rectificationReported: true });
    const { change } = planned(
      planCaseChange(
        { case: c },
        { requestId: 'req-00000004', type: 'close', outcome: '已整改', note: '已整改到位' },
        inspector,
        NOW,
      ),
    );
    expect(change.after).toMatchObject({
      status: 'closed',
      bucket: 'closed',
      outcome: '已整改',
      closedAt: NOW.toISOString(),
    });
    expect(change.counters).toEqual({ closed: 1 });
    expect(change.gauges).toEqual({ open: -1, overdue: -1 });
    expect(change.due).toBe('remove');
    expect(change.event).toEqual({
      caseId: c.id,
      kind: 'closed',
      at: NOW.toISOString(),
      path: PATH,
      source: 'rating',
      summary: '办事效率低',
      windowName: '综合受理窗口1号',
    });
  });

  test('when the rater is not satisfied with a closed case, then it reopens with a fresh 15-working-day rectification deadline', () => {
    const c = aCase({
      status: 'closed',
      bucket: 'closed',
      outcome: '已整改',
      closedAt: '2026-03-01T03:00:00.000Z',
      rectificationReported: true,
    });
    const { change } = planned(
      planCaseChange(
        { case: c },
        { requestId: 'req-00000005', type: 'follow_up', satisfied: false, comment: '问题仍在' },
        owner,
        NOW,
      ),
    );
    expect(change.after).toMatchObject({
      status: 'in_progress',
      bucket: 'open',
      rectificationReported: false,
      outcome: undefined,
      closedAt: undefined,
    });
    expect(change.after.rectifyDueAt).toBe('2026-03-23T15:59:59.000Z');
    expect(change.due).toEqual({ caseId: c.id, dueAt: '2026-03-23T15:59:59.000Z', kind: 'rectify', path: PATH });
    expect(change.gauges).toEqual({ open: 1 });
    expect(change.counters).toEqual({ followUps: 1 });
    expect(change.event?.kind).toBe('reopened');
    expect(change.timeline.note).toBe('追评不满意，督办件重新办理。问题仍在');
  });

  test('when an appeal is upheld, then the case closes as 申诉成立 and its rating leaves the statistics of its own day', () => {
    const c = aCase({ status: 'appealed' });
    const { change } = planned(
      planCaseChange(
        { case: c },
        { requestId: 'req-00000006', type: 'appeal', stage: 'decide', upheld: true, note: '评价与事实不符' },
        inspector,
        NOW,
      ),
    );
    expect(change.after).toMatchObject({ status: 'closed', outcome: '申诉成立' });
    expect(change.counters).toEqual({ closed: 1, appealsUpheld: 1 });
    expect(change.extraCounters).toEqual([
      { date: '2026-03-01', path: PATH, add: { ratings: -1, l1: -1, good: -0, bad: -1 } },
    ]);
    expect(change.excludeRating).toBe('r1');
  });

  test('when an inspector issues a numbered reminder letter, then the letter is stored with the change and the answer links its PDF', () => {
    const c = aCase();
    const { change, result } = planned(
      planCaseChange(
        { case: c },
        {
          requestId: 'req-00000007',
          type: 'reminder_letter',
          recipient: '门源县市场监督管理局',
          text: '请于3个工作日内核查整改并书面报告。',
        },
        inspector,
        NOW,
        {
          no: '门源纪提〔2026〕4号',
          issuer: 'haibei/menyuan',
        },
      ),
    );
    expect(change.letter).toMatchObject({
      caseId: c.id,
      no: '门源纪提〔2026〕4号',
      issuer: 'haibei/menyuan',
      issuedBy: 'u-insp',
      issuedAt: NOW.toISOString(),
    });
    expect(change.counters).toEqual({ letters: 1 });
    expect(result.letter).toEqual({
      no: '门源纪提〔2026〕4号',
      pdf: `/v1/cases/${c.id}/letters/${encodeURIComponent('门源纪提〔2026〕4号')}.pdf`,
    });
  });

  test('when a handler tries an inspector-only action, then it is refused as forbidden', () => {
    const r = planCaseChange(
      { case: aCase() },
      { requestId: 'req-00000008', type: 'reopen', reason: '复查' },
      handler,
      NOW,
    );
    expect(r).toEqual({ refusal: { code: 'FORBIDDEN', message: '您无权进行“重新办理”操作' } });
  });
});

describe('acting on a case (actOnCase on an in-memory store)', () => {
  const session = { userId: 'u-insp', grants: [{ role: 'inspector' as const, scope: 'haibei/menyuan' }] };
  const close = { requestId: 'req-close-0001', type: 'close', outcome: '情况不属实', note: '经核实情况不属实' };

  test('when the same request is sent twice, then the second gets the first answer and the case changes once', async () => {
    const store = new FakeCaseStore().put(aCase({ callbackDone: true }));
    const first = await actOnCase(session, '20260301-ABCDEF', close, NOW, store);
    const again = await actOnCase(session, '20260301-ABCDEF', close, new Date(NOW.getTime() + 60000), store);
    expect(again).toEqual(first);
    expect(store.commits).toHaveLength(1);
    expect(store.bundles.get('20260301-ABCDEF')!.case).toMatchObject({ status: 'closed', version: 2 });
  });

  test('when a requestId is reused for another action, then it is refused and nothing changes', async () => {
    const store = new FakeCaseStore().put(aCase({ callbackDone: true }));
    await actOnCase(session, '20260301-ABCDEF', close, NOW, store);
    await expect(
      actOnCase(session, '20260301-ABCDEF', { ...close, note: '另一条说明' }, NOW, store),
    ).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(store.commits).toHaveLength(1);
  });

  test('when another change wins the race, then the action is planned again on the fresh case and stored once', async () => {
    const store = new FakeCaseStore().put(aCase({ callbackDone: true }));
    store.staleCommits = 1;
    const r = await actOnCase(session, '20260301-ABCDEF', close, NOW, store);
    expect(r.case).toEqual({ id: '20260301-ABCDEF', status: 'closed', version: 3 });
    expect(store.commits).toHaveLength(1);
  });

  test("when the case is outside the caller's scope, then it is answered as not found", async () => {
    const store = new FakeCaseStore().put(aCase());
    const outsider = { userId: 'u-x', grants: [{ role: 'inspector' as const, scope: 'haibei/qilian' }] };
    await expect(actOnCase(outsider, '20260301-ABCDEF', close, NOW, store)).rejects.toEqual(
      new AppError('NOT_FOUND', '督办件不存在'),
    );
    expect(store.commits).toHaveLength(0);
  });

  test('when a reminder letter is refused, then no letter number is taken', async () => {
    const store = new FakeCaseStore().put(aCase({ status: 'closed', bucket: 'closed' }));
    const next = jest.spyOn(store, 'nextLetterNumber');
    await expect(
      actOnCase(
        session,
        '20260301-ABCDEF',
        { requestId: 'req-letter-001', type: 'reminder_letter', recipient: '门源县市场监督管理局', text: '请整改' },
        NOW,
        store,
      ),
    ).rejects.toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    expect(next).not.toHaveBeenCalled();
  });
});
