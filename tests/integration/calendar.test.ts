import { PREFECTURE_ID } from '@mashang/shared';
import { K } from '../../functions/src/data/keys';
import { list as auditList } from '../../functions/src/handlers/audit';
import { get, update } from '../../functions/src/handlers/calendar';
import { call, loginAs, requestId, uniq } from '../support/api';
import { anOfficial, getItem } from '../support/builders';
import { aBadRating, aScene } from '../support/flows';

const official = async (role: 'operator' | 'inspector', scope: string) =>
  (await loginAs((await anOfficial([{ role, scope }])).loginCode)).token;

const NOTICE = '国务院办公厅关于2031年部分节假日安排的通知（测试）';
const edit = (baseVersion: number, extra: Record<string, unknown> = {}) => ({
  requestId: requestId(),
  baseVersion,
  source: NOTICE,
  holidays: [
    { date: '2031-03-10', name: '测试假期' },
    { date: '2031-03-11', name: '测试假期' },
    { date: '2031-03-12', name: '测试假期' },
    { date: '2031-03-13', name: '测试假期' },
    { date: '2031-03-14', name: '测试假期' },
  ],
  workdays: [{ date: '2031-03-15', name: '测试假期' }],
  ...extra,
});

describe('GET /v1/calendar/{year}', () => {
  test("when a year of the package's data is asked, then its holidays and 调休 working days come with their source; 2027 is provisional", async () => {
    const token = await official('inspector', `${PREFECTURE_ID}/menyuan`);
    const y2026 = await call(get, { token, params: { year: '2026' } });
    const y2027 = await call(get, { token, params: { year: '2027' } });

    expect(y2026.status).toBe(200);
    expect(y2026.body).toMatchObject({ year: 2026, origin: 'official', version: 0, versions: [] });
    expect(y2026.body.source).toContain('国务院办公厅');
    expect(y2026.body.holidays).toContainEqual({ date: '2026-02-17', name: '春节' });
    expect(y2026.body.workdays).toContainEqual({ date: '2026-02-14', name: '春节' });
    expect(y2027.body).toMatchObject({ year: 2027, origin: 'provisional', workdays: [] });
    expect(y2027.body.source).toContain('暂定');
    expect(y2027.body.holidays).toContainEqual({ date: '2027-10-01', name: '国庆' });
  });

  test('when a citizen asks, or the year is not a year, then 403 / 400', async () => {
    const citizen = (await loginAs(uniq('citizen-'))).token;
    const token = await official('inspector', PREFECTURE_ID);
    expect((await call(get, { token: citizen, params: { year: '2026' } })).status).toBe(403);
    expect((await call(get, { token, params: { year: '26' } })).status).toBe(400);
    expect((await call(get, { token, params: { year: '1900' } })).status).toBe(400);
  });
});

