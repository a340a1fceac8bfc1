import { mine } from '../../functions/src/handlers/ratings';
import { submit } from '../../functions/src/handlers/scan';
import { revoke } from '../../functions/src/handlers/codes';
import { PREFECTURE_ID, shanghaiDate } from '@mashang/shared';
import { call, loginAs, requestId, uniq } from '../support/api';
import { anOfficial, aWindow, getItem, partition, ratingsEarlierThisHour, ratingsOfWindow } from '../support/builders';
import { K } from '../../functions/src/data/keys';
import { listRatingsOfWindow, ratingIdOf } from '../../functions/src/data/ratings';
import { decryptPii } from '../../functions/src/lib/crypto';
import { settleCounters } from '../support/stream';
import { aScene } from '../support/flows';
import { failNext } from '../support/standin';
import { get } from '../../functions/src/handlers/cases';

const aRating = (code: string, over: Record<string, unknown> = {}) => ({
  requestId: requestId(),
  code,
  level: 5,
  ...over,
});

describe('POST /v1/ratings', () => {
  test('when a citizen rates 满意, then the rating is stored with its counters in every scope and no case opens', async () => {
    const { code, window: w, department } = await aWindow();
    const { token } = await loginAs(uniq('citizen-'));

    const res = await call(submit, { token, body: aRating(code, { level: 4, comment: '办事很快' }) });

    expect(res.status).toBe(201);
    expect(res.body.caseId).toBeNull();
    expect(res.body.rating).toMatchObject({ level: 4 });
    const stored = await getItem(K.rating(res.body.rating.id));
    expect(stored).toMatchObject({ level: 4, comment: '办事很快', windowId: w.id, caseId: null });
    // The counters follow from the table's stream, within seconds (the aggregation, delivered here as Lambda would).
    await settleCounters();
    const date = shanghaiDate(new Date());
    for (const path of [w.path, department.path, `${PREFECTURE_ID}/${department.regionId}`]) {
      expect(await getItem(K.statDay(path, date))).toMatchObject({ ratings: 1, l4: 1, good: 1, bad: 0 });
    }
  });

  test('when a 差评 with a reason and phone is submitted, then its case opens in the same write and the phone is stored encrypted apart from the rating', async () => {
    const { code, window: w } = await aWindow();
    const { token, userId } = await loginAs(uniq('citizen-'));

    const res = await call(submit, {
      token,
      body: aRating(code, { level: 1, reasons: ['态度生硬', '多次跑腿'], phone: '13912345678' }),
    });

    expect(res.status).toBe(201);
    expect(res.body.caseId).toMatch(/^\d{8}-[0-9A-Z]{6}$/);
    const kase = await getItem(K.case(res.body.caseId));
    expect(kase).toMatchObject({ status: 'open', ratingId: res.body.rating.id, hasContact: true, path: w.path });
    expect(kase!.callbackDueAt > kase!.createdAt).toBe(true);
    // One item: the rating, with the rater sealed in a part no department read returns.
    const [item] = await partition(K.rating(res.body.rating.id).pk);
    expect(JSON.stringify(item)).not.toContain(userId);
    expect(JSON.stringify(item)).not.toContain('1391234');
    const rater = JSON.parse(decryptPii(String(item.rater)));
    expect(rater.userId).toBe(userId);
    expect(rater.phone).toMatch(/^v2\.k1\./); // sealed with the ring's current key, named in the envelope
    expect(decryptPii(rater.phone)).toBe('13912345678');
    const departmentView = (await listRatingsOfWindow(w.id, undefined, 20)).ratings;
    expect(departmentView).toHaveLength(1);
    expect(departmentView[0]).not.toHaveProperty('rater');
    expect(departmentView[0]).not.toHaveProperty('request');
  });

  test('when the same requestId is sent again, then the same rating comes back and nothing new is stored', async () => {
    const { code, window: w } = await aWindow();
    const { token } = await loginAs(uniq('citizen-'));
    const body = aRating(code, { level: 2, reasons: ['排队时间长'] });

    const first = await call(submit, { token, body });
    const second = await call(submit, { token, body });

    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(await ratingsOfWindow(w.id)).toHaveLength(1);
  });

  test('when 8 identical requests arrive concurrently, then exactly one rating and one case are stored and all get the same answer', async () => {
    const { code, window: w } = await aWindow();
    const { token } = await loginAs(uniq('citizen-'));
    const body = aRating(code, { level: 1, reasons: ['推诿扯皮'] });

    const all = await Promise.all(Array.from({ length: 8 }, () => call(submit, { token, body })));

    expect(all.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(new Set(all.map((r) => r.body.rating.id)).size).toBe(1);
    expect(new Set(all.map((r) => r.body.caseId)).size).toBe(1);
    expect(await ratingsOfWindow(w.id)).toHaveLength(1);
    await settleCounters();
    const date = shanghaiDate(new Date());
    expect(await getItem(K.statDay(w.path, date))).toMatchObject({ ratings: 1, bad: 1 });
  });

  test('when concurrent ratings by different people hit the same counters, then every one is counted', async () => {
    const { code, window: w } = await aWindow();
    const people = await Promise.all(Array.from({ length: 6 }, () => loginAs(uniq('citizen-'))));

    const all = await Promise.all(
      people.map((p) => call(submit, { token: p.token, body: aRating(code, { level: 3 }) })),
    );

    expect(all.map((r) => r.status)).toEqual(Array(6).fill(201));
    await settleCounters();
    expect(await getItem(K.statDay(w.path, shanghaiDate(new Date())))).toMatchObject({ ratings: 6, l3: 6 });
  });

  test('when the same person rates the same window twice in a day, then the second gets ALREADY_RATED_TODAY and changes nothing', async () => {
    const { code, window: w } = await aWindow();
    const { token } = await loginAs(uniq('citizen-'));
    await call(submit, { token, body: aRating(code) });

    const again = await call(submit, { token, body: aRating(code, { level: 1, reasons: ['态度生硬'] }) });

    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_RATED_TODAY');
    expect(again.body.error.message).toMatch(/一次一评/);
    expect(await ratingsOfWindow(w.id)).toHaveLength(1);
    await settleCounters();
    expect(await getItem(K.statDay(w.path, shanghaiDate(new Date())))).toMatchObject({ ratings: 1, bad: 0 });
  });

  test('when a requestId is reused for a different rating, then it is refused and nothing is stored', async () => {
    const { code, window: w } = await aWindow();
    const { token } = await loginAs(uniq('citizen-'));
    const id = requestId();
    await call(submit, { token, body: aRating(code, { requestId: id, level: 5 }) });

    const reused = await call(submit, { token, body: aRating(code, { requestId: id, level: 4 }) });

    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await ratingsOfWindow(w.id)).toHaveLength(1);
  });

  test.each([
    ['a 差评 without a reason', { level: 1 }, 'reasons'],
    ['a reason that is not one of the labels', { level: 2, reasons: ['服务太差'] }, 'reasons.0'],
    ['其他 without a comment', { level: 2, reasons: ['其他'] }, 'comment'],
    ['a level of 6', { level: 6 }, 'level'],
    ['a level as a string', { level: '5' }, 'level'],
    ['a comment of 501 characters', { comment: '好'.repeat(501) }, 'comment'],
    ['a landline phone', { phone: '09718123456' }, 'phone'],
    ['an unknown field', { stars: 5 }, ''],
    ['a missing requestId', { requestId: undefined }, 'requestId'],
  ])(
    'when the body has %s, then 400 VALIDATION_FAILED names the field and nothing is stored',
    async (_name, over, path) => {
      const { code, window: w } = await aWindow();
      const { token } = await loginAs(uniq('citizen-'));

      const res = await call(submit, { token, body: aRating(code, over) });

      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
      expect(res.body.error.issues.map((i: { path: string }) => i.path)).toContain(path);
      expect(await ratingsOfWindow(w.id)).toHaveLength(0);
    },
  );

  test('when the body is not JSON, then 400 with a Chinese message', async () => {
    const { token } = await loginAs(uniq('citizen-'));
    const res = await call(submit, { token, rawBody: '{"level": 5,' });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'VALIDATION_FAILED', message: '请求体不是有效的 JSON' });
  });

  test('when nobody is logged in, then 401 UNAUTHENTICATED', async () => {
    const { code } = await aWindow();
    const res = await call(submit, { body: aRating(code) });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  test('when the code is forged, then CODE_INVALID; when revoked, then CODE_REVOKED; nothing is stored', async () => {
    const { code, window: w } = await aWindow();
    const op = await anOfficial([{ role: 'operator', scope: PREFECTURE_ID }]);
    const { token } = await loginAs(uniq('citizen-'));
    const forged = code.slice(0, -1) + (code.endsWith('A') ? 'B' : 'A');

    const bad = await call(submit, { token, body: aRating(forged) });
    await call(revoke, { token: (await loginAs(op.loginCode)).token, params: { code } });
    const revoked = await call(submit, { token, body: aRating(code) });

    expect(bad.status).toBe(404);
    expect(bad.body.error.code).toBe('CODE_INVALID');
    expect(revoked.status).toBe(410);
    expect(revoked.body.error.code).toBe('CODE_REVOKED');
    expect(await ratingsOfWindow(w.id)).toHaveLength(0);
  });

  test('when the rating store fails unexpectedly, then 500 with a generic message and no detail', async () => {
    const { code } = await aWindow();
    const { token } = await loginAs(uniq('citizen-'));
    const saved = process.env.TABLE_NAME;
    const { config } = await import('../../functions/src/config');
    const cfg = config() as { TABLE_NAME: string };
    cfg.TABLE_NAME = 'no-such-table';
    try {
      const res = await call(submit, { token, body: aRating(code) });
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: { code: 'INTERNAL', message: '系统繁忙，请稍后重试' } });
    } finally {
      cfg.TABLE_NAME = saved!;
    }
  });

  test('when a citizen has stored 30 ratings this hour, then another is RATE_LIMITED and stores nothing, while a retry of one of them still gets its first answer', async () => {
    const me = await loginAs(uniq('citizen-'));
    const first = await aWindow();
    const body = aRating(first.code);
    const a = await call(submit, { token: me.token, body });
    expect(a.status).toBe(201);
    // The hourly limit counts the citizen's own ratings of the last hour: 29 more make 30 with the first.
    await ratingsEarlierThisHour(me.userId, 29);

    const again = await call(submit, { token: me.token, body });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(a.body);
    for (const level of [5, 1]) {
      // A 好评 is checked beside its write (stored, then withdrawn); a 差评 before it: neither stays.
      const other = await aWindow();
      const refused = await call(submit, {
        token: me.token,
        body: aRating(other.code, { level, ...(level === 1 ? { reasons: ['态度生硬'] } : {}) }),
      });
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('RATE_LIMITED');
      expect(await ratingsOfWindow(other.window.id)).toHaveLength(0);
      expect(await partition(K.rating(ratingIdOf(me.userId, other.window.id, shanghaiDate(new Date()))).pk)).toEqual(
        [],
      );
    }
    // The check wrote nothing: no limit item for the citizen.
    expect(await getItem(K.limit(`rating#${me.userId}`, Math.floor(Date.now() / 1000 / 3600)))).toBeUndefined();
  });
});

