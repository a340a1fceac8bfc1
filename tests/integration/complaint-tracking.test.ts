import { submit, track } from '../../functions/src/handlers/complaints';
import { call, requestId } from '../support/api';
import { aScene, doAction } from '../support/flows';

describe('complaint tracking as people type it (issue 15, no dead ends)', () => {
  test('when the number and code come in lower case with spaces, then the complaint is found; the closing shows only the published note', async () => {
    const s = await aScene();
    const filed = await call(submit, {
      token: s.citizen.token,
      body: {
        requestId: requestId(),
        code: s.code,
        category: '服务意识不强',
        content: '窗口工作人员上班时间玩手机，群众排队半小时无人受理',
        anonymous: true,
      },
    });
    expect(filed.status).toBe(201);
    const { trackingNo, queryCode, caseId } = filed.body;
    const closed = await doAction(s.countyInspector.token, caseId, {
      type: 'close',
      outcome: '情况不属实',
      note: '内部：调取监控核实',
      publicNote: '经调取监控核实，反映情况不属实',
    });
    expect(closed.status).toBe(200);

    const found = await call(track, {
      params: { trackingNo: ` ${trackingNo.toLowerCase()} ` },
      query: { queryCode: ` ${queryCode.toLowerCase()} ` },
    });

    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ trackingNo, outcome: '情况不属实' });
    const close = found.body.timeline.find((t: { action: string }) => t.action === 'close');
    expect(close.note).toBe('经调取监控核实，反映情况不属实');
    expect(JSON.stringify(found.body)).not.toContain('内部');
    const wrong = await call(track, { params: { trackingNo }, query: { queryCode: 'zzzzzzzz' } });
    expect(wrong.status).toBe(404);
    expect(wrong.body.error.message).toBe('未找到该投诉，请核对投诉编号和查询码');
  });
});