describe('POST /v1/calendar/{year}', () => {
  test('when an operator of the prefecture enters a year, then it is stored as version 1 with its source, audited with before and after; a retried request stores nothing more; the next edit is version 2', async () => {
    const token = await official('operator', PREFECTURE_ID);
    const first = edit(0, { holidays: [{ date: '2032-01-01', name: '元旦' }], workdays: [] });

    const res = await call(update, { token, params: { year: '2032' }, body: first });
    const again = await call(update, { token, params: { year: '2032' }, body: first });
    const second = await call(update, {
      token,
      params: { year: '2032' },
      body: edit(1, {
        source: '国务院办公厅通知（更正）',
        holidays: [
          { date: '2032-01-01', name: '元旦' },
          { date: '2032-01-02', name: '元旦' },
        ],
        workdays: [{ date: '2032-01-03', name: '元旦' }],
      }),
    });
    const audit = await call(auditList, { token, query: { targetKind: 'calendar', targetId: '2032' } });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ year: 2032, origin: 'stored', version: 1, source: NOTICE });
    expect(again.body.version).toBe(1);
    expect(second.body).toMatchObject({ version: 2, source: '国务院办公厅通知（更正）' });
    expect(second.body.workdays).toEqual([{ date: '2032-01-03', name: '元旦' }]);
    expect(second.body.versions.map((v: any) => v.version)).toEqual([2, 1]);
    expect(await getItem(K.calendarVersion(2032, 1))).toMatchObject({ source: NOTICE, holidays: first.holidays });
    expect(audit.body.items).toHaveLength(2);
    const [latest, earliest] = audit.body.items;
    expect(latest).toMatchObject({ action: 'calendar.update', actor: { role: 'operator', scope: PREFECTURE_ID } });
    expect(latest.before).toMatchObject({ version: 1, source: NOTICE });
    expect(latest.after).toMatchObject({ version: 2, source: '国务院办公厅通知（更正）' });
    expect(earliest.before).toMatchObject({ version: 0, source: 'none' });
  });

  test('when an edit starts from an older version (someone else saved meanwhile), then 409 and the newer version stays', async () => {
    const token = await official('operator', PREFECTURE_ID);
    const body = edit(0, { holidays: [{ date: '2033-01-03', name: '元旦' }], workdays: [] });
    expect((await call(update, { token, params: { year: '2033' }, body })).status).toBe(200);

    const stale = await call(update, { token, params: { year: '2033' }, body: { ...body, requestId: requestId() } });

    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toContain('刚被他人修改');
    expect((await call(get, { token, params: { year: '2033' } })).body.version).toBe(1);
  });

  test('when a county operator or an inspector tries, then 403 and nothing is stored', async () => {
    for (const token of [
      await official('operator', `${PREFECTURE_ID}/menyuan`),
      await official('inspector', PREFECTURE_ID),
    ]) {
      const res = await call(update, { token, params: { year: '2034' }, body: edit(0) });
      expect(res.status).toBe(403);
    }
    expect(await getItem(K.calendarYear(2034))).toBeUndefined();
  });

  test('when a 调休 working day is not a weekend, a date lies in another year or repeats, or the source is missing, then 400 with the field named', async () => {
    const token = await official('operator', PREFECTURE_ID);
    const weekday = await call(update, {
      token,
      params: { year: '2031' },
      body: edit(0, { workdays: [{ date: '2031-03-17', name: '测试' }] }),
    });
    const otherYear = await call(update, {
      token,
      params: { year: '2031' },
      body: edit(0, { holidays: [{ date: '2030-12-31', name: '元旦' }] }),
    });
    const repeated = await call(update, {
      token,
      params: { year: '2031' },
      body: edit(0, { workdays: [{ date: '2031-03-10', name: '测试' }] }),
    });
    const noSource = await call(update, { token, params: { year: '2031' }, body: edit(0, { source: '' }) });

    expect(weekday.status).toBe(400);
    expect(weekday.body.error.issues[0]).toEqual({
      path: 'workdays.0.date',
      message: '2031-03-17 不是周末，调休上班日应为周六或周日',
    });
    expect(otherYear.body.error.issues[0]).toEqual({ path: 'holidays.0.date', message: '2030-12-31 不在 2031 年' });
    expect(repeated.body.error.issues[0].path).toBe('workdays.0.date');
    expect(noSource.body.error.issues[0].path).toBe('source');
    expect(await getItem(K.calendarYear(2031))).toBeUndefined();
  });
});

describe('deadlines on the stored calendar', () => {
  test('when an operator adds holidays, then a case opened afterwards counts them, and a deadline set before does not move', async () => {
    const at = new Date('2031-03-03T02:00:00Z'); // Monday 10:00 China time; no data for 2031: weekends only
    const before = await aBadRating(await aScene(), { at });
    const beforeCase = await getItem(K.case(before));
    expect(beforeCase!.rectifyDueAt).toBe('2031-03-24T15:59:59.000Z');

    const token = await official('operator', PREFECTURE_ID);
    const res = await call(update, { token, params: { year: '2031' }, body: edit(0) });
    expect(res.status).toBe(200);
    const after = await aBadRating(await aScene(), { at });

    // 03-10…14 off, Saturday 03-15 worked: 15 working days after 03-03 end on 03-28.
    expect((await getItem(K.case(after)))!.rectifyDueAt).toBe('2031-03-28T15:59:59.000Z');
    expect((await getItem(K.case(before)))!.rectifyDueAt).toBe('2031-03-24T15:59:59.000Z');
    expect((await getItem(K.due(before)))!.dueAt).toBe(beforeCase!.callbackDueAt);
  });
});
