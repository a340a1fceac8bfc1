import { PREFECTURE_ID } from '@mashang/shared';
import { lists, mine, submit, track } from '../../functions/src/handlers/complaints';
import { get, list } from '../../functions/src/handlers/cases';
import { call, loginAs, requestId, uniq } from '../support/api';
import { anOfficial, partition } from '../support/builders';
import { K } from '../../functions/src/data/keys';
import { aBadRating, aScene, doAction } from '../support/flows';

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

  test('when a real-name complaint is filed, then only inspectors see it, its text and (by a reveal) the contact; the department sees nothing until it is forwarded', async () => {
    const s = await aScene();
    const res = await call(submit, {
      token: s.citizen.token,
      body: aComplaint({ code: s.code, anonymous: false, name: '王秀兰', phone: '13912340000' }),
    });

    const asHandler = await call(get, { token: s.handler.token, params: { id: res.body.caseId } });
    const asStaff = await call(get, { token: s.staff.token, params: { id: res.body.caseId } });
    const asInspector = await call(get, { token: s.countyInspector.token, params: { id: res.body.caseId } });
    const handlerList = await call(list, { token: s.handler.token, query: { status: 'open' } });

    expect(asHandler.status).toBe(404);
    expect(asStaff.status).toBe(404);
    expect(handlerList.body.items.map((c: any) => c.id)).not.toContain(res.body.caseId);
    expect(asInspector.status).toBe(200);
    expect(asInspector.body.originalText).toContain('玩手机');
    expect(asInspector.body.mayRevealContact).toBe(true);
    expect(JSON.stringify(asInspector.body)).not.toMatch(/王秀兰|1391234|13912340000/);
    expect(asInspector.body.availableActions).toContain('forward');
    const stored = await partition(`CASE#${res.body.caseId}`);
    expect(JSON.stringify(stored)).not.toMatch(/王秀兰|13912340000/);
  });

  test('when an inspector forwards a complaint (转办), then the department reads only the forwarded text: never the original, the tracking number or the real-name flag', async () => {
    const s = await aScene();
    const res = await call(submit, {
      token: s.citizen.token,
      body: aComplaint({ code: s.code, anonymous: false, name: '王秀兰', phone: '13912340000' }),
    });
    const before = await doAction(s.handler.token, res.body.caseId, {
      type: 'callback',
      reached: true,
      note: '已联系',
    });
    const appeal = await doAction(s.staff.token, res.body.caseId, {
      type: 'appeal',
      stage: 'file',
      reason: '恶意投诉',
    });

    const fwd = await doAction(s.countyInspector.token, res.body.caseId, {
      type: 'forward',
      text: '请核查窗口工作纪律，督促整改',
    });
    const again = await doAction(s.countyInspector.token, res.body.caseId, { type: 'forward', text: '再转一次' });
    const asHandler = await call(get, { token: s.handler.token, params: { id: res.body.caseId } });
    const asStaff = await call(get, { token: s.staff.token, params: { id: res.body.caseId } });
    const staffAppeal = await doAction(s.staff.token, res.body.caseId, {
      type: 'appeal',
      stage: 'file',
      reason: '恶意投诉',
    });
    const handlerList = await call(list, { token: s.handler.token, query: { status: 'open' } });

    expect(before.status).toBe(404);
    expect(appeal.status).toBe(404);
    expect(fwd.status).toBe(200);
    expect(again.status).toBe(409);
    expect(asHandler.status).toBe(200);
    expect(asHandler.body.case.summary).toBe('【服务意识不强】请核查窗口工作纪律，督促整改');
    expect(asHandler.body.case.forwarded).toBe(true);
    const seen = JSON.stringify(asHandler.body) + JSON.stringify(asStaff.body);
    expect(seen).not.toMatch(/玩手机|王秀兰|13912340000|TS\d{8}|anonymous|实名/);
    expect(seen).not.toContain(res.body.trackingNo);
    expect(asHandler.body.originalText).toBeUndefined();
    expect(asHandler.body.mayRevealContact).toBe(false);
    expect(staffAppeal.status).toBe(409);
    expect(staffAppeal.body.error.message).toMatch(/只适用于评价/);
    expect(handlerList.body.items.map((c: any) => c.id)).toContain(res.body.caseId);
    expect(
      (await doAction(s.handler.token, res.body.caseId, { type: 'rectification', report: '已对窗口人员批评教育' }))
        .status,
    ).toBe(200);
  });

  test('when an inspector tries to forward the case of a rating, then 409: only complaints are forwarded', async () => {
    const s = await aScene();
    const caseId = await aBadRating(s);
    const r = await doAction(s.countyInspector.token, caseId, { type: 'forward', text: '转办' });
    expect(r.status).toBe(409);
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
    expect(view.body.originalText).toContain('吃拿卡要');
  });

  test('when the same complaint is retried, then the same number and query code come back and one case exists', async () => {
    const s = await aScene();
    const body = aComplaint({ code: s.code });
    const [a, b] = [
      await call(submit, { token: s.citizen.token, body }),
      await call(submit, { token: s.citizen.token, body }),
    ];
    expect(b.body).toEqual(a.body);
    const open = await call(list, { token: s.countyInspector.token, query: { status: 'open', scope: s.region } });
    expect(open.body.items.filter((c: any) => c.id === a.body.caseId)).toHaveLength(1);
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
  test('when one caller tries a tracking number more than 20 times in an hour, then that caller gets RATE_LIMITED (429) and the complainant still gets in', async () => {
    const s = await aScene();
    const res = await call(submit, { token: s.citizen.token, body: aComplaint() });
    const tries = [];
    for (let i = 0; i < 20; i++) {
      tries.push(
        await call(track, {
          sourceIp: '10.9.9.9',
          params: { trackingNo: res.body.trackingNo },
          query: { queryCode: `WRONG${String(i).padStart(3, '0')}` },
        }),
      );
    }
    const guesserRight = await call(track, {
      sourceIp: '10.9.9.9',
      params: { trackingNo: res.body.trackingNo },
      query: { queryCode: res.body.queryCode },
    });
    const complainant = await call(track, {
      sourceIp: '10.9.9.9',
      token: s.citizen.token,
      params: { trackingNo: res.body.trackingNo },
      query: { queryCode: res.body.queryCode },
    });
    const fromElsewhere = await call(track, {
      params: { trackingNo: res.body.trackingNo },
      query: { queryCode: res.body.queryCode },
    });
    expect(tries.length).toBeGreaterThan(0);
    expect(tries.every((t) => t.status === 404)).toBe(true);
    expect(guesserRight.status).toBe(429);
    expect(guesserRight.body.error.code).toBe('RATE_LIMITED');
    expect(complainant.status).toBe(200);
    expect(fromElsewhere.status).toBe(200);
  });

  test('when a tracking number is typed with spaces and in lower case, then it is found', async () => {
    const s = await aScene();
    const res = await call(submit, { token: s.citizen.token, body: aComplaint() });
    const r = await call(track, {
      params: { trackingNo: ` ${res.body.trackingNo.toLowerCase()} ` },
      query: { queryCode: ` ${res.body.queryCode.toLowerCase()} ` },
    });
    expect(r.status).toBe(200);
    expect(r.body.trackingNo).toBe(res.body.trackingNo);
  });
});