describe('GET /v1/me/ratings', () => {
  test("when a citizen has rated, then they see their own ratings newest first with case progress, and nobody else's", async () => {
    const a = await aWindow();
    const b = await aWindow();
    const me = await loginAs(uniq('citizen-'));
    const other = await loginAs(uniq('citizen-'));
    await call(submit, { token: me.token, body: aRating(a.code, { level: 5 }) });
    await new Promise((r) => setTimeout(r, 5));
    const bad = await call(submit, { token: me.token, body: aRating(b.code, { level: 2, reasons: ['超时办理'] }) });
    await call(submit, { token: other.token, body: aRating(a.code) });

    const res = await call(mine, { token: me.token });

    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(2);
    expect(res.body.items[0]).toMatchObject({
      level: 2,
      caseId: bad.body.caseId,
      caseStatus: 'open',
      window: { id: b.window.id },
    });
    expect(res.body.items[1]).toMatchObject({ level: 5, caseId: null, window: { id: a.window.id } });
  });
});

describe('content security (msg_sec_check flags, never refuses)', () => {
  test('when a 差评 comment reports misconduct that WeChat judges risky, then the rating is stored and its case carries the flag for officials', async () => {
    const scene = await aScene();
    const res = await call(submit, {
      token: scene.citizen.token,
      body: aRating(scene.code, { level: 1, reasons: ['违规收费'], comment: '窗口人员暗示可以代开发票，收取好处费' }),
    });

    expect(res.status).toBe(201);
    const [rating] = await ratingsOfWindow(scene.window.id);
    expect(rating).toMatchObject({ comment: '窗口人员暗示可以代开发票，收取好处费', contentFlag: 'risky' });
    const view = await call(get, { token: scene.countyInspector.token, params: { id: res.body.caseId } });
    expect(view.body.case.contentFlag).toBe('risky');
    expect(view.body.case.summary).toContain('代开发票');
  });

  test('when msg_sec_check is down, then the rating is stored and flagged unchecked', async () => {
    const scene = await aScene();
    await failNext('msgsec', 1);
    try {
      const res = await call(submit, {
        token: scene.citizen.token,
        body: aRating(scene.code, { level: 2, reasons: ['态度生硬'], comment: '态度很差' }),
      });
      expect(res.status).toBe(201);
      const view = await call(get, { token: scene.countyInspector.token, params: { id: res.body.caseId } });
      expect(view.body.case.contentFlag).toBe('unchecked');
    } finally {
      await failNext('msgsec', 0);
    }
  });

  test('when a comment passes the check, then no flag is stored', async () => {
    const { code, window: w } = await aWindow();
    const { token } = await loginAs(uniq('citizen-'));
    expect(
      (await call(submit, { token, body: aRating(code, { level: 4, comment: '办事很快，态度很好' }) })).status,
    ).toBe(201);
    const [rating] = await ratingsOfWindow(w.id);
    expect(rating.contentFlag).toBeUndefined();
  });
});
