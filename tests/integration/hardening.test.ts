import { PREFECTURE_ID } from '@mashang/shared';
import { randomBytes } from 'node:crypto';
import { lookup } from '../../functions/src/handlers/scan';
import { get } from '../../functions/src/handlers/cases';
import { windows } from '../../functions/src/handlers/registry';
import { resetConfigForTests } from '../../functions/src/config';
import { decryptPii, encryptPii } from '../../functions/src/lib/crypto';
import { call, loginAs } from '../support/api';
import { anOfficial, aWindow, getItem, partition } from '../support/builders';
import { K } from '../../functions/src/data/keys';
import { eraseExpiredContacts } from '../../functions/src/domain/retention';
import { aBadRating, aScene, doAction } from '../support/flows';

describe('small holes', () => {
  test('when a path carries a malformed percent-encoding (GET /v1/codes/%25), then 400 and not 500', async () => {
    for (const code of ['%', '%E0%A4%A', 'abc%zz']) {
      const r = await call(lookup, { params: { code } });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  test('when a cursor is hand-made, re-signed by nobody or carries extra keys, then 400; a genuine one pages on', async () => {
    const { department } = await aWindow();
    await aWindow({ department });
    await aWindow({ department });
    const { token } = await loginAs((await anOfficial([{ role: 'operator', scope: PREFECTURE_ID }])).loginCode);
    const first = await call(windows, { token, query: { county: department.regionId, limit: '1' } });
    expect(first.status).toBe(200);
    const genuine: string = first.body.cursor;
    const [payload, mac] = genuine.split('.');
    const key = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const withExtra = Buffer.from(JSON.stringify({ ...key, extra: 'x' })).toString('base64url');
    const handMade = Buffer.from(JSON.stringify(key)).toString('base64url'); // the old, unsigned form

    expect(
      (await call(windows, { token, query: { county: department.regionId, limit: '1', cursor: genuine } })).status,
    ).toBe(200);
    for (const cursor of [handMade, `${withExtra}.${mac}`, `${payload}.${mac.slice(0, -2)}AA`, `${payload}.${mac}.x`]) {
      const r = await call(windows, { token, query: { county: department.regionId, limit: '1', cursor } });
      expect(r.status).toBe(400);
      expect(r.body.error.message).toBe('分页游标无效');
    }
  });

  test('when the citizen has rated a closure, then a second 追评 on the same closure is refused and counted once', async () => {
    const s = await aScene();
    const caseId = await aBadRating(s);
    await doAction(s.handler.token, caseId, { type: 'rectification', report: '已整改' });
    await doAction(s.countyInspector.token, caseId, { type: 'close', outcome: '已整改', note: '办结' });

    const first = await doAction(s.citizen.token, caseId, { type: 'follow_up', satisfied: true });
    const second = await doAction(s.citizen.token, caseId, { type: 'follow_up', satisfied: true });
    const view = await call(get, { token: s.countyInspector.token, params: { id: caseId } });

    expect(first.status).toBe(200);
    expect(second.status).toBe(409);
    expect(second.body.error.message).toMatch(/已对本次办结作出追评/);
    expect(view.body.timeline.filter((t: any) => t.action === 'follow_up')).toHaveLength(1);
    expect(view.body.availableActions).not.toContain('follow_up');
  });

  test('when a 追评 reopens the case and it closes again, then the citizen may rate the new closure once', async () => {
    const s = await aScene();
    const caseId = await aBadRating(s);
    await doAction(s.countyInspector.token, caseId, { type: 'close', outcome: '情况不属实', note: '不属实' });
    expect(
      (await doAction(s.citizen.token, caseId, { type: 'follow_up', satisfied: false, comment: '还是没解决' })).status,
    ).toBe(200);
    await doAction(s.countyInspector.token, caseId, { type: 'close', outcome: '情况不属实', note: '复核仍不属实' });
    expect((await doAction(s.citizen.token, caseId, { type: 'follow_up', satisfied: true })).status).toBe(200);
    expect((await doAction(s.citizen.token, caseId, { type: 'follow_up', satisfied: true })).status).toBe(409);
  });

  test('when PII_KEYS rotates (a new key first, the old kept), then new data uses the new key id and old data still reads', async () => {
    const saved = process.env.PII_KEYS!;
    const old = encryptPii('13912345678');
    try {
      process.env.PII_KEYS = `k2:${randomBytes(32).toString('base64')},${saved}`;
      resetConfigForTests();
      const fresh = encryptPii('13800000000');
      expect(fresh.startsWith('v2.k2.')).toBe(true);
      expect(old.startsWith('v2.k1.')).toBe(true);
      expect(decryptPii(old)).toBe('13912345678');
      expect(decryptPii(fresh)).toBe('13800000000');
      // once the old key is retired, what it sealed no longer opens (and says which key is missing)
      process.env.PII_KEYS = process.env.PII_KEYS.split(',')[0];
      resetConfigForTests();
      expect(() => decryptPii(old)).toThrow(/k1/);
    } finally {
      process.env.PII_KEYS = saved;
      resetConfigForTests();
    }
  });

  test('when a browser calls from the console or the H5 origin, then CORS allows that origin only; any other origin gets no CORS header', async () => {
    const [consoleOrigin, h5Origin] = process.env.ALLOWED_ORIGINS!.split(',');
    const ok = await call(lookup, { params: { code: 'W1abc' }, headers: { origin: consoleOrigin } });
    const h5 = await call(lookup, { params: { code: 'W1abc' }, headers: { origin: h5Origin } });
    const evil = await call(lookup, { params: { code: 'W1abc' }, headers: { origin: 'https://evil.example' } });
    expect(ok.headers['access-control-allow-origin']).toBe(consoleOrigin);
    expect(h5.headers['access-control-allow-origin']).toBe(h5Origin);
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    expect(JSON.stringify(ok.headers)).not.toContain('"*"');
  });
});

describe('retention: phones and names are erased N days after a case closes', () => {
  const DAY = 86_400_000;

  test('when RETENTION_DAYS have passed since closing, then the phone is gone from the case owner and the rater, and nobody can reveal it', async () => {
    const s = await aScene();
    const caseId = await aBadRating(s, { phone: '13812340001' });
    await doAction(s.handler.token, caseId, { type: 'callback', reached: true, note: '已回访' });
    await doAction(s.countyInspector.token, caseId, { type: 'close', outcome: '情况不属实', note: '不属实' });
    const closedAt = Date.now();

    expect((await eraseExpiredContacts(new Date(closedAt + 179 * DAY))).erased).toBe(0);
    expect(JSON.stringify(await partition(K.casePartition(caseId)))).toContain('"phone"');

    const run = await eraseExpiredContacts(new Date(closedAt + 181 * DAY));

    expect(run.erased).toBeGreaterThanOrEqual(1);
    const owner = await getItem(K.owner(caseId));
    expect(owner?.phone).toBeUndefined();
    expect(owner?.contactErasedAt).toBeDefined();
    const kase = await getItem(K.case(caseId));
    const rating = await getItem(K.rating(String(kase?.ratingId)));
    const rater = JSON.parse(decryptPii(String(rating?.rater)));
    expect(rater.phone).toBeUndefined();
    expect(rater.userId).toBe(s.citizen.userId);
    const view = await call(get, { token: s.countyInspector.token, params: { id: caseId } });
    expect(view.body.mayRevealContact).toBe(false);
    expect(view.body.timeline.length).toBeGreaterThan(1); // the record of what was done stays
  });

  test('when a closed case is reopened before the deadline, then its contact is kept', async () => {
    const s = await aScene();
    const caseId = await aBadRating(s, { phone: '13812340002' });
    await doAction(s.handler.token, caseId, { type: 'callback', reached: true, note: '已回访' });
    await doAction(s.countyInspector.token, caseId, { type: 'close', outcome: '情况不属实', note: '不属实' });
    await doAction(s.countyInspector.token, caseId, { type: 'reopen', reason: '群众再次反映' });

    await eraseExpiredContacts(new Date(Date.now() + 400 * DAY));

    expect((await getItem(K.owner(caseId)))?.phone).toBeDefined();
  });
});
