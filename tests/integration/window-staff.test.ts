import { ratingsOfWindow } from '../../functions/src/handlers/registry';
import { get } from '../../functions/src/handlers/cases';
import { getCase } from '../../functions/src/data/cases';
import { call } from '../support/api';
import { aBadRating, aScene, doAction } from '../support/flows';

describe('window staff: 本窗口评价, the cases of their window, 申诉', () => {
  test("when staff read their window's ratings, then each 差评 carries its case state; they open the case and appeal it with a reason", async () => {
    const s = await aScene();
    const caseId = await aBadRating(s, { phone: '13911113333' });

    const list = await call(ratingsOfWindow, { token: s.staff.token, params: { id: s.window.id } });
    expect(list.body.items[0]).toMatchObject({ caseId, caseStatus: 'open', caseStatusLabel: '待处理' });

    const view = await call(get, { token: s.staff.token, params: { id: caseId } });
    expect(view.status).toBe(200);
    expect(view.body.availableActions).toContain('appeal');
    expect(JSON.stringify(view.body)).not.toContain('13911113333');

    const noReason = await doAction(s.staff.token, caseId, { type: 'appeal', stage: 'file' });
    expect(noReason.status).toBe(400);
    expect((await getCase(caseId))?.status).toBe('open');

    const appeal = await doAction(s.staff.token, caseId, {
      type: 'appeal',
      stage: 'file',
      reason: '评价人当日未到本窗口办理业务，监控可查',
    });
    expect(appeal.status).toBe(200);
    expect((await getCase(caseId))?.status).toBe('appealed');
    const after = await call(ratingsOfWindow, { token: s.staff.token, params: { id: s.window.id } });
    expect(after.body.items[0]).toMatchObject({ caseId, caseStatus: 'appealed', caseStatusLabel: '申诉复核中' });
  });
});
