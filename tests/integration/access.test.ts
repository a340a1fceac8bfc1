import { PREFECTURE_ID } from '@mashang/shared';
import { act, contact, get, list, open as openFinding } from '../../functions/src/handlers/cases';
import { submit as submitComplaint } from '../../functions/src/handlers/complaints';
import { list as auditTrail } from '../../functions/src/handlers/audit';
import { letter } from '../../functions/src/handlers/letters';
import { summary } from '../../functions/src/handlers/stats';
import { enterprises, ratingsOfWindow, windows } from '../../functions/src/handlers/registry';
import { windowInvitations } from '../../functions/src/handlers/invitations';
import { list as listPeople } from '../../functions/src/handlers/people';
import { revoke } from '../../functions/src/handlers/codes';
import { failed } from '../../functions/src/handlers/subscriptions';
import { call, loginAs, requestId, uniq } from '../support/api';
import { anEnterprise, anOfficial } from '../support/builders';
import { bindContact } from '../support/visit-flows';
import {
  get as getVisit,
  list as listVisits,
  ofEnterprise,
  rate,
  register,
  warnings as visitWarnings,
  withdraw,
} from '../../functions/src/handlers/visits';
import { contacts } from '../../functions/src/handlers/enterprises';
import { issueCodes } from '../../functions/src/handlers/binding-codes';
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
  'contact',
  'otherContact',
  'cadre',
  'otherCadre',
] as const;
type ActorName = (typeof ACTORS)[number];

