import { mine } from '../../functions/src/handlers/cases';
import { getCase } from '../../functions/src/data/cases';
import { call, loginAs, uniq } from '../support/api';
import { aBadRating, aScene, doAction } from '../support/flows';

const view = (token: string, id: string) => call(mine, { token, params: { id } });

async function must(r: Promise<{ status: number; body: unknown }>) {
  const res = await r;
  if (res.status !== 200) throw new Error(JSON.stringify(res.body));
  return res;
}

describe('GET /v1/me/cases/{id}: the filer sees the result, then is asked', () => {
  test('when the case is handled and closed, then the rater sees the outcome, what was published and a timeline without officials or internal notes, and only then may rate the fix', async () => {
    const s = await aScene();
    const caseId = await aBadRating(s, { phone: '13800005555' });

    const first = await view(s.citizen.token, caseId);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      id: caseId,
      source: 'rating',
      status: 'open',
      statusLabel: '已受理',
      window: { name: s.window.name },
      level: 1,
      reasons: ['推诿扯皮'],
      followUp: { allowed: false, done: false },
    });
    expect(first.body.outcome).toBeUndefined();

    await must(doAction(s.handler.token, caseId, { type: 'assign', assignee: '王内部', note: '内部分派说明' }));
    await must(
      doAction(s.handler.token, caseId, { type: 'callback', reached: true, note: '内部回访记录：评价人情绪激动' }),
    );
    await must(
      doAction(s.handler.token, caseId, {
        type: 'rectification',
        report: '内部整改报告：对责任人王某批评教育',
        publicSummary: '已对窗口开展一次性告知培训，并在窗口公示材料清单',
      }),
    );
    await must(
      doAction(s.countyInspector.token, caseId, {
        type: 'close',
        outcome: '已整改',
        note: '内部办结意见',
        publicNote: '感谢您的监督，问题已整改到位',
      }),
    );

    const closed = await view(s.citizen.token, caseId);
    expect(closed.body).toMatchObject({
      status: 'closed',
      statusLabel: '已办结',
      outcome: '已整改',
      rectificationSummary: '已对窗口开展一次性告知培训，并在窗口公示材料清单',
      closingNote: '感谢您的监督，问题已整改到位',
      followUp: { allowed: true, done: false },
    });
    expect(closed.body.timeline.map((t: any) => t.label)).toEqual([
      '已受理，转交相关部门办理',
      '已安排专人办理',
      '工作人员已电话回访',
      '部门已反馈整改情况',
      '已办结：已整改',
    ]);
    const text = JSON.stringify(closed.body);
    for (const secret of [
      '内部',
      '王',
      s.handler.userId,
      s.countyInspector.userId,
      '13800005555',
      '138****',
      'handler',
      'inspector',
    ])
      expect(text).not.toContain(secret);
  });

  test('when the rater answers 不满意 without a reason, then it is refused and nothing changes; with a reason the case reopens and the view says so', async () => {
    const s = await aScene();
    const caseId = await aBadRating(s);
    await must(doAction(s.countyInspector.token, caseId, { type: 'close', outcome: '情况不属实', note: '经核实' }));

    const refused = await doAction(s.citizen.token, caseId, { type: 'follow_up', satisfied: false });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: '请说明不满意的原因' });
    expect((await getCase(caseId))?.status).toBe('closed');

    await must(doAction(s.citizen.token, caseId, { type: 'follow_up', satisfied: false, comment: '根本没人联系我' }));
    const reopened = await view(s.citizen.token, caseId);
    expect(reopened.body).toMatchObject({ status: 'in_progress', statusLabel: '重新办理中' });
    expect(reopened.body.outcome).toBeUndefined();
    expect(reopened.body.timeline.slice(-2)).toEqual([
      expect.objectContaining({ label: '已办结：情况不属实' }),
      expect.objectContaining({ label: '您已追评：不满意，督办件重新办理', text: '根本没人联系我' }),
    ]);
    expect(reopened.body.followUp.allowed).toBe(false);
  });

  test('when anyone but the filer asks, then the case is not found', async () => {
    const s = await aScene();
    const caseId = await aBadRating(s);
    const stranger = await loginAs(uniq('citizen-'));

    expect((await view(stranger.token, caseId)).status).toBe(404);
    expect((await view(s.handler.token, caseId)).status).toBe(404);
    expect((await view(s.citizen.token, '20260101-NOPE00')).status).toBe(404);
  });
});
