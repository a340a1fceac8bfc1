import { get as getCase, list as listCases } from '../../functions/src/handlers/cases';
import { submit as submitWindowRating } from '../../functions/src/handlers/scan';
import { subscribe } from '../../functions/src/handlers/subscriptions';
import { summary } from '../../functions/src/handlers/stats';
import {
  frequency,
  get,
  list,
  mine,
  ofEnterprise,
  rate,
  register,
  warnings,
  withdraw,
} from '../../functions/src/handlers/visits';
import { rateVisit } from '../../functions/src/domain/visits';
import { list as auditList } from '../../functions/src/handlers/audit';
import { loadUser } from '../../functions/src/data/users';
import { call, loginAs, requestId, uniq } from '../support/api';
import { anOfficial, aWindow, getItem, partition, put, removeItem } from '../support/builders';
import { failNext, smsMessages, wechatMessages } from '../support/standin';
import { settleCounters, StreamTap } from '../support/stream';
import { aVisit, aVisitScene, bindContact } from '../support/visit-flows';
import { PREFECTURE_ID, shanghaiDate } from '@mashang/shared';
import { K } from '../../functions/src/data/keys';

const today = () => shanghaiDate(new Date());
const stat = async (path: string, date = today()) => (await getItem({ pk: `STAT#${path}`, sk: `D#${date}` })) ?? {};
const ago = (ms: number) => new Date(Date.now() - ms);
const HOUR = 3600_000;
const DAY = 86400_000;

async function session(userId: string) {
  return { userId, grants: (await loadUser(userId)).grants };
}