import type { Res } from '../support/api';
type Ctx = {
  tokens: Record<ActorName, string>;
  caseId: string;
  /** A 差评 whose rater chose 仅纪检监察 for the callback. */
  inspectorsOnlyCaseId: string;
  /** A real-name complaint at the scene's window, not yet forwarded. */
  complaintId: string;
  letterFile: string;
  region: string;
  code: string;
  /** Scene S's window (the case's window) and department. */
  windowId: string;
  departmentId: string;
  /** Scene S's enterprise (in S's county): its code, id, a visit of S's cadre to it, and S's operator. */
  enterprise: { id: string; code: string };
  visitId: string;
  /** Another visiting official of S's department, who registers the visits the rating cells rate. */
  visitor: string;
};
const reveal = (caseId: string, token: string) =>
  call(contact, { token, params: { id: caseId }, body: { reason: '电话回访' } });
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
      contact: 403,
      otherContact: 403,
      cadre: 403,
      otherCadre: 403,
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
      contact: 404,
      otherContact: 404,
      cadre: 404,
      otherCadre: 404,
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
      contact: 404,
      otherContact: 404,
      cadre: 404,
      otherCadre: 404,
    },
  },
  "POST /v1/cases (source inspection: an inspectors' finding against D)": {
    run: (c, token) =>
      call(openFinding, {
        token,
        body: {
          requestId: requestId(),
          departmentId: c.departmentId,
          description: '监督检查发现窗口未执行一次性告知制度',
          deadlineWorkingDays: 5,
        },
      }),
    expect: {
      owner: 403,
      citizen: 403,
      staff: 403,
      handler: 403,
      otherHandler: 403,
      countyInspector: 201,
      // A department outside the inspector's scope answers like an unknown one (400, the field's error).
      otherInspector: 400,
      prefectureInspector: 201,
      operator: 403,
      contact: 403,
      otherContact: 403,
      cadre: 403,
      otherCadre: 403,
    },
  },
  'POST /v1/cases/{id}/actions (interview: 约谈)': {
    run: (c, token) =>
      call(act, {
        token,
        params: { id: c.caseId },
        body: {
          requestId: requestId(),
          type: 'interview',
          name: '李明',
          post: '政务服务科科长',
          date: new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 10),
          reason: '差评件处理不及时',
        },
      }),
    expect: {
      owner: 403,
      citizen: 404,
      staff: 403,
      handler: 403,
      otherHandler: 404,
      countyInspector: 200,
      otherInspector: 404,
      prefectureInspector: 200,
      operator: 403,
      contact: 404,
      otherContact: 404,
      cadre: 404,
      otherCadre: 404,
    },
  },
  'POST /v1/cases/{id}/contact (rating, rater chose the department)': {
    run: (c, token) => reveal(c.caseId, token),
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
      contact: 404,
      otherContact: 404,
      cadre: 404,
      otherCadre: 404,
    },
  },
  // (filed by another citizen: the owner column is a stranger to this case)
  'POST /v1/cases/{id}/contact (rating, rater chose 仅纪检监察)': {
    run: (c, token) => reveal(c.inspectorsOnlyCaseId, token),
    expect: {
      owner: 404,
      citizen: 404,
      staff: 403,
      handler: 403,
      otherHandler: 404,
      countyInspector: 200,
      otherInspector: 404,
      prefectureInspector: 200,
      operator: 403,
      contact: 404,
      otherContact: 404,
      cadre: 404,
      otherCadre: 404,
    },
  },
  'GET /v1/cases/{id} (complaint, not forwarded)': {
    run: (c, token) => call(get, { token, params: { id: c.complaintId } }),
    expect: {
      owner: 200,
      citizen: 404,
      staff: 404,
      handler: 404,
      otherHandler: 404,
      countyInspector: 200,
      otherInspector: 404,
      prefectureInspector: 200,
      operator: 404,
      contact: 404,
      otherContact: 404,
      cadre: 404,
      otherCadre: 404,
    },
  },
  'POST /v1/cases/{id}/contact (complaint)': {
    run: (c, token) => reveal(c.complaintId, token),
    expect: {
      owner: 403,
      citizen: 404,
      staff: 404,
      handler: 404,
      otherHandler: 404,
      countyInspector: 200,
      otherInspector: 404,
      prefectureInspector: 200,
      operator: 404,
      contact: 404,
      otherContact: 404,
      cadre: 404,
      otherCadre: 404,
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
      contact: 404,
      otherContact: 404,
      cadre: 404,
      otherCadre: 404,
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
      contact: 403,
      otherContact: 403,
      cadre: 403,
      otherCadre: 403,
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
      contact: 403,
      otherContact: 403,
      cadre: 200,
      otherCadre: 403,
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
      contact: 403,
      otherContact: 403,
      cadre: 200,
      otherCadre: 200,
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
      contact: 403,
      otherContact: 403,
      cadre: 403,
      otherCadre: 403,
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
      contact: 403,
      otherContact: 403,
      cadre: 403,
      otherCadre: 403,
    },
  },
  "POST /v1/visits (register at S's enterprise)": {
    run: (c, token) =>
      call(register, { token, body: { requestId: requestId(), code: c.enterprise.code, purpose: '调研' } }),
    expect: {
      owner: 403,
      citizen: 403,
      staff: 403,
      handler: 403,
      otherHandler: 403,
      countyInspector: 403,
      otherInspector: 403,
      prefectureInspector: 403,
      operator: 403,
      contact: 403,
      otherContact: 403,
      cadre: 201,
      otherCadre: 201,
    },
  },
  'GET /v1/visits/{id}': {
    run: (c, token) => call(getVisit, { token, params: { id: c.visitId } }),
    expect: {
      owner: 404,
      citizen: 404,
      staff: 404,
      handler: 404,
      otherHandler: 404,
      countyInspector: 200,
      otherInspector: 404,
      prefectureInspector: 200,
      operator: 200,
      contact: 200,
      otherContact: 404,
      cadre: 200,
      otherCadre: 404,
    },
  },
  'POST /v1/visits/{id}/rating (a fresh visit each)': {
    run: async (c, token) => {
      const v = await call(register, {
        token: c.visitor,
        body: { requestId: requestId(), code: c.enterprise.code, purpose: '解难题' },
      });
      return call(rate, {
        token,
        params: { id: v.body.visit.id },
        body: { requestId: requestId(), level: 5, solved: 'yes' },
      });
    },
    expect: {
      owner: 403,
      citizen: 403,
      staff: 403,
      handler: 403,
      otherHandler: 403,
      countyInspector: 403,
      otherInspector: 403,
      prefectureInspector: 403,
      operator: 403,
      contact: 201,
      otherContact: 403,
      cadre: 403,
      otherCadre: 403,
    },
  },
  'POST /v1/visits/{id}/withdraw': {
    run: async (c, token) => {
      const v = await call(register, {
        token: c.tokens.cadre,
        body: { requestId: requestId(), code: c.enterprise.code, purpose: '检查' },
      });
      return call(withdraw, { token, params: { id: v.body.visit.id }, body: {} });
    },
    expect: {
      owner: 404,
      citizen: 404,
      staff: 404,
      handler: 404,
      otherHandler: 404,
      countyInspector: 404,
      otherInspector: 404,
      prefectureInspector: 404,
      operator: 404,
      contact: 404,
      otherContact: 404,
      cadre: 200,
      otherCadre: 404,
    },
  },
  'GET /v1/enterprises/{id}/visits': {
    run: (c, token) => call(ofEnterprise, { token, params: { id: c.enterprise.id } }),
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
      contact: 200,
      otherContact: 403,
      cadre: 403,
      otherCadre: 403,
    },
  },
  'GET /v1/visits?scope=<county>': {
    run: (c, token) => call(listVisits, { token, query: { scope: c.region } }),
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
      contact: 403,
      otherContact: 403,
      cadre: 403,
      otherCadre: 403,
    },
  },
  'GET /v1/visit-warnings?scope=<county>': {
    run: (c, token) => call(visitWarnings, { token, query: { scope: c.region } }),
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
      contact: 403,
      otherContact: 403,
      cadre: 403,
      otherCadre: 403,
    },
  },
  "POST /v1/binding-codes (S's enterprise)": {
    run: (c, token) =>
      call(issueCodes, { token, body: { requestId: requestId(), enterpriseIds: [c.enterprise.id], delivery: 'show' } }),
    expect: {
      owner: 403,
      citizen: 403,
      staff: 403,
      handler: 403,
      otherHandler: 403,
      countyInspector: 403,
      otherInspector: 403,
      prefectureInspector: 403,
      operator: 201,
      contact: 403,
      otherContact: 403,
      cadre: 403,
      otherCadre: 403,
    },
  },
  "GET /v1/windows/{id}/ratings (S's window: 本窗口评价)": {
    run: (c, token) => call(ratingsOfWindow, { token, params: { id: c.windowId } }),
    expect: {
      owner: 404,
      citizen: 404,
      staff: 200,
      handler: 200,
      otherHandler: 404,
      countyInspector: 200,
      otherInspector: 404,
      prefectureInspector: 200,
      operator: 200,
      contact: 404,
      otherContact: 404,
      cadre: 404,
      otherCadre: 404,
    },
  },
  "GET /v1/windows/{id}/invitations (S's window)": {
    run: (c, token) => call(windowInvitations, { token, params: { id: c.windowId } }),
    expect: {
      owner: 404,
      citizen: 404,
      staff: 200,
      handler: 200,
      otherHandler: 404,
      countyInspector: 200,
      otherInspector: 404,
      prefectureInspector: 200,
      operator: 200,
      contact: 404,
      otherContact: 404,
      cadre: 404,
      otherCadre: 404,
    },
  },
  "GET /v1/people (the caller's scope)": {
    run: (_c, token) => call(listPeople, { token, query: {} }),
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
      contact: 403,
      otherContact: 403,
      cadre: 403,
      otherCadre: 403,
    },
  },
  'GET /v1/enterprises/{id}/contacts': {
    run: (c, token) => call(contacts, { token, params: { id: c.enterprise.id } }),
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
      contact: 403,
      otherContact: 403,
      cadre: 403,
      otherCadre: 403,
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
      cadre: await token([{ role: 'visiting_official', scope: s.department.path }]),
      otherCadre: await token([{ role: 'visiting_official', scope: o.department.path }]),
      contact: '',
      otherContact: '',
    };
    const regionId = s.region.split('/')[1];
    const ent = await anEnterprise(regionId);
    const otherEnt = await anEnterprise(o.region.split('/')[1]);
    ctx.tokens.contact = (await bindContact(ctx.tokens.operator, ent.code, ent.enterprise.id)).token;
    ctx.tokens.otherContact = (await bindContact(ctx.tokens.operator, otherEnt.code, otherEnt.enterprise.id)).token;
    ctx.enterprise = { id: ent.enterprise.id, code: ent.code };
    ctx.visitor = await token([{ role: 'visiting_official', scope: s.department.path }]);
    const v = await call(register, {
      token: ctx.tokens.cadre,
      body: { requestId: requestId(), code: ent.code, purpose: '送政策' },
    });
    ctx.visitId = v.body.visit.id;
    ctx.caseId = await aBadRating(s, { phone: '13812345678' });
    ctx.inspectorsOnlyCaseId = await aBadRating(
      { ...s, citizen: await loginAs(uniq('citizen-')) },
      { phone: '13812345679', callbackBy: 'inspectors' },
    );
    const filed = await call(submitComplaint, {
      token: s.citizen.token,
      body: {
        requestId: requestId(),
        code: s.code,
        category: '服务意识不强',
        content: '窗口工作人员上班时间玩手机',
        anonymous: false,
        name: '王秀兰',
        phone: '13912340000',
      },
    });
    ctx.complaintId = filed.body.caseId;
    const l = await doAction(s.countyInspector.token, ctx.caseId, {
      type: 'reminder_letter',
      recipient: s.department.name,
      text: '请整改',
    });
    ctx.letterFile = `${l.body.letter.no}.pdf`;
    ctx.region = s.region;
    ctx.windowId = s.window.id;
    ctx.departmentId = s.department.id;
    ctx.code = (await aScene()).code; // a code of its own: revoking it must not disturb the other cells
    // Three scenes, a dozen officials, two bound contacts, ratings, a complaint and a letter: minutes on a loaded machine.
  }, 240_000);

  const cells = Object.entries(ROUTES).flatMap(([route, r]) => ACTORS.map((a) => [route, a, r.expect[a]] as const));
  test.each(cells)('%s as %s → %i', async (route, actor, status) => {
    const res: Res<any> = await ROUTES[route].run(ctx, ctx.tokens[actor]);
    expect(res.status).toBe(status);
    if (status >= 400)
      expect(res.body.error.code).toMatch(status === 400 ? /VALIDATION_FAILED/ : /FORBIDDEN|NOT_FOUND/);
    else expect(res.body.error).toBeUndefined();
  });

  test("when another county's inspector opens a finding against D, then the answer is the one for a department that does not exist", async () => {
    const body = (departmentId: string) => ({
      requestId: requestId(),
      departmentId,
      description: '监督检查发现窗口未执行一次性告知制度',
      deadlineWorkingDays: 5,
    });
    const foreign = await call(openFinding, { token: ctx.tokens.otherInspector, body: body(ctx.departmentId) });
    const unknown = await call(openFinding, { token: ctx.tokens.otherInspector, body: body(uniq('no-such-dept-')) });
    expect(foreign.status).toBe(400);
    expect(foreign.body).toEqual(unknown.body);
  });

  test.each(['staff', 'handler', 'countyInspector', 'operator'] as const)(
    "the window's ratings as seen by %s carry no part of the rater's phone, masked or not, nor who rated",
    async (actor) => {
      const res = await call(ratingsOfWindow, { token: ctx.tokens[actor], params: { id: ctx.windowId } });
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeGreaterThan(0);
      expect(JSON.stringify(res.body)).not.toMatch(/13812345678|1381234567\d|138\*+56|\*{4}567\d|userId|openid|phone/);
    },
  );

  test.each(['owner', 'staff', 'handler', 'countyInspector', 'prefectureInspector', 'operator'] as const)(
    "the case as seen by %s carries no part of the rater's phone, masked or not",
    async (actor) => {
      const res = await call(get, { token: ctx.tokens[actor], params: { id: ctx.caseId } });
      expect(res.status).toBe(200);
      expect(res.body.contact).toBeUndefined();
      expect(JSON.stringify(res.body)).not.toMatch(/13812345678|138\*+5678|\*{4}5678/);
    },
  );

  test("when an inspector reveals a complainant's contact, then name and phone come back and the audit trail records who, in which role, when, which case and why", async () => {
    const before = Date.now();
    const res = await call(contact, {
      token: ctx.tokens.countyInspector,
      params: { id: ctx.complaintId },
      body: { reason: '核实投诉情况' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ phone: '13912340000', name: '王秀兰' });

    const trail = await call(auditTrail, {
      token: ctx.tokens.prefectureInspector,
      query: { action: 'contact.reveal', targetKind: 'case', targetId: ctx.complaintId },
    });
    expect(trail.status).toBe(200);
    const entry = trail.body.items.find((e: any) => e.reason === '核实投诉情况');
    expect(entry).toMatchObject({
      action: 'contact.reveal',
      target: { kind: 'case', id: ctx.complaintId },
      actor: { role: 'inspector', scope: ctx.region },
    });
    expect(Date.parse(entry.at)).toBeGreaterThanOrEqual(before - 1000);
    expect(JSON.stringify(trail.body)).not.toMatch(/13912340000|王秀兰/);
  });

  test('when a handler reveals the phone of a rater who chose the department, then it comes back and is audited; without a reason nothing is revealed', async () => {
    const noReason = await call(contact, { token: ctx.tokens.handler, params: { id: ctx.caseId }, body: {} });
    expect(noReason.status).toBe(400);
    const res = await reveal(ctx.caseId, ctx.tokens.handler);
    expect(res.body).toEqual({ phone: '13812345678' });
    const trail = await call(auditTrail, {
      token: ctx.tokens.prefectureInspector,
      query: { action: 'contact.reveal', targetKind: 'case', targetId: ctx.caseId },
    });
    expect(trail.body.items.some((e: any) => e.actor.role === 'handler')).toBe(true);
  });
});