describe('content check on complaints and notes (flags, never refuses)', () => {
  test('when a complaint reports gambling in the office, then it is accepted and the inspectors see it flagged', async () => {
    const s = await aScene();
    const r = await call(submit, {
      token: s.citizen.token,
      body: aComplaint({ code: s.code, category: '为官不为懒政怠政', content: '副局长上班时间在办公室组织赌博' }),
    });
    expect(r.status).toBe(201);
    const view = await call(get, { token: s.countyInspector.token, params: { id: r.body.caseId } });
    expect(view.body.case.contentFlag).toBe('risky');
    expect(view.body.originalText).toBe('副局长上班时间在办公室组织赌博');
  });

  test("when an official's note mentions 赌博, then the action is recorded and its timeline entry is flagged", async () => {
    const s = await aScene();
    const caseId = await aBadRating(s, { phone: '13812345678' });
    const r = await doAction(s.handler.token, caseId, {
      type: 'callback',
      reached: true,
      note: '评价人反映有人在窗口聚众赌博，已转纪检',
    });
    expect(r.status).toBe(200);
    const view = await call(get, { token: s.countyInspector.token, params: { id: caseId } });
    expect(view.body.timeline.find((t: any) => t.action === 'callback').data.contentFlag).toBe('risky');
  });

  test('when a 追评 reports 赌博, then it is recorded (the case reopens) and its timeline entry is flagged for officials', async () => {
    const s = await aScene();
    const caseId = await aBadRating(s);
    await doAction(s.countyInspector.token, caseId, { type: 'close', outcome: '情况不属实', note: '不属实' });
    const r = await doAction(s.citizen.token, caseId, {
      type: 'follow_up',
      satisfied: false,
      comment: '窗口负责人上班时间仍在组织赌博，没有整改',
    });
    expect(r.status).toBe(200);
    const view = await call(get, { token: s.countyInspector.token, params: { id: caseId } });
    const entry = view.body.timeline.find((t: any) => t.action === 'follow_up');
    expect(JSON.stringify(entry)).toContain('窗口负责人上班时间仍在组织赌博，没有整改');
    expect(entry.data.contentFlag).toBe('risky');
  });
});
