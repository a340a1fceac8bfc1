import { shanghaiDate } from '@mashang/shared';
import { counterWrites, gaugeWrites, type DayCounts } from '../../functions/src/data/stats';
import { transact } from '../../functions/src/data/table';
import { summary } from '../../functions/src/handlers/stats';
import { call } from '../support/api';
import { aWindow, anOfficial } from '../support/builders';
import { aBadRating, aScene, doAction } from '../support/flows';
import { loginAs } from '../support/api';
import { settleCounters } from '../support/stream';

/** Seed day counters of a window (and, as the writers do, of every scope above it). */
async function seed(path: string, date: string, add: DayCounts) {
  const outcome = await transact(counterWrites([{ path, date, add }]));
  if (outcome !== 'stored') throw new Error(`seed failed: ${JSON.stringify(outcome)}`);
}

async function inspectorOf(scope: string) {
  const { loginCode } = await anOfficial([{ role: 'inspector', scope }]);
  return (await loginAs(loginCode)).token;
}

/**
 * Every figure of the README's definitions table (STAT_DEFINITIONS), computed by GET /v1/stats/summary from seeded
 * day counters and gauges: the numbers below are chosen so that each figure has its own value.
 */
describe('statistics definitions on seeded counters', () => {
  test('when a month of counters is seeded, then every figure is the definition applied to them', async () => {
    const w = await aWindow();
    const county = `haibei/${w.department.regionId}`;
    await seed(w.window.path, '2026-11-03', {
      ratings: 40,
      l5: 25,
      l4: 7,
      l3: 3,
      l2: 3,
      l1: 2,
      good: 32,
      bad: 5,
      entRatings: 12,
      entGood: 9,
      badRepliedInTime: 4,
      cases: 8,
      complaints: 2,
      inspectionCases: 1,
      replied: 6,
      rectified: 5,
      closed: 3,
      overdue: 2,
      callbacks: 7,
      letters: 2,
      talks: 1,
      interviews: 3,
      followUps: 4,
      satisfiedFollowUps: 3,
      visits: 11,
      visitsWithdrawn: 1,
      visitRatings: 8,
      visitGood: 6,
      invitationsSent: 20,
      invitationsExpired: 9,
    });
    // A day outside the period counts nowhere.
    await seed(w.window.path, '2026-10-31', { ratings: 100, good: 100, l5: 100, invitationsSent: 50 });
    const gauges = await transact(gaugeWrites(w.window.path, { open: 4, overdue: 1 }));
    expect(gauges).toBe('stored');

    const token = await inspectorOf(county);
    const r = await call(summary, { token, query: { scope: county, from: '2026-11-01', to: '2026-11-30' } });
    expect(r.status).toBe(200);
    const s = r.body;
    // 评价数 (群众 / 企业), 好评率, 差评数
    expect(s.ratings).toEqual({ total: 40, byLevel: { 5: 25, 4: 7, 3: 3, 2: 3, 1: 2 }, enterprise: 12, citizen: 28 });
    expect(s.goodRate).toBe(80); // 32 / 40
    expect(s.enterpriseGoodRate).toBe(75); // 9 / 12
    expect(s.badCount).toBe(5);
    // 差评回复率 = 差评 called back in time ÷ 差评 (not callbacks of every case ÷ cases: 6 / 8 = 75 would be wrong)
    expect(s.badRepliedInTime).toBe(4);
    expect(s.badReplyRate).toBe(80);
    // 回访整改率 = cases with a rectification report ÷ cases opened; 回访整改满意率 = satisfied 追评 ÷ 追评
    expect(s.callbackRectifyRate).toBe(62.5);
    expect(s.followUpSatisfactionRate).toBe(75);
    // 未评率 = expired unrated ÷ sent; 评价短信
    expect(s.unratedRate).toBe(45);
    expect(s.invitations.sent).toBe(20);
    // Cases opened / closed / turned overdue in the period; gauges now
    expect(s.cases).toEqual({
      opened: 8,
      complaints: 2,
      inspections: 1,
      replied: 6,
      rectified: 5,
      closed: 3,
      overdue: 2,
    });
    expect([s.open, s.overdue]).toEqual([4, 1]);
    // Letters, callbacks, 约谈 (per person talked to) and 约谈提示 (second lapses)
    expect([s.reminderLetters, s.callbacks, s.interviews, s.talks]).toEqual([2, 7, 3, 1]);
    // Visits (withdrawn apart) and 访企满意率
    expect(s.visits).toMatchObject({ total: 11, withdrawn: 1, rated: 8 });
    expect(s.visitSatisfactionRate).toBe(75);
  });

  test('when the denominators are zero, then every rate is null (shown —) and the counts are zero or what was seeded', async () => {
    const w = await aWindow();
    const county = `haibei/${w.department.regionId}`;
    // Cases, letters and callbacks but no rating, no 追评, no invitation, no visit rating.
    await seed(w.window.path, '2026-11-10', { cases: 2, complaints: 2, callbacks: 1, letters: 1, visits: 3 });
    const token = await inspectorOf(county);
    const s = (await call(summary, { token, query: { scope: county, from: '2026-11-01', to: '2026-11-30' } })).body;
    expect(s).toMatchObject({
      goodRate: null,
      enterpriseGoodRate: null,
      badCount: 0,
      badReplyRate: null,
      callbackRectifyRate: 0, // 2 cases, none rectified: a real 0 %, not —
      followUpSatisfactionRate: null,
      unratedRate: null,
      visitSatisfactionRate: null,
      reminderLetters: 1,
      callbacks: 1,
      talks: 0,
      interviews: 0,
      open: 0,
      overdue: 0,
    });
    expect(s.cases).toMatchObject({ opened: 2, complaints: 2 });
    expect(s.visits.total).toBe(3);
    // A scope with no counter at all: all zero, all rates null.
    const empty = (await call(summary, { token, query: { scope: county, from: '2026-01-01', to: '2026-01-31' } })).body;
    expect(empty).toMatchObject({ goodRate: null, badReplyRate: null, callbackRectifyRate: null, badCount: 0 });
    expect(empty.ratings.total).toBe(0);
  });

  test('when one 差评 is called back by its deadline and another after it, then 差评回复率 counts only the first, on the 差评s own days', async () => {
    const scene = await aScene({ subscribed: false });
    const now = new Date();
    const inTime = await aBadRating(scene);
    const late = await aBadRating(
      { ...scene, citizen: await loginAs(`citizen-late-${Date.now()}`) },
      { at: new Date(now.getTime() - 6 * 86400000) }, // six days ago: its 1-working-day callback deadline has passed
    );
    for (const id of [inTime, late]) {
      const r = await doAction(scene.handler.token, id, { type: 'callback', reached: true, note: '已电话联系' });
      expect(r.status).toBe(200);
    }
    await settleCounters();
    const from = shanghaiDate(new Date(now.getTime() - 10 * 86400000));
    const to = shanghaiDate(now);
    const s = (await call(summary, { token: scene.countyInspector.token, query: { scope: scene.region, from, to } }))
      .body;
    expect(s.badCount).toBe(2);
    expect(s.cases.replied).toBe(2); // both were called back …
    expect(s.badRepliedInTime).toBe(1); // … one of them in time
    expect(s.badReplyRate).toBe(50);
    // The late one's day holds its 差评 and no reply in time.
    const lateDay = shanghaiDate(new Date(now.getTime() - 6 * 86400000));
    const day = (
      await call(summary, {
        token: scene.countyInspector.token,
        query: { scope: scene.region, from: lateDay, to: lateDay },
      })
    ).body;
    expect([day.badCount, day.badRepliedInTime, day.badReplyRate]).toEqual([1, 0, 0]);
  });
});
