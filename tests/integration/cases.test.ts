import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PREFECTURE_ID, shanghaiDate } from '@mashang/shared';
import { get, list } from '../../functions/src/handlers/cases';
import { letter } from '../../functions/src/handlers/letters';
import { summary } from '../../functions/src/handlers/stats';
import { call, loginAs, requestId, uniq } from '../support/api';
import { anEnterprise, anOfficial, getItem, partition } from '../support/builders';
import { submitRating } from '../../functions/src/domain/ratings';
import { K } from '../../functions/src/data/keys';
import { aBadRating, aScene, doAction } from '../support/flows';
import { settleCounters } from '../support/stream';

async function snapshot(caseId: string) {
  const items = await partition(K.casePartition(caseId));
  return { meta: items.find((i) => i.sk === 'META'), timeline: items.filter((i) => i.type === 'timeline').length };
}

describe('case actions', () => {
  test('when the whole loop runs (assign → callback → rectification → close 已整改 → 追评 满意), then every step is on the timeline with actor, role and time', async () => {
    const s = await aScene();
    const caseId = await aBadRating(s, { phone: '13700001234' });

    const steps = [
      await doAction(s.countyInspector.token, caseId, { type: 'assign', assignee: '张科长' }),
      await doAction(s.handler.token, caseId, {
        type: 'callback',
        reached: true,
        note: '已电话联系群众，说明补交材料清单',
      }),
      await doAction(s.handler.token, caseId, {
        type: 'rectification',
        report: '已在窗口张贴一次性告知清单，并对工作人员批评教育',
      }),
      await doAction(s.countyInspector.token, caseId, { type: 'close', outcome: '已整改', note: '核实整改到位' }),
      await doAction(s.citizen.token, caseId, { type: 'follow_up', satisfied: true, comment: '问题解决了' }),
    ];

    expect(steps.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const view = await call(get, { token: s.countyInspector.token, params: { id: caseId } });
    expect(view.body.case).toMatchObject({
      status: 'closed',
      outcome: '已整改',
      callbackDone: true,
      rectificationReported: true,
    });
    expect(view.body.timeline.map((t: any) => t.action)).toEqual([
      'opened',
      'assign',
      'callback',
      'rectification',
      'close',
      'follow_up',
    ]);
    expect(view.body.timeline[2]).toMatchObject({
      actor: { id: s.handler.userId, role: 'handler' },
      data: { reached: true, from: 'in_progress', to: 'in_progress' },
    });
    expect(view.body.timeline.length).toBeGreaterThan(0);
    expect(view.body.timeline.every((t: any) => !Number.isNaN(Date.parse(t.at)))).toBe(true);
    await settleCounters();
    const stat = await getItem(K.statDay(s.region, shanghaiDate(new Date())));
    expect(stat).toMatchObject({
      cases: 1,
      replied: 1,
      callbacks: 1,
      rectified: 1,
      closed: 1,
      followUps: 1,
      satisfiedFollowUps: 1,
    });
  });

  test('when a 追评 is not satisfied, then the case reopens for the department with a new rectification deadline', async () => {
    const s = await aScene();
    const caseId = await aBadRating(s);
    await doAction(s.handler.token, caseId, { type: 'rectification', report: '已整改' });
    await doAction(s.countyInspector.token, caseId, { type: 'close', outcome: '已整改', note: '办结' });

    const r = await doAction(s.citizen.token, caseId, { type: 'follow_up', satisfied: false, comment: '还是老样子' });

    expect(r.body.case.status).toBe('in_progress');
    const { meta } = await snapshot(caseId);
    expect(meta).toMatchObject({ status: 'in_progress', bucket: 'open', rectificationReported: false });
    expect((await getItem(K.due(caseId)))!.gsi1pk).toBe('DUE');
  });

  test.each([
    [
      '已整改 without a rectification report',
      {},
      { type: 'close', outcome: '已整改', note: '办结' },
      'RECTIFICATION_REQUIRED',
    ],
    [
      'a close before the callback when the rater left a phone',
      { phone: '13600002222' },
      { type: 'close', outcome: '情况不属实', note: '经核实不属实' },
      'CALLBACK_REQUIRED',
    ],
  ])('when %s is attempted, then 409 with a stable code and nothing changes', async (_n, rating, action, code) => {
    const s = await aScene();
    const caseId = await aBadRating(s, rating);
    const before = await snapshot(caseId);

    const r = await doAction(s.countyInspector.token, caseId, action);

    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe(code);
    expect(await snapshot(caseId)).toEqual(before);
  });

  test('when a citizen without a phone is closed as 情况不属实, then no callback is needed', async () => {
    const s = await aScene();
    const caseId = await aBadRating(s);
    const r = await doAction(s.countyInspector.token, caseId, {
      type: 'close',
      outcome: '情况不属实',
      note: '调取录像核实，窗口已一次性告知',
    });
    expect(r.body.case.status).toBe('closed');
  });

  // Every action that is illegal from each reachable state: refused with 409 ILLEGAL_TRANSITION, nothing changes.
  const reach: Record<string, (s: Awaited<ReturnType<typeof aScene>>, id: string) => Promise<unknown>> = {
    open: async () => undefined,
    rectified: (s, id) => doAction(s.handler.token, id, { type: 'rectification', report: '已整改' }),
    appealed: (s, id) =>
      doAction(s.staff.token, id, { type: 'appeal', stage: 'file', reason: '该群众当天并未到本窗口办事' }),
    closed: (s, id) =>
      doAction(s.countyInspector.token, id, {
        type: 'close',
        outcome: '不属本单位职责',
        note: '属于税务部门职责，已转办',
      }),
  };
  const illegal: [string, 'inspector' | 'handler' | 'citizen', Record<string, unknown>][] = [
    ['open', 'citizen', { type: 'follow_up', satisfied: true }],
    ['open', 'inspector', { type: 'reopen', reason: '重新办理' }],
    ['open', 'inspector', { type: 'appeal', stage: 'decide', upheld: true, note: '成立' }],
    ['rectified', 'handler', { type: 'rectification', report: '再次整改' }],
    ['rectified', 'inspector', { type: 'reopen', reason: '重新办理' }],
    ['appealed', 'inspector', { type: 'close', outcome: '情况不属实', note: '办结' }],
    ['appealed', 'handler', { type: 'rectification', report: '整改' }],
    ['appealed', 'handler', { type: 'callback', reached: true, note: '回访' }],
    ['closed', 'inspector', { type: 'close', outcome: '情况不属实', note: '再次办结' }],
    ['closed', 'handler', { type: 'callback', reached: true, note: '回访' }],
    ['closed', 'handler', { type: 'rectification', report: '整改' }],
    ['closed', 'inspector', { type: 'assign', assignee: '李四' }],
    ['closed', 'inspector', { type: 'reminder_letter', recipient: '某局', text: '提示' }],
    ['closed', 'handler', { type: 'appeal', stage: 'file', reason: '申诉' }],
  ];
  test.each(illegal)(
    'when the case is %s and the %s tries %j, then 409 ILLEGAL_TRANSITION and nothing changes',
    async (state, who, action) => {
      const s = await aScene();
      const caseId = await aBadRating(s);
      await reach[state](s, caseId);
      const before = await snapshot(caseId);
      const token =
        who === 'inspector' ? s.countyInspector.token : who === 'handler' ? s.handler.token : s.citizen.token;

      const r = await doAction(token, caseId, action);

      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('ILLEGAL_TRANSITION');
      expect(r.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
      expect(await snapshot(caseId)).toEqual(before);
    },
  );

  test("when someone acts outside their role (handler closes, citizen assigns, another county's inspector acts), then they are refused and nothing changes", async () => {
    const s = await aScene();
    const other = await aScene();
    const caseId = await aBadRating(s);
    const before = await snapshot(caseId);

    const handlerClose = await doAction(s.handler.token, caseId, { type: 'close', outcome: '情况不属实', note: 'x' });
    const citizenAssign = await doAction(s.citizen.token, caseId, { type: 'assign', assignee: '我自己' });
    const foreign = await doAction(other.countyInspector.token, caseId, { type: 'assign', assignee: '某人' });
    const stranger = await doAction(other.citizen.token, caseId, { type: 'follow_up', satisfied: true });

    expect(handlerClose.status).toBe(403);
    expect(citizenAssign.status).toBe(403);
    expect(foreign.status).toBe(404);
    expect(stranger.status).toBe(404);
    expect(await snapshot(caseId)).toEqual(before);
  });

  test('when an action is retried with the same requestId, then it is recorded once', async () => {
    const s = await aScene();
    const caseId = await aBadRating(s);
    const body = {
      requestId: 'req-callback-retry-0001' + caseId.slice(-4),
      type: 'callback',
      reached: false,
      note: '未接通',
    };
    const { act } = await import('../../functions/src/handlers/cases');
    const [a, b] = await Promise.all([
      call(act, { token: s.handler.token, params: { id: caseId }, body }),
      call(act, { token: s.handler.token, params: { id: caseId }, body }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body).toEqual(b.body);
    const view = await call(get, { token: s.handler.token, params: { id: caseId } });
    expect(view.body.timeline.filter((t: any) => t.action === 'callback')).toHaveLength(1);
  });

  test('when malformed actions arrive, then 400 and nothing changes', async () => {
    const s = await aScene();
    const caseId = await aBadRating(s);
    const before = await snapshot(caseId);
    const bad = [
      { type: 'explode' },
      { type: 'close', outcome: '已处理', note: 'x' },
      { type: 'callback', reached: 'yes', note: 'x' },
      { type: 'callback', reached: true, note: '' },
      { type: 'rectification', report: '字'.repeat(3001) },
    ];
    for (const b of bad) {
      const r = await doAction(s.countyInspector.token, caseId, b);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect(await snapshot(caseId)).toEqual(before);
  });

  test('when a window appeals and the inspector upholds it, then the case closes as 申诉成立 and the rating leaves the statistics but stays stored', async () => {
    const s = await aScene();
    const caseId = await aBadRating(s);
    const date = shanghaiDate(new Date());
    await settleCounters();
    expect(await getItem(K.statDay(s.window.path, date))).toMatchObject({ ratings: 1, bad: 1, l1: 1 });

    const filed = await doAction(s.staff.token, caseId, {
      type: 'appeal',
      stage: 'file',
      reason: '监控显示该时段无此业务办理',
    });
    const decided = await doAction(s.countyInspector.token, caseId, {
      type: 'appeal',
      stage: 'decide',
      upheld: true,
      note: '经调取监控核实，评价与事实不符',
    });

    expect(filed.body.case.status).toBe('appealed');
    expect(decided.body.case.status).toBe('closed');
    const kase = (await snapshot(caseId)).meta!;
    expect(kase.outcome).toBe('申诉成立');
    expect(await getItem(K.statDay(s.window.path, date))).toMatchObject({
      ratings: 0,
      bad: 0,
      l1: 0,
      appealsUpheld: 1,
    });
    expect(await getItem(K.rating(kase.ratingId))).toMatchObject({ level: 1, excluded: true });
  });

  test("when the upheld appeal is about an enterprise's 差评, then the rating leaves the enterprise counters (企业评价) too", async () => {
    const s = await aScene();
    const { enterprise } = await anEnterprise(s.department.regionId);
    const contact = { userId: uniq('contact-'), grants: [{ role: 'enterprise' as const, scope: enterprise.path }] };
    const now = new Date();
    const date = shanghaiDate(now);
    const rated = await submitRating(
      contact,
      { requestId: requestId(), code: s.code, level: 2, reasons: ['推诿扯皮'], comment: '企业办事多次往返' },
      now,
    );
    const caseId = rated.caseId!;
    await settleCounters();
    expect(await getItem(K.statDay(s.window.path, date))).toMatchObject({ ratings: 1, bad: 1, l2: 1, entRatings: 1 });

    await doAction(s.staff.token, caseId, { type: 'appeal', stage: 'file', reason: '该企业当日未在本窗口办理业务' });
    const decided = await doAction(s.countyInspector.token, caseId, {
      type: 'appeal',
      stage: 'decide',
      upheld: true,
      note: '经核实，评价与事实不符',
    });
    await settleCounters();

    expect(decided.body.case.status).toBe('closed');
    // Every scope of the window (window, department, region, prefecture) has the rating taken away as a whole.
    for (const path of [s.window.path, s.department.path, s.region]) {
      expect(await getItem(K.statDay(path, date))).toMatchObject({ entRatings: 0, entGood: 0 });
    }
    expect(await getItem(K.statDay(s.window.path, date))).toMatchObject({ ratings: 0, bad: 0, l2: 0 });
    const view = await call(summary, {
      token: s.countyInspector.token,
      query: { scope: s.department.path, from: date, to: date },
    });
    expect(view.body.ratings).toMatchObject({ total: 0, citizen: 0, enterprise: 0 });
  });

  test('when an appeal is rejected, then the case goes back to work', async () => {
    const s = await aScene();
    const caseId = await aBadRating(s);
    await doAction(s.handler.token, caseId, { type: 'appeal', stage: 'file', reason: '恶意差评' });
    const r = await doAction(s.countyInspector.token, caseId, {
      type: 'appeal',
      stage: 'decide',
      upheld: false,
      note: '理由不成立',
    });
    expect(r.body.case.status).toBe('in_progress');
  });
});

describe('reminder letters', () => {
  test('when inspectors issue letters, then they are numbered per issuer and year and printable as PDF with Chinese glyphs', async () => {
    const s = await aScene();
    const prefecture = await anOfficial([{ role: 'inspector', scope: PREFECTURE_ID }]);
    const pToken = (await loginAs(prefecture.loginCode)).token;
    const caseId = await aBadRating(s);
    const year = Number(shanghaiDate(new Date()).slice(0, 4));

    const a = await doAction(pToken, caseId, {
      type: 'reminder_letter',
      recipient: s.department.name,
      text: '请于 3 个工作日内核查整改并书面报告。',
    });
    const b = await doAction(pToken, caseId, {
      type: 'reminder_letter',
      recipient: s.department.name,
      text: '第二次提示。',
    });

    const na = Number(/〔\d+〕(\d+)号/.exec(a.body.letter.no)![1]);
    expect(a.body.letter.no).toBe(`海北纪提〔${year}〕${na}号`);
    expect(b.body.letter.no).toBe(`海北纪提〔${year}〕${na + 1}号`);
    const file = `${a.body.letter.no}.pdf`;
    const pdf = await call(letter, { token: pToken, params: { id: caseId, file } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const bytes = Buffer.from(String(pdf.body), 'base64');
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.toString('latin1')).toMatch(/NotoSansSC/);
    expect(bytes.length).toBeLessThan(400_000); // only the glyphs used are embedded, not the 10 MB font
    // poppler's pdftotext (installed by .ci/run) reads the Chinese back: the glyphs map to the right characters
    const file0 = join(mkdtempSync(join(tmpdir(), 'letter-')), 'l.pdf');
    writeFileSync(file0, bytes);
    const text = execFileSync('pdftotext', [file0, '-']).toString().replace(/\s+/g, '');
    expect(text).toContain('工作提示函');
    expect(text).toContain(a.body.letter.no);
    expect(text).toContain('请于3个工作日内核查整改并书面报告。');
    expect(text).toContain(`受文单位：${s.department.name}`);
    expect((await call(letter, { token: s.citizen.token, params: { id: caseId, file } })).status).toBe(404);
    expect(
      (await call(letter, { token: pToken, params: { id: caseId, file: '海北纪提〔1999〕1号.pdf' } })).status,
    ).toBe(404);
  });

  test('when a county inspector issues a letter, then it carries the county prefix; a handler may not issue one', async () => {
    const s = await aScene();
    const caseId = await aBadRating(s);
    const r = await doAction(s.countyInspector.token, caseId, {
      type: 'reminder_letter',
      recipient: s.department.name,
      text: '请整改。',
    });
    expect(r.body.letter.no).toMatch(/^海北纪提〔\d{4}〕\d+号$/); // a test region falls back to the prefecture prefix
    expect(
      (await doAction(s.handler.token, caseId, { type: 'reminder_letter', recipient: 'x', text: 'y' })).status,
    ).toBe(403);
  });
});

describe('case lists and statistics', () => {
  test('when officials list cases, then each sees only their scope, by status', async () => {
    const s = await aScene();
    const other = await aScene();
    const mine = await aBadRating(s);
    const theirs = await aBadRating(other);
    await doAction(s.countyInspector.token, mine, { type: 'close', outcome: '情况不属实', note: '不属实' });
    const second = await aBadRating({ ...s, citizen: await loginAs('citizen-second-' + mine) });

    const open = await call(list, { token: s.handler.token, query: { status: 'open' } });
    const closed = await call(list, { token: s.countyInspector.token, query: { status: 'closed' } });

    expect(open.body.items.map((c: any) => c.id)).toEqual([second]);
    expect(closed.body.items.map((c: any) => c.id)).toEqual([mine]);
    const ids = [...open.body.items, ...closed.body.items].map((c: any) => c.id);
    expect(ids).not.toContain(theirs);
    expect(JSON.stringify(open.body)).not.toMatch(/userId|phone/);
    expect((await call(list, { token: s.citizen.token })).status).toBe(403);
    expect((await call(list, { token: s.handler.token, query: { scope: other.region } })).status).toBe(403);
    expect((await call(list, { token: s.handler.token, query: { status: 'lost' } })).status).toBe(400);
  });

  test("when the summary is read, then it comes from the counters of the caller's scope", async () => {
    const s = await aScene();
    const a = await aBadRating(s, { phone: '13500001111' });
    await aBadRating({ ...s, citizen: await loginAs('citizen-b-' + a) });
    await doAction(s.handler.token, a, { type: 'callback', reached: true, note: '已回访' });
    await settleCounters();

    const r = await call(summary, { token: s.countyInspector.token });

    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      scope: s.region,
      ratings: { total: 2, byLevel: { 1: 2, 5: 0 } },
      goodRate: 0,
      badCount: 2,
      cases: { opened: 2, replied: 1 },
      badReplyRate: 50,
      open: 2,
      overdue: 0,
    });
    expect((await call(summary, { token: s.handler.token, query: { scope: s.region } })).status).toBe(403);
    expect((await call(summary, { token: s.citizen.token })).status).toBe(403);
    expect(
      (await call(summary, { token: s.countyInspector.token, query: { from: '2026-12-01', to: '2026-11-01' } })).status,
    ).toBe(400);
  });
});
