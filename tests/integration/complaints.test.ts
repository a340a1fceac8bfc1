import { PREFECTURE_ID } from '@mashang/shared';
import { lists, mine, submit, track } from '../../functions/src/handlers/complaints';
import { get, list } from '../../functions/src/handlers/cases';
import { call, loginAs, requestId, uniq } from '../support/api';
import { anOfficial, partition } from '../support/builders';
import { K } from '../../functions/src/data/keys';
import { aScene, doAction } from '../support/flows';

const aComplaint = (over: Record<string, unknown> = {}) => ({
  requestId: requestId(),
  category: '服务意识不强',
  content: '窗口工作人员上班时间玩手机，群众排队半小时无人受理',
  anonymous: true,
  ...over,
});

describe('complaints (投诉举报)', () => {
  test('when an anonymous complaint is filed at a window, then it gets a tracking number and query code, opens a case, and is followed with them', async () => {
    const s = await aScene();
    const res = await call(submit, { token: s.citizen.token, body: aComplaint({ code: s.code }) });

    expect(res.status).toBe(201);
    expect(res.body.trackingNo).toMatch(/^TS\d{8}[0-9A-Z]{6}$/);
    expect(res.body.queryCode).toMatch(/^[0-9A-Z]{8}$/);
    const stored = await partition(K.complaint(res.body.trackingNo).pk);
    expect(JSON.stringify(stored)).not.toContain(res.body.queryCode);

    const tracked = await call(track, {
      params: { trackingNo: res.body.trackingNo },
      query: { queryCode: res.body.queryCode },
    });
    expect(tracked.status).toBe(200);
    expect(tracked.body).toMatchObject({
      trackingNo: res.body.trackingNo,
      category: '服务意识不强',
      status: 'open',
      statusLabel: '待处理',
    });
    expect(JSON.stringify(tracked.body)).not.toMatch(/userId|u[0-9a-f]{24}|handler|inspector/);
  });

  test('when a wrong query code or an unknown number is used, then both answers are the same 404', async () => {
    const s = await aScene();
    const res = await call(submit, { token: s.citizen.token, body: aComplaint() });
    const wrong = await call(track, { params: { trackingNo: res.body.trackingNo }, query: { queryCode: 'ZZZZZZZZ' } });
    const unknown = await call(track, {
      params: { trackingNo: 'TS20260101AAAAAA' },
      query: { queryCode: res.body.queryCode },
    });
    expect(wrong.status).toBe(404);
    expect(wrong.body).toEqual(unknown.body);
  });

  test('when a real-name complaint reaches the department, then the handler sees what to fix and never who complained; the inspector sees the contact', async () => {
    const s = await aScene();
    const res = await call(submit, {
      token: s.citizen.token,
      body: aComplaint({ code: s.code, anonymous: false, name: '王秀兰', phone: '13912340000' }),
    });

    const asHandler = await call(get, { token: s.handler.token, params: { id: res.body.caseId } });
    const asInspector = await call(get, { token: s.countyInspector.token, params: { id: res.body.caseId } });

    expect(asHandler.status).toBe(200);
    expect(asHandler.body.case.summary).toContain('玩手机');
    expect(JSON.stringify(asHandler.body)).not.toMatch(/王秀兰|1391234|13912340000/);
    expect(asHandler.body.contact).toBeUndefined();
    expect(asInspector.body.contact).toEqual({ phone: '13912340000', name: '王秀兰' });
    const stored = await partition(K.casePartition(res.body.caseId));
    expect(JSON.stringify(stored)).not.toMatch(/王秀兰|13912340000/);
  });

  test('when a complaint cites the negative list, then the item must exist and is quoted on the case', async () => {
    const s = await aScene();
    const missing = await call(submit, { token: s.citizen.token, body: aComplaint({ category: '违反负面清单' }) });
    const unknown = await call(submit, {
      token: s.citizen.token,
      body: aComplaint({ category: '违反负面清单', negativeItemId: 'N99' }),
    });
    const ok = await call(submit, {
      token: s.citizen.token,
      body: aComplaint({ category: '违反负面清单', negativeItemId: 'N2', code: s.code }),
    });

    expect(missing.status).toBe(400);
    expect(unknown.status).toBe(400);
    expect(ok.status).toBe(201);
    const view = await call(get, { token: s.countyInspector.token, params: { id: ok.body.caseId } });
    expect(view.body.case.summary).toContain('吃拿卡要');
  });

  test('when the same complaint is retried, then the same number and query code come back and one case exists', async () => {
    const s = await aScene();
    const body = aComplaint({ code: s.code });
    const [a, b] = [
      await call(submit, { token: s.citizen.token, body }),
      await call(submit, { token: s.citizen.token, body }),
    ];
    expect(b.body).toEqual(a.body);
    const open = await call(list, { token: s.handler.token, query: { status: 'open' } });
    expect(open.body.items.filter((c: any) => c.trackingNo === a.body.trackingNo)).toHaveLength(1);
  });

  test.each([
    ['content of 4 characters', { content: '太慢了啊' }],
    ['content of 2001 characters', { content: '慢'.repeat(2001) }],
    ['an unknown category', { category: '态度不好' }],
    ['a name on an anonymous complaint', { name: '张三' }],
    ['a real-name complaint without phone', { anonymous: false, name: '张三' }],
  ])('when a complaint has %s, then 400 and nothing is stored', async (_n, over) => {
    const s = await aScene();
    const r = await call(submit, { token: s.citizen.token, body: aComplaint(over) });
    expect(r.status).toBe(400);
    expect((await call(mine, { token: s.citizen.token })).body.items).toHaveLength(0);
  });

  test('when a complaint has no window code, then it goes to the prefecture inspectors', async () => {
    const citizen = await loginAs(uniq('citizen-'));
    const prefecture = await anOfficial([{ role: 'inspector', scope: PREFECTURE_ID }]);
    const r = await call(submit, {
      token: citizen.token,
      body: aComplaint({ category: '违规干预插手', content: '某局领导打招呼要求给亲属企业优先审批' }),
    });
    const view = await call(get, { token: (await loginAs(prefecture.loginCode)).token, params: { id: r.body.caseId } });
    expect(view.body.case.path).toBe(PREFECTURE_ID);
    const mineList = await call(mine, { token: citizen.token });
    expect(mineList.body.items[0]).toMatchObject({
      trackingNo: r.body.trackingNo,
      caseStatus: 'open',
      caseStatusLabel: '待处理',
    });
  });

  test('when the lists are read, then the positive and negative lists come with versions', async () => {
    const r = await call(lists, {});
    expect(r.body.positive.version).toMatch(/^\d{4}\.\d+$/);
    expect(r.body.negative.items.length).toBeGreaterThanOrEqual(8);
    expect(r.body.negative.items[0]).toEqual({ id: 'N1', text: expect.stringMatching(/推诿扯皮/) });
  });

  test('when a closed complaint is followed up by its complainant, then it is recorded; nobody else may', async () => {
    const s = await aScene();
    const r = await call(submit, { token: s.citizen.token, body: aComplaint({ code: s.code }) });
    await doAction(s.countyInspector.token, r.body.caseId, {
      type: 'close',
      outcome: '情况不属实',
      note: '经核查不属实',
    });
    const stranger = await loginAs(uniq('citizen-'));
    expect((await doAction(stranger.token, r.body.caseId, { type: 'follow_up', satisfied: true })).status).toBe(404);
    expect((await doAction(s.citizen.token, r.body.caseId, { type: 'follow_up', satisfied: true })).status).toBe(200);
  });
});

describe('guessing query codes', () => {
  test('when one tracking number is tried more than 20 times in an hour, then RATE_LIMITED (429) even with the right code', async () => {
    const s = await aScene();
    const res = await call(submit, { token: s.citizen.token, body: aComplaint() });
    const tries = [];
    for (let i = 0; i < 20; i++)
      tries.push(
        await call(track, {
          params: { trackingNo: res.body.trackingNo },
          query: { queryCode: `WRONG${String(i).padStart(3, '0')}` },
        }),
      );
    const right = await call(track, {
      params: { trackingNo: res.body.trackingNo },
      query: { queryCode: res.body.queryCode },
    });
    expect(tries.length).toBeGreaterThan(0);
    expect(tries.every((t) => t.status === 404)).toBe(true);
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('RATE_LIMITED');
  });
});
