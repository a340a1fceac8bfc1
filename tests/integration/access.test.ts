import { PREFECTURE_ID } from '@mashang/shared';
import { act, get, list } from '../../functions/src/handlers/cases';
import { letter } from '../../functions/src/handlers/letters';
import { summary } from '../../functions/src/handlers/stats';
import { enterprises, windows } from '../../functions/src/handlers/registry';
import { revoke } from '../../functions/src/handlers/codes';
import { failed } from '../../functions/src/handlers/subscriptions';
import { call, loginAs, requestId, uniq } from '../support/api';
import { anOfficial } from '../support/builders';
import { aBadRating, aScene, doAction } from '../support/flows';

/**
 * The role × scope matrix of README "Who sees what", one test per cell. The case belongs to scene S (its window,
 * department and county); "other" actors hold the same role elsewhere.
 */
const ACTORS = [
  'owner',
  'citizen',
  'staff',
  'handler',
  'otherHandler',
  'countyInspector',
  'otherInspector',
  'prefectureInspector',
  'operator',
] as const;
type ActorName = (typeof ACTORS)[number];

import type { Res } from '../support/api';
type Ctx = { tokens: Record<ActorName, string>; caseId: string; letterFile: string; region: string; code: string };
const ROUTES: Record<
  string,
  { run: (c: Ctx, token: string) => ReturnType<typeof call>; expect: Record<ActorName, number> }
> = {
  'GET /v1/cases': {
    run: (_c, token) => call(list, { token }),
    expect: {
      owner: 403,
      citizen: 403,
      staff: 403,
      handler: 200,
      otherHandler: 200,
      countyInspector: 200,
      otherInspector: 200,
      prefectureInspector: 200,
      operator: 200,
    },
  },
  'GET /v1/cases/{id}': {
    run: (c, token) => call(get, { token, params: { id: c.caseId } }),
    expect: {
      owner: 200,
      citizen: 404,
      staff: 200,
      handler: 200,
      otherHandler: 404,
      countyInspector: 200,
      otherInspector: 404,
      prefectureInspector: 200,
      operator: 200,
    },
  },
  'POST /v1/cases/{id}/actions (callback)': {
    run: (c, token) =>
      call(act, {
        token,
        params: { id: c.caseId },
        body: { requestId: requestId(), type: 'callback', reached: true, note: '回访' },
      }),
    expect: {
      owner: 403,
      citizen: 404,
      staff: 403,
      handler: 200,
      otherHandler: 404,
      countyInspector: 200,
      otherInspector: 404,
      prefectureInspector: 200,
      operator: 403,
    },
  },
  'GET /v1/cases/{id}/letters/{no}.pdf': {
    run: (c, token) => call(letter, { token, params: { id: c.caseId, file: c.letterFile } }),
    expect: {
      owner: 404,
      citizen: 404,
      staff: 404,
      handler: 200,
      otherHandler: 404,
      countyInspector: 200,
      otherInspector: 404,
      prefectureInspector: 200,
      operator: 404,
    },
  },
  'GET /v1/stats/summary?scope=<county>': {
    run: (c, token) => call(summary, { token, query: { scope: c.region } }),
    expect: {
      owner: 403,
      citizen: 403,
      staff: 403,
      handler: 403,
      otherHandler: 403,
      countyInspector: 200,
      otherInspector: 403,
      prefectureInspector: 200,
      operator: 200,
    },
  },
  'GET /v1/windows?county=<county>': {
    run: (c, token) => call(windows, { token, query: { county: c.region.split('/')[1] } }),
    expect: {
      owner: 403,
      citizen: 403,
      staff: 200,
      handler: 200,
      otherHandler: 403,
      countyInspector: 200,
      otherInspector: 403,
      prefectureInspector: 200,
      operator: 200,
    },
  },
  'GET /v1/enterprises': {
    run: (_c, token) => call(enterprises, { token }),
    expect: {
      owner: 403,
      citizen: 403,
      staff: 200,
      handler: 200,
      otherHandler: 200,
      countyInspector: 200,
      otherInspector: 200,
      prefectureInspector: 200,
      operator: 200,
    },
  },
  'POST /v1/codes/{code}/revoke': {
    run: (c, token) => call(revoke, { token, params: { code: c.code } }),
    expect: {
      owner: 403,
      citizen: 403,
      staff: 403,
      handler: 403,
      otherHandler: 403,
      countyInspector: 403,
      otherInspector: 403,
      prefectureInspector: 403,
      operator: 200,
    },
  },
  'GET /v1/alerts/failed': {
    run: (_c, token) => call(failed, { token }),
    expect: {
      owner: 403,
      citizen: 403,
      staff: 403,
      handler: 403,
      otherHandler: 403,
      countyInspector: 200,
      otherInspector: 200,
      prefectureInspector: 200,
      operator: 403,
    },
  },
};

describe('who sees what', () => {
  const ctx = {} as Ctx;
  beforeAll(async () => {
    const s = await aScene();
    const o = await aScene();
    const token = async (grants: Parameters<typeof anOfficial>[0]) =>
      (await loginAs((await anOfficial(grants)).loginCode)).token;
    ctx.tokens = {
      owner: s.citizen.token,
      citizen: (await loginAs(uniq('citizen-'))).token,
      staff: s.staff.token,
      handler: s.handler.token,
      otherHandler: o.handler.token,
      countyInspector: s.countyInspector.token,
      otherInspector: o.countyInspector.token,
      prefectureInspector: await token([{ role: 'inspector', scope: PREFECTURE_ID }]),
      operator: await token([{ role: 'operator', scope: PREFECTURE_ID }]),
    };
    ctx.caseId = await aBadRating(s, { phone: '13812345678' });
    const l = await doAction(s.countyInspector.token, ctx.caseId, {
      type: 'reminder_letter',
      recipient: s.department.name,
      text: '请整改',
    });
    ctx.letterFile = `${l.body.letter.no}.pdf`;
    ctx.region = s.region;
    ctx.code = (await aScene()).code; // a code of its own: revoking it must not disturb the other cells
  });

  const cells = Object.entries(ROUTES).flatMap(([route, r]) => ACTORS.map((a) => [route, a, r.expect[a]] as const));
  test.each(cells)('%s as %s → %i', async (route, actor, status) => {
    const res: Res<any> = await ROUTES[route].run(ctx, ctx.tokens[actor]);
    expect(res.status).toBe(status);
    if (status >= 400) expect(res.body.error.code).toMatch(/FORBIDDEN|NOT_FOUND/);
  });

  test.each([
    ['handler', '13812345678'],
    ['countyInspector', '13812345678'],
    ['prefectureInspector', '13812345678'],
    ['operator', '138****5678'],
    ['staff', '138****5678'],
    ['owner', '138****5678'],
  ] as const)("the rater's phone as seen by %s is %s", async (actor, phone) => {
    const res = await call(get, { token: ctx.tokens[actor], params: { id: ctx.caseId } });
    expect(res.body.contact).toEqual({ phone });
  });
});