describe('visit registration (访企登记)', () => {
  test('when a visiting official registers a visit by the enterprise code, then it is stored, counted and queued for notice', async () => {
    const s = await aVisitScene();

    const r = await call(register, {
      token: s.cadre.token,
      body: { requestId: requestId(), code: s.code, purpose: '送政策', companions: ['李明', '王芳'] },
    });

    expect(r.status).toBe(201);
    const v = r.body.visit;
    expect(v).toMatchObject({
      enterprise: { id: s.enterprise.id },
      department: { id: s.department.id },
      purpose: '送政策',
      companions: ['李明', '王芳'],
      status: 'active',
    });
    expect(Date.parse(v.withdrawableUntil) - Date.parse(v.createdAt)).toBe(HOUR);
    expect(Date.parse(v.rateBy) - Date.parse(v.createdAt)).toBe(7 * DAY);
    const items = await partition(`VISIT#${v.id}`);
    expect(items.map((i) => i.type).sort()).toEqual(['visit', 'visit-event', 'visit-pointer']);
    for (const p of [s.department.path, s.region, s.enterprise.path, `official/${s.cadre.userId}`])
      expect((await stat(p)).visits).toBe(1);
  });

  test.each([
    ['no purpose', { purpose: undefined }],
    ['an unknown purpose', { purpose: '吃饭' }],
    ['其他 without a note', { purpose: '其他', note: undefined }],
    ['a time in the future', { visitedAt: new Date(Date.now() + 2 * HOUR).toISOString() }],
    ['a time more than 3 days back', { visitedAt: new Date(Date.now() - 3 * DAY - HOUR).toISOString() }],
    ['eleven companions', { companions: Array.from({ length: 11 }, (_, i) => `同行${i}`) }],
  ])('when a visit has %s, then VALIDATION_FAILED and nothing is stored', async (_n, change) => {
    const s = await aVisitScene();
    const r = await call(register, {
      token: s.cadre.token,
      body: { requestId: requestId(), code: s.code, purpose: '调研', note: '了解情况', ...change },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('VALIDATION_FAILED');
    expect(r.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    expect((await call(mine, { token: s.cadre.token })).body.items).toEqual([]);
    expect((await stat(s.department.path)).visits).toBeUndefined();
  });

  test('when a visit two days ago is registered, then it is accepted with that time', async () => {
    const s = await aVisitScene();
    const visitedAt = new Date(Date.now() - 2 * DAY).toISOString();
    const r = await call(register, {
      token: s.cadre.token,
      body: { requestId: requestId(), code: s.code, purpose: '检查', visitedAt },
    });
    expect(r.status).toBe(201);
    expect(r.body.visit.visitedAt).toBe(visitedAt);
    expect((await stat(s.department.path, shanghaiDate(visitedAt))).visits).toBe(1);
  });

  test('when the same registration is sent twice, then one visit is stored; the same requestId with another body is refused', async () => {
    const s = await aVisitScene();
    const body = { requestId: requestId(), code: s.code, purpose: '调研' };
    const [a, b] = await Promise.all([
      call(register, { token: s.cadre.token, body }),
      call(register, { token: s.cadre.token, body }),
    ]);
    const c = await call(register, { token: s.cadre.token, body: { ...body, purpose: '检查' } });

    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.visit.id).toBe(a.body.visit.id);
    expect(c.status).toBe(409);
    expect(c.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await call(mine, { token: s.cadre.token })).body.items).toHaveLength(1);
    expect((await stat(s.department.path)).visits).toBe(1);
  });

  test('when someone without the visiting-official role, or a window code, is used, then it is refused', async () => {
    const s = await aVisitScene();
    const w = await aWindow();
    const citizen = await call(register, {
      token: (await loginAs(uniq('citizen-'))).token,
      body: { requestId: requestId(), code: s.code, purpose: '调研' },
    });
    const handler = await call(register, {
      token: s.handler.token,
      body: { requestId: requestId(), code: s.code, purpose: '调研' },
    });
    const windowCode = await call(register, {
      token: s.cadre.token,
      body: { requestId: requestId(), code: w.code, purpose: '调研' },
    });
    expect(citizen.status).toBe(403);
    expect(handler.status).toBe(403);
    expect(windowCode.status).toBe(400);
    expect((await stat(s.department.path)).visits).toBeUndefined();
  });

  test('when the official withdraws within the hour, then the visit is withdrawn and uncounted; again changes nothing; others cannot', async () => {
    const s = await aVisitScene();
    const v = await aVisit(s, s.cadre);

    const other = await call(withdraw, { token: s.otherCadre.token, params: { id: v.id }, body: {} });
    const first = await call(withdraw, { token: s.cadre.token, params: { id: v.id }, body: { reason: '误登记' } });
    const second = await call(withdraw, { token: s.cadre.token, params: { id: v.id }, body: {} });

    expect(other.status).toBe(404);
    expect(first.status).toBe(200);
    expect(first.body.visit.status).toBe('withdrawn');
    expect(second.body.visit.withdrawnAt).toBe(first.body.visit.withdrawnAt);
    expect(await getItem({ pk: `VISIT#${v.id}`, sk: 'META' })).toMatchObject({
      status: 'withdrawn',
      withdrawReason: '误登记',
    });
    expect(await stat(s.department.path)).toMatchObject({ visits: 0, visitsWithdrawn: 1 });
    const trail = await call(auditList, { token: s.inspector.token, query: { targetKind: 'visit', targetId: v.id } });
    expect(trail.body.items).toEqual([
      expect.objectContaining({
        action: 'visit.withdraw',
        actor: expect.objectContaining({ userId: s.cadre.userId }),
        reason: '误登记',
      }),
    ]);
  });

  test('when more than an hour has passed, then withdrawing is refused and nothing changes', async () => {
    const s = await aVisitScene();
    const v = await aVisit(s, s.cadre, { at: ago(HOUR + 60_000) });
    const r = await call(withdraw, { token: s.cadre.token, params: { id: v.id }, body: {} });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('WITHDRAW_WINDOW_PASSED');
    expect((await getItem({ pk: `VISIT#${v.id}`, sk: 'META' }))!.status).toBe('active');
  });
});

describe('the enterprise is told of the visit', () => {
  let tap: StreamTap;
  beforeEach(async () => {
    tap = await new StreamTap().start();
  });
  afterEach(async () => {
    await failNext('wechat', 0);
  });

  test('when a subscribed contact exists, then a WeChat message links to the rating page; an unsubscribed one gets an SMS with the link', async () => {
    const s = await aVisitScene();
    await call(subscribe, { token: s.contact.token, body: { accepted: true } });
    const second = await bindContact(s.operator.token, s.code, s.enterprise.id, { phone: '13911112222' });
    const v = await aVisit(s, s.cadre);

    await tap.pump();

    const wx = (await wechatMessages()).filter((m) => m.page === `visits/pages/rate/index?id=${v.id}`);
    expect(wx).toHaveLength(1);
    expect(wx[0].data.thing1.value).toBe(s.department.name.slice(0, 20));
    const sms = (await smsMessages()).filter((m) => m.data[3] === `https://mashang.haibei.gov.cn/v/${v.id}`);
    expect(sms.map((m) => m.recipient)).toEqual(['+8613911112222']);
    const alerts = (await partition(`VISIT#${v.id}`)).filter((i) => i.type === 'alert');
    expect(alerts.map((a) => [a.recipientId, a.status, a.channel]).sort()).toEqual(
      [
        [s.contact.userId, 'sent', 'wechat'],
        [second.userId, 'sent', 'sms'],
      ].sort(),
    );

    // A redelivered stream record sends nothing again.
    const before = (await wechatMessages()).length;
    await tap.pump();
    expect((await wechatMessages()).length).toBe(before);
  });

  test('when WeChat fails, then the notice falls back to SMS to the registry contact phone', async () => {
    const s = await aVisitScene();
    await call(subscribe, { token: s.contact.token, body: { accepted: true } });
    await failNext('wechat', 1000);
    const v = await aVisit(s, s.cadre);

    await tap.pump();

    const sms = (await smsMessages()).filter((m) => m.data[3] === `https://mashang.haibei.gov.cn/v/${v.id}`);
    expect(sms.map((m) => m.recipient)).toEqual(['+8613700001234']);
    const alert = (await partition(`VISIT#${v.id}`)).find((i) => i.type === 'alert');
    expect(alert).toMatchObject({ status: 'sent', channel: 'sms', recipientRole: 'enterprise' });
  });

  test('when the visit is withdrawn before the notice leaves, then no one is asked to rate it', async () => {
    const s = await aVisitScene();
    const v = await aVisit(s, s.cadre);
    await call(withdraw, { token: s.cadre.token, params: { id: v.id }, body: {} });

    await tap.pump();

    expect((await wechatMessages()).filter((m) => m.page?.includes(v.id))).toEqual([]);
    expect((await smsMessages()).filter((m) => String(m.data[3]).includes(v.id))).toEqual([]);
  });
});

describe('the enterprise rates the visit', () => {
  const good = (body: Record<string, unknown> = {}) => ({
    requestId: requestId(),
    level: 5,
    solved: 'yes',
    comment: '帮我们协调了用电',
    ...body,
  });

  test('when a bound contact rates 非常满意, then the rating is stored once, counted, and the official sees it without who rated', async () => {
    const s = await aVisitScene();
    const v = await aVisit(s, s.cadre);
    const body = good();

    const r = await call(rate, { token: s.contact.token, params: { id: v.id }, body });
    const again = await call(rate, { token: s.contact.token, params: { id: v.id }, body });

    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ caseId: null, rating: { visitId: v.id, level: 5, solved: 'yes' } });
    expect(again.body).toEqual(r.body);
    for (const p of [s.department.path, s.enterprise.path, `official/${s.cadre.userId}`]) {
      expect(await stat(p)).toMatchObject({ visitRatings: 1, vl5: 1, visitGood: 1, visitBad: 0, visitSolved: 1 });
    }
    const mineRes = await call(mine, { token: s.cadre.token });
    expect(mineRes.body.items[0].rating).toMatchObject({ level: 5, comment: '帮我们协调了用电' });
    expect(JSON.stringify(mineRes.body)).not.toContain(s.contact.userId);
    const own = await call(get, { token: s.cadre.token, params: { id: v.id } });
    expect(JSON.stringify(own.body)).not.toContain(s.contact.userId);
    expect(await getItem({ pk: `VISIT#${v.id}`, sk: 'RATER' })).toMatchObject({ userId: s.contact.userId });
  });

  test('when a second contact of the same enterprise rates, then ALREADY_RATED and they see the first rating', async () => {
    const s = await aVisitScene();
    const second = await bindContact(s.operator.token, s.code, s.enterprise.id);
    const v = await aVisit(s, s.cadre);
    await call(rate, { token: s.contact.token, params: { id: v.id }, body: good() });

    const r = await call(rate, { token: second.token, params: { id: v.id }, body: good({ level: 1, solved: 'no' }) });
    const seen = await call(get, { token: second.token, params: { id: v.id } });

    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('ALREADY_RATED');
    expect(seen.body).toMatchObject({ visit: { rating: { level: 5 } }, canRate: false });
    expect((await stat(s.department.path)).visitRatings).toBe(1);
  });

  test('when a contact rates 不满意 citing 吃拿卡要, then a visit case opens against the department, seen by its handler and the inspector', async () => {
    const s = await aVisitScene();
    const v = await aVisit(s, s.cadre);
    const tap = await new StreamTap().start();

    const r = await call(rate, {
      token: s.contact.token,
      params: { id: v.id },
      body: good({ level: 2, negativeItemIds: ['N2'], solved: 'no', comment: '要求吃饭' }),
    });

    expect(r.status).toBe(201);
    const caseId = r.body.caseId;
    expect(caseId).toMatch(/^\d{8}-/);
    const c = await call(getCase, { token: s.handler.token, params: { id: caseId } });
    expect(c.status).toBe(200);
    expect(c.body.case).toMatchObject({
      source: 'visit',
      status: 'open',
      path: s.department.path,
      department: { id: s.department.id },
      visit: { id: v.id, negativeItemIds: ['N2'] },
    });
    expect(c.body.case.summary).toMatch(/吃拿卡要/);
    expect(c.body.timeline[0].note).toMatch(/走访/);
    const list = await call(listCases, { token: s.inspector.token, query: { status: 'open' } });
    expect(list.body.items.map((i: any) => i.id)).toContain(caseId);
    expect(await stat(s.department.path)).toMatchObject({ visitBad: 1, visitNegative: 1, cases: 1, visitCases: 1 });
    await tap.pump();
    const alerted = (await wechatMessages(caseId)).map((m) => m.recipient);
    expect(alerted.length).toBeGreaterThanOrEqual(2);
    // The official who visited is told of the rating, not of who gave it.
    const own = await call(get, { token: s.cadre.token, params: { id: v.id } });
    expect(own.body.visit).toMatchObject({ rating: { level: 2 }, caseId });
    expect(JSON.stringify(own.body)).not.toContain(s.contact.userId);
    // Nor does the case reach them (it would carry the rater's masked phone).
    expect((await call(getCase, { token: s.cadre.token, params: { id: caseId } })).status).toBe(404);
  });

  test('when a 满意 rating cites a negative-list item, then it still opens a case', async () => {
    const s = await aVisitScene();
    const v = await aVisit(s, s.cadre);
    const r = await call(rate, {
      token: s.contact.token,
      params: { id: v.id },
      body: good({ level: 4, negativeItemIds: ['N3'] }),
    });
    expect(r.body.caseId).toEqual(expect.any(String));
  });

  test('when the rating comes after 7 days, or for a withdrawn visit, or from someone not bound, then it is refused and nothing is stored', async () => {
    const s = await aVisitScene();
    const old = await aVisit(s, s.cadre, { at: ago(7 * DAY + HOUR) });
    const withdrawn = await aVisit(s, s.cadre);
    await call(withdraw, { token: s.cadre.token, params: { id: withdrawn.id }, body: {} });
    const fresh = await aVisit(s, s.cadre);
    const other = await aVisitScene();

    const late = await call(rate, { token: s.contact.token, params: { id: old.id }, body: good() });
    const wd = await call(rate, { token: s.contact.token, params: { id: withdrawn.id }, body: good() });
    const stranger = await call(rate, {
      token: (await loginAs(uniq('citizen-'))).token,
      params: { id: fresh.id },
      body: good(),
    });
    const otherContact = await call(rate, { token: other.contact.token, params: { id: fresh.id }, body: good() });
    const badItem = await call(rate, {
      token: s.contact.token,
      params: { id: fresh.id },
      body: good({ negativeItemIds: ['N99'] }),
    });

    expect([late.status, late.body.error.code]).toEqual([409, 'RATING_WINDOW_PASSED']);
    expect([wd.status, wd.body.error.code]).toEqual([409, 'VISIT_WITHDRAWN']);
    expect(stranger.status).toBe(403);
    expect(otherContact.status).toBe(403);
    expect([badItem.status, badItem.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    for (const v of [old, withdrawn, fresh])
      expect(await getItem({ pk: `VISIT#${v.id}`, sk: 'RATING' })).toBeUndefined();
  });

  test('when a 6-day-old visit is rated through the use case, then it is accepted (the window is 7 days)', async () => {
    const s = await aVisitScene();
    const v = await aVisit(s, s.cadre, { at: ago(6 * DAY) });
    const r = await rateVisit(await session(s.contact.userId), v.id, good(), new Date());
    expect(r.caseId).toBeNull();
  });

  test('when an unbound contact still holds a token with the enterprise role, then rating is refused', async () => {
    const s = await aVisitScene();
    const v = await aVisit(s, s.cadre);
    const { unbind } = await import('../../functions/src/handlers/enterprises');
    const u = await call(unbind, {
      token: s.operator.token,
      params: { id: s.enterprise.id, userId: s.contact.userId },
    });
    expect(u.status).toBe(200);
    const r = await call(rate, { token: s.contact.token, params: { id: v.id }, body: good() });
    // Unbinding changed the contact's grants: the token still naming the enterprise role is refused outright.
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    expect(await getItem({ pk: `VISIT#${v.id}`, sk: 'RATING' })).toBeUndefined();
  });
});

describe('visit lists, counters and statistics', () => {
  test('the enterprise log lists visits with ratings; pending lists only unrated, active ones; outsiders are refused', async () => {
    const s = await aVisitScene();
    const rated = await aVisit(s, s.cadre);
    const pending = await aVisit(s, s.otherCadre);
    const gone = await aVisit(s, s.cadre);
    await call(withdraw, { token: s.cadre.token, params: { id: gone.id }, body: {} });
    await call(rate, {
      token: s.contact.token,
      params: { id: rated.id },
      body: { requestId: requestId(), level: 4, solved: 'partly' },
    });

    const log = await call(ofEnterprise, { token: s.contact.token, params: { id: s.enterprise.id } });
    const todo = await call(ofEnterprise, {
      token: s.contact.token,
      params: { id: s.enterprise.id },
      query: { pending: 'true' },
    });
    const byInspector = await call(ofEnterprise, { token: s.inspector.token, params: { id: s.enterprise.id } });
    const byCitizen = await call(ofEnterprise, {
      token: (await loginAs(uniq('citizen-'))).token,
      params: { id: s.enterprise.id },
    });
    const byHandler = await call(ofEnterprise, { token: s.handler.token, params: { id: s.enterprise.id } });

    expect(log.body.items).toHaveLength(3);
    expect(log.body.items.find((v: any) => v.id === rated.id).rating.level).toBe(4);
    expect(todo.body.items.map((v: any) => v.id)).toEqual([pending.id]);
    expect(byInspector.body.items).toHaveLength(3);
    expect(byCitizen.status).toBe(403);
    expect(byHandler.status).toBe(403);
  });

  test('inspectors list the visits of their county; an inspector of another county cannot', async () => {
    const s = await aVisitScene();
    const v = await aVisit(s, s.cadre);
    const outsider = (
      await loginAs((await anOfficial([{ role: 'inspector', scope: `haibei/${uniq('r')}` }])).loginCode)
    ).token;

    const r = await call(list, { token: s.inspector.token });
    const denied = await call(list, { token: outsider, query: { scope: s.region } });
    const cadre = await call(list, { token: s.cadre.token });

    expect(r.body.items.map((x: any) => x.id)).toEqual([v.id]);
    expect(denied.status).toBe(403);
    expect(cadre.status).toBe(403);
  });

  test('the summary shows visits, their ratings and 访企满意率, and enterprise ratings of windows apart from citizens', async () => {
    const s = await aVisitScene();
    const a = await aVisit(s, s.cadre);
    const b = await aVisit(s, s.cadre);
    await aVisit(s, s.otherCadre);
    await call(rate, {
      token: s.contact.token,
      params: { id: a.id },
      body: { requestId: requestId(), level: 5, solved: 'yes' },
    });
    await call(rate, {
      token: s.contact.token,
      params: { id: b.id },
      body: { requestId: requestId(), level: 3, solved: 'no' },
    });
    const w = await aWindow({ department: s.department });
    await call(submitWindowRating, {
      token: s.contact.token,
      body: { requestId: requestId(), code: w.code, level: 5 },
    });
    await call(submitWindowRating, {
      token: (await loginAs(uniq('citizen-'))).token,
      body: { requestId: requestId(), code: w.code, level: 4 },
    });
    await settleCounters(); // window ratings are counted from the table's stream

    const r = await call(summary, { token: s.inspector.token, query: { scope: s.region } });

    expect(r.status).toBe(200);
    expect(r.body.visits).toMatchObject({ total: 3, rated: 2, byLevel: { 5: 1, 3: 1 } });
    expect(r.body.visitSatisfactionRate).toBe(50);
    expect(r.body.ratings).toMatchObject({ total: 2, enterprise: 1, citizen: 1 });
    expect(r.body.enterpriseGoodRate).toBe(100);
  });
});

describe('the frequency rule', () => {
  test('when a department visits an enterprise twice in 30 days, there is no warning; the third raises one, the fourth no second', async () => {
    const s = await aVisitScene();
    const tap = await new StreamTap().start();
    await aVisit(s, s.cadre, { at: ago(20 * DAY) });
    await aVisit(s, s.cadre, { at: ago(10 * DAY) });
    // Another department's visit does not count towards this department's three.
    await aVisit(s, s.otherCadre);
    expect((await call(warnings, { token: s.inspector.token })).body.items).toEqual([]);

    await aVisit(s, s.cadre);
    const after3 = await call(warnings, { token: s.inspector.token });
    await aVisit(s, s.cadre);
    const after4 = await call(warnings, { token: s.inspector.token });

    expect(after3.body.items).toHaveLength(1);
    expect(after3.body.items[0]).toMatchObject({
      rule: 'department',
      department: { id: s.department.id },
      count: 3,
      threshold: 3,
      days: 30,
      enterprise: { id: s.enterprise.id },
    });
    expect(after3.body.rule).toEqual({ days: 30, perDepartment: 3, total: 6 });
    expect(after4.body.items).toHaveLength(1);
    await tap.pump();
    await tap.pump();
    const alerts = (await partition(`VWARN#${after3.body.items[0].id}`)).filter(
      (i) => i.type === 'alert' && i.recipientId === s.inspector.userId,
    );
    expect(alerts).toEqual([
      expect.objectContaining({ status: 'sent', channel: 'wechat', recipientRole: 'inspector' }),
    ]);
    expect(
      (await wechatMessages()).filter(
        (m) =>
          m.template === 'Kf3x-visit-warning-template-03' && m.page === 'officials/pages/visits/index?tab=warnings',
      ).length,
    ).toBeGreaterThanOrEqual(1);
  });

  test('a visit older than 30 days does not count; withdrawn visits do not count', async () => {
    const s = await aVisitScene();
    await aVisit(s, s.cadre, { at: ago(31 * DAY) });
    const w = await aVisit(s, s.cadre);
    await call(withdraw, { token: s.cadre.token, params: { id: w.id }, body: {} });
    await aVisit(s, s.cadre);
    await aVisit(s, s.cadre);
    expect((await call(warnings, { token: s.inspector.token })).body.items).toEqual([]);
  });

  test('when six visits by several departments reach one enterprise in 30 days, then a total warning is raised', async () => {
    const s = await aVisitScene();
    const { aDepartment } = await import('../support/builders');
    const third = await aDepartment({ regionId: s.regionId });
    const thirdCadre = await anOfficial([{ role: 'visiting_official', scope: third.path }]);
    const t = { ...thirdCadre, token: (await loginAs(thirdCadre.loginCode)).token };
    for (const c of [s.cadre, s.cadre, s.otherCadre, s.otherCadre, t]) await aVisit(s, c);
    expect((await call(warnings, { token: s.inspector.token })).body.items).toEqual([]);
    await aVisit(s, t);
    const r = await call(warnings, { token: s.inspector.token });
    expect(r.body.items).toEqual([expect.objectContaining({ rule: 'total', count: 6, threshold: 6 })]);
  });

  test('the prefecture operator sets the rule (POST /v1/settings/visit-frequency): others are refused, bad input changes nothing, the new rule holds at its boundary and is audited', async () => {
    const s = await aVisitScene();
    const o = await anOfficial([{ role: 'operator', scope: PREFECTURE_ID }]);
    const prefOperator = { ...o, token: (await loginAs(o.loginCode)).token };
    const key = K.setting(PREFECTURE_ID, 'visit-frequency');
    const before = await getItem(key);
    try {
      const rule = { days: 10, perDepartment: 2, total: 4 };
      // A county operator, an inspector, a visiting official: refused, nothing stored.
      for (const who of [s.operator, s.inspector, s.cadre]) {
        const r = await call(frequency, { token: who.token, body: rule });
        expect(r.status).toBe(403);
      }
      expect(await getItem(key)).toEqual(before);
      // Bad input: a clear Chinese message, nothing stored.
      for (const [body, message] of [
        [{ ...rule, days: 0 }, '统计天数至少 1 天'],
        [{ ...rule, perDepartment: 1 }, '同一部门次数至少为 2'],
        [{ ...rule, days: 366 }, '统计天数不能超过 365 天'],
      ] as const) {
        const r = await call(frequency, { token: prefOperator.token, body });
        expect(r.status).toBe(400);
        expect(r.body.error.code).toBe('VALIDATION_FAILED');
        expect(r.body.error.message).toContain(message);
      }
      expect((await call(frequency, { token: prefOperator.token, body: { ...rule, extra: 1 } })).status).toBe(400);
      expect(await getItem(key)).toEqual(before);

      const r = await call(frequency, { token: prefOperator.token, body: rule });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ rule });
      expect(await getItem(key)).toMatchObject({ ...rule, updatedBy: prefOperator.userId });

      // The new rule at its boundary: 2 visits by one department within 10 days; one 11 days ago does not count.
      await aVisit(s, s.cadre, { at: ago(11 * DAY) });
      await aVisit(s, s.cadre);
      const after1 = await call(warnings, { token: s.inspector.token });
      expect(after1.body.items).toEqual([]);
      expect(after1.body.rule).toEqual(rule);
      await aVisit(s, s.cadre);
      expect((await call(warnings, { token: s.inspector.token })).body.items).toEqual([
        expect.objectContaining({ rule: 'department', count: 2, threshold: 2, days: 10 }),
      ]);

      const trail = await call(auditList, {
        token: prefOperator.token,
        query: { action: 'setting.update', actor: prefOperator.userId },
      });
      expect(trail.body.items).toEqual([
        expect.objectContaining({
          action: 'setting.update',
          target: expect.objectContaining({ kind: 'setting', id: 'visit-frequency' }),
          after: rule,
        }),
      ]);
    } finally {
      if (before) await put(before);
      else await removeItem(key);
    }
  });
});
