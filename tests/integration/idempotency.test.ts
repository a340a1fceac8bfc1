import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { creditCodeCheckChar, PREFECTURE_ID } from '@mashang/shared';
import { sendInvitation } from '../../functions/src/domain/invitation-sending';
import { regionItem } from '../../functions/src/data/registry';
import { invitationToken } from '../../functions/src/domain/invitation-token';
import { reportServices } from '../../functions/src/domain/services';
import { signRequest } from '../../dev/machine-client';
import { call, loginAs, requestId, uniq, type Call } from '../support/api';
import { aDepartment, anEnterprise, anOfficial, aWindow, put } from '../support/builders';
import { aBadRating, aScene } from '../support/flows';
import { aHall, aPhone, aRow } from '../support/invitations';
import { aCsv } from '../support/sheets';
import { StreamTap } from '../support/stream';
import { aVisit, aVisitScene } from '../support/visit-flows';

/**
 * Issue 8 item 3: every write route of serverless.yml goes through the one idempotency helper (domain/idempotency
 * httpWrite). The routes are read from serverless.yml, so a route added without it fails here: either it is served
 * by httpWrite and has a scenario below that proves the replay, or it is named in NOT_IDEMPOTENT with the reason.
 */

type Handler = Parameters<typeof call>[0];

interface WriteRoute {
  route: string;
  file: string;
  fn: string;
}

function writeRoutes(): WriteRoute[] {
  const yml = readFileSync(join(__dirname, '../../serverless.yml'), 'utf8');
  const out: WriteRoute[] = [];
  let handler: [string, string] | undefined;
  for (const line of yml.split('\n')) {
    const h = /^ {4}handler: functions\/src\/handlers\/([\w-]+)\.(\w+)/.exec(line);
    if (h) handler = [h[1], h[2]];
    const m = /httpApi: \{ method: (POST|PUT|PATCH|DELETE), path: (?:'([^']+)'|([^ ]+)) \}/.exec(line);
    if (m && handler) out.push({ route: `${m[1]} ${m[2] ?? m[3]}`, file: handler[0], fn: handler[1] });
  }
  return out;
}

/** Write routes that are not idempotent by requestId, and why. */
const NOT_IDEMPOTENT: Record<string, string> = {
  'POST /v1/auth/wechat':
    'signing in stores nothing a retry could double (the user is created once per openid); each sign-in gets its own token',
  'POST /v1/auth/wechat-web':
    'the console sign-in: its one-time state is the guard (a second use is refused, LOGIN_STATE_INVALID); it stores nothing else a retry could double',
  'POST /v1/auth/wechat-web/state':
    'issues a fresh random state each time (stored with a TTL, used once); a retry gets another state and changes nothing else',
  'POST /v1/wechat/events':
    "WeChat's signed push, not a client's request (its contract has no requestId); a verdict sets the photo's flag, so a repeated push changes nothing",
};

/** The route's handler; of a function serving several routes (lib/http byRoute), the one for this route. */
const handlerOf = async (r: WriteRoute): Promise<Handler & { idempotent?: boolean }> => {
  const fn = (await import(`../../functions/src/handlers/${r.file}`))[r.fn];
  return fn?.routes?.[r.route] ?? fn;
};

const operatorOf = async (scope: string) => {
  const o = await anOfficial([{ role: 'operator', scope }]);
  return { ...o, token: (await loginAs(o.loginCode)).token };
};
const officialOf = async (role: 'inspector' | 'handler' | 'visiting_official', scope: string) => {
  const o = await anOfficial([{ role, scope }]);
  return { ...o, token: (await loginAs(o.loginCode)).token };
};
async function aRegion() {
  const id = uniq('r');
  const name = `测试县${id.slice(-5)}`;
  await put(regionItem({ id, name, path: `${PREFECTURE_ID}/${id}` }));
  return { id, name, path: `${PREFECTURE_ID}/${id}` };
}

/** An operator of a fresh department's county, with the department. */
async function aDepartmentOperator() {
  const d = await aDepartment();
  return { d, op: await operatorOf(`${PREFECTURE_ID}/${d.regionId}`) };
}
/** Two windows of one department and an operator of that department. */
async function twoWindows() {
  const w = await aWindow();
  const w2 = await aWindow({ department: w.department });
  return { w, w2, op: await operatorOf(w.department.path) };
}
/** An operator of a fresh county and an enterprise there. */
async function anEnterpriseOperator() {
  const r = await aRegion();
  const e = await anEnterprise(r.id);
  return { r, e, op: await operatorOf(r.path) };
}

/**
 * A scenario sends `first` (a valid request) and then `other`: the same requestId with another request. Both are
 * called with an explicit requestId.
 */
type Scenario = () => Promise<{ first: Call | (() => Call); other: Call | (() => Call) }>;

/** `first`, and as the other request the same with `change` over its body. */
const bodyChanged = (first: Call, change: Record<string, unknown>) => ({
  first,
  other: { ...first, body: { ...(first.body as object), ...change } },
});
/** The same request by `token` on another target: `params` first, then `otherParams`. */
const targets = (token: string, params: Record<string, string>, otherParams: Record<string, string>) => ({
  first: { token, params },
  other: { token, params: otherParams },
});

const today = () => new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 10);

const SCENARIOS: Record<string, Scenario> = {
  'POST /v1/uploads': async () => {
    const me = await loginAs(uniq('citizen-'));
    return bodyChanged({ token: me.token, body: { contentType: 'image/jpeg' } }, { contentType: 'image/png' });
  },
  'POST /v1/codes/{code}/revoke': async () => {
    const { w, w2, op } = await twoWindows();
    return targets(op.token, { code: w.code }, { code: w2.code });
  },
  'POST /v1/windows/{id}/code': async () => {
    const { w, w2, op } = await twoWindows();
    return targets(op.token, { id: w.window.id }, { id: w2.window.id });
  },
  'POST /v1/enterprises/{id}/code': async () => {
    const { r, e, op } = await anEnterpriseOperator();
    const e2 = await anEnterprise(r.id);
    return targets(op.token, { id: e.enterprise.id }, { id: e2.enterprise.id });
  },
  'POST /v1/binding-codes': async () => {
    const { e, op } = await anEnterpriseOperator();
    return bodyChanged(
      { token: op.token, body: { enterpriseIds: [e.enterprise.id], delivery: 'show' } },
      { delivery: 'sms' },
    );
  },
  'POST /v1/enterprise-contacts': async () => {
    const s = await aVisitScene();
    const { issueCodes } = await import('../../functions/src/handlers/binding-codes');
    const issued = await call(issueCodes, {
      token: s.operator.token,
      body: { enterpriseIds: [s.enterprise.id], delivery: 'show' },
    });
    const me = await loginAs(uniq('contact-'));
    const body = { code: s.code, creditCode: s.enterprise.creditCode, bindingCode: issued.body.items[0].code };
    return bodyChanged({ token: me.token, body }, { name: '另一人' });
  },
  'POST /v1/enterprises/{id}/contacts/{userId}/unbind': async () => {
    const s = await aVisitScene();
    const id = s.enterprise.id;
    return targets(s.operator.token, { id, userId: s.contact.userId }, { id, userId: 'someone-else' });
  },
  'POST /v1/visits': async () => {
    const s = await aVisitScene();
    return bodyChanged(
      { token: s.cadre.token, body: { code: s.code, purpose: '解难题', note: '协调用电报装' } },
      { note: '另一件事' },
    );
  },
  'POST /v1/visits/{id}/withdraw': async () => {
    const s = await aVisitScene();
    const v = await aVisit(s, s.cadre);
    return bodyChanged(
      { token: s.cadre.token, params: { id: v.id }, body: { reason: '登记错了' } },
      { reason: '另一个原因' },
    );
  },
  'POST /v1/visits/{id}/rating': async () => {
    const s = await aVisitScene();
    const v = await aVisit(s, s.cadre);
    return bodyChanged(
      { token: s.contact.token, params: { id: v.id }, body: { level: 5, solved: 'yes' } },
      { level: 4 },
    );
  },
  'POST /v1/settings/visit-frequency': async () => {
    const op = await operatorOf(PREFECTURE_ID);
    // The prefecture's rule is shared by every test: set it to what it is, so other tests see no change.
    const { frequencyRule } = await import('../../functions/src/domain/visits');
    const rule = await frequencyRule();
    const body = { days: rule.days, perDepartment: rule.perDepartment, total: rule.total };
    return bodyChanged({ token: op.token, body }, { days: body.days + 1 });
  },
  'POST /v1/ratings': async () => {
    const w = await aWindow();
    const me = await loginAs(uniq('citizen-'));
    return bodyChanged({ token: me.token, body: { code: w.code, level: 5 } }, { level: 4 });
  },
  'POST /v1/complaints': async () => {
    const w = await aWindow();
    const me = await loginAs(uniq('citizen-'));
    const body = { code: w.code, category: '服务意识不强', content: '窗口人员态度生硬，多次推诿', anonymous: true };
    return bodyChanged({ token: me.token, body }, { content: '另一件事' });
  },
  'POST /v1/cases': async () => {
    const scene = await aScene();
    const body = { departmentId: scene.department.id, description: '窗口未公示办事指南', deadlineWorkingDays: 5 };
    return bodyChanged({ token: scene.countyInspector.token, body }, { deadlineWorkingDays: 10 });
  },
  'POST /v1/cases/{id}/actions': async () => {
    const scene = await aScene();
    const caseId = await aBadRating(scene);
    const body = { type: 'callback', reached: true, note: '已电话联系' };
    return bodyChanged({ token: scene.handler.token, params: { id: caseId }, body }, { note: '另一条' });
  },
  'POST /v1/cases/{id}/contact': async () => {
    const scene = await aScene();
    const caseId = await aBadRating(scene, { phone: '13912345678' });
    return bodyChanged(
      { token: scene.handler.token, params: { id: caseId }, body: { reason: '电话回访' } },
      { reason: '另一个原因' },
    );
  },
  'POST /v1/reports/monthly': async () => {
    const r = await aRegion();
    const insp = await officialOf('inspector', r.path);
    return bodyChanged({ token: insp.token, body: { scope: r.path, month: '2026-10' } }, { month: '2026-09' });
  },
  'POST /v1/calendar/{year}': async () => {
    const op = await operatorOf(PREFECTURE_ID);
    const year = String(2040 + Math.floor(Math.random() * 50));
    const body = {
      baseVersion: 0,
      source: '国务院办公厅通知（幂等测试）',
      holidays: [{ date: `${year}-01-01`, name: '元旦' }],
      workdays: [],
    };
    return bodyChanged({ token: op.token, params: { year }, body }, { source: '另一份通知（幂等测试）' });
  },
  'POST /v1/departments': async () => {
    const r = await aRegion();
    const op = await operatorOf(r.path);
    const body = { id: uniq('d-'), name: '测试局', level: '县', regionId: r.id };
    return bodyChanged({ token: op.token, body }, { name: '另一个局' });
  },
  'POST /v1/departments/{id}': async () => {
    const { d, op } = await aDepartmentOperator();
    return bodyChanged({ token: op.token, params: { id: d.id }, body: { name: '改名后的局' } }, { name: '又一个名字' });
  },
  'POST /v1/departments/{id}/retire': async () => {
    const { d, op } = await aDepartmentOperator();
    return bodyChanged(
      { token: op.token, params: { id: d.id }, body: { reason: '机构改革合并' } },
      { reason: '另一个原因' },
    );
  },
  'POST /v1/windows': async () => {
    const { d, op } = await aDepartmentOperator();
    const body = { id: uniq('w-'), name: '不动产登记窗口', kind: '服务窗口', departmentId: d.id };
    return bodyChanged({ token: op.token, body }, { name: '另一个窗口' });
  },
  'POST /v1/windows/{id}': async () => {
    const w = await aWindow();
    const op = await operatorOf(w.department.path);
    return bodyChanged(
      { token: op.token, params: { id: w.window.id }, body: { name: '改名后的窗口' } },
      { name: '又一个名字' },
    );
  },
  'POST /v1/windows/{id}/retire': async () => {
    const w = await aWindow();
    const op = await operatorOf(w.department.path);
    return bodyChanged(
      { token: op.token, params: { id: w.window.id }, body: { reason: '窗口撤并' } },
      { reason: '另一个原因' },
    );
  },
  'POST /v1/enterprises': async () => {
    const r = await aRegion();
    const op = await operatorOf(r.path);
    const code = `91632221MA${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    const creditCode = code + creditCodeCheckChar(code);
    const body = { id: uniq('e-'), name: '测试商贸有限公司', creditCode, regionId: r.id };
    return bodyChanged({ token: op.token, body }, { name: '另一家公司' });
  },
  'POST /v1/enterprises/{id}': async () => {
    const { e, op } = await anEnterpriseOperator();
    return bodyChanged(
      { token: op.token, params: { id: e.enterprise.id }, body: { name: '改名后的公司' } },
      { name: '又一个名字' },
    );
  },
  'POST /v1/enterprises/{id}/retire': async () => {
    const { e, op } = await anEnterpriseOperator();
    return bodyChanged(
      { token: op.token, params: { id: e.enterprise.id }, body: { reason: '企业注销' } },
      { reason: '另一个原因' },
    );
  },
  'POST /v1/imports': async () => {
    const r = await aRegion();
    const op = await operatorOf(PREFECTURE_ID);
    const file = (name: string) =>
      aCsv('departments', [{ id: uniq('dept-'), name, region: r.name, level: '乡' }]).toString('base64');
    return {
      first: { token: op.token, body: { fileName: 'd.csv', kind: 'departments', contentBase64: file('测试中心') } },
      other: { token: op.token, body: { fileName: 'd.csv', kind: 'departments', contentBase64: file('另一中心') } },
    };
  },
  'POST /v1/imports/{id}/commit': async () => {
    const r = await aRegion();
    const op = await operatorOf(PREFECTURE_ID);
    const { dryRun } = await import('../../functions/src/handlers/imports');
    const file = aCsv('departments', [{ id: uniq('dept-'), name: '测试中心', region: r.name, level: '乡' }]);
    const dry = await call(dryRun, {
      token: op.token,
      body: { fileName: 'd.csv', kind: 'departments', contentBase64: file.toString('base64') },
    });
    return {
      first: { token: op.token, params: { id: dry.body.id } },
      other: { token: op.token, params: { id: 'imp-another' } },
    };
  },
  'POST /v1/windows/{id}/poster': async () => {
    const { w, w2, op } = await twoWindows();
    return targets(op.token, { id: w.window.id }, { id: w2.window.id });
  },
  'POST /v1/poster-jobs': async () => {
    const { d, op } = await aDepartmentOperator();
    await aWindow({ department: d });
    return {
      first: { token: op.token, body: { departmentId: d.id } },
      other: { token: op.token, body: { countyId: d.regionId } },
    };
  },
  'POST /v1/poster-jobs/{id}/retry': async () => {
    const { d, op } = await aDepartmentOperator();
    await aWindow({ department: d });
    const { createJob } = await import('../../functions/src/handlers/posters');
    const { failPosterJobForTest } = await failing();
    const job = await call(createJob, { token: op.token, body: { departmentId: d.id } });
    await failPosterJobForTest('posterjob', job.body.id);
    return targets(op.token, { id: job.body.id }, { id: '0'.repeat(26) });
  },
  'POST /v1/exports': async () => {
    const r = await aRegion();
    const insp = await officialOf('inspector', r.path);
    const body = { kind: 'ratings', format: 'csv', scope: r.path, from: today(), to: today() };
    return bodyChanged({ token: insp.token, body }, { kind: 'cases' });
  },
  'POST /v1/exports/{id}/retry': async () => {
    const r = await aRegion();
    const insp = await officialOf('inspector', r.path);
    const { create } = await import('../../functions/src/handlers/exports');
    const { failPosterJobForTest } = await failing();
    const job = await call(create, {
      token: insp.token,
      body: { kind: 'ratings', format: 'csv', scope: r.path, from: today(), to: today() },
    });
    await failPosterJobForTest('exportjob', job.body.id);
    return targets(insp.token, { id: job.body.id }, { id: '0'.repeat(26) });
  },
  'POST /v1/people': async () => {
    const { d, op } = await aDepartmentOperator();
    const body = { name: '马建国', post: '副局长', phone: '13912345678', departmentId: d.id };
    return bodyChanged({ token: op.token, body }, { name: '马建华' });
  },
  'POST /v1/people/bind': async () => {
    const { person, op } = await aPerson();
    const { bindingCode } = await import('../../functions/src/handlers/people');
    const issued = await call(bindingCode, { token: op.token, params: { id: person.id } });
    const me = await loginAs(uniq('staff-'));
    return bodyChanged(
      { token: me.token, body: { personId: person.id, bindingCode: issued.body.code } },
      { bindingCode: '000000' },
    );
  },
  'POST /v1/people/{id}/grants': async () => {
    const { person, op, d } = await aPerson();
    return bodyChanged(
      { token: op.token, params: { id: person.id }, body: { role: 'handler', scope: d.path } },
      { role: 'inspector' },
    );
  },
  'POST /v1/people/{id}/grants/revoke': async () => {
    const { person, op, d } = await aPerson([{ role: 'handler', scope: '' }]);
    return bodyChanged(
      { token: op.token, params: { id: person.id }, body: { role: 'handler', scope: d.path } },
      { role: 'inspector' },
    );
  },
  'POST /v1/people/{id}/binding-code': async () => {
    const { person, op } = await aPerson();
    const other = await aPerson();
    return targets(op.token, { id: person.id }, { id: other.person.id });
  },
  'POST /v1/me/subscriptions': async () => {
    const scene = await aScene();
    return bodyChanged({ token: scene.handler.token, body: { accepted: true } }, { accepted: false });
  },
  'POST /v1/services': async () => {
    const hall = await aHall();
    const body = { services: [aRow(hall.window.id)] };
    const signed = (raw: string) => (): Call => ({
      method: 'POST',
      path: '/v1/services',
      rawBody: raw,
      headers: { authorization: signRequest(hall.key, 'POST', '/v1/services', raw).authorization },
    });
    // The machine API has no requestId: the key is the batch itself, so "another request" is another batch.
    return { first: signed(JSON.stringify(body)), other: signed(JSON.stringify({ services: [aRow(hall.window.id)] })) };
  },
  'POST /v1/windows/{id}/invitations': async () => {
    const w = await aWindow();
    const staff = await anOfficial([{ role: 'window_staff', scope: w.window.path }]);
    const token = (await loginAs(staff.loginCode)).token;
    return bodyChanged(
      { token, params: { id: w.window.id }, body: { phone: aPhone(), matter: '营业执照办理' } },
      { matter: '另一个事项' },
    );
  },
  'POST /v1/invitations/{token}/opt-out': async () => {
    const hall = await aHall();
    // A service reported and its SMS sent in the day (outside quiet hours), so the link exists.
    const at = new Date('2026-11-30T11:00:00+08:00');
    const r = await reportServices(
      { keyId: hall.key.keyId, departmentId: hall.department.id, departmentPath: hall.department.path },
      { services: [aRow(hall.window.id, { completedAt: new Date(at.getTime() - 3600000).toISOString() })] },
      at,
    );
    await sendInvitation(r.rows[0].invitationId!, () => at);
    const token = invitationToken(r.rows[0].invitationId!);
    return { first: { params: { token } }, other: { params: { token }, body: { extra: 1 } } };
  },
  'POST /v1/api-keys': async () => {
    const d = await aDepartment();
    const op = await operatorOf(PREFECTURE_ID);
    return bodyChanged({ token: op.token, body: { departmentId: d.id, name: '青松办' } }, { name: '另一个系统' });
  },
  'POST /v1/api-keys/{id}/revoke': async () => {
    const hall = await aHall();
    const other = await aHall();
    return targets(hall.operator.token, { id: hall.key.keyId }, { id: other.key.keyId });
  },
};

async function aPerson(grants: { role: string; scope: string }[] = []) {
  const { d, op } = await aDepartmentOperator();
  const { create } = await import('../../functions/src/handlers/people');
  const res = await call(create, {
    token: op.token,
    body: {
      name: '马建国',
      post: '副局长',
      phone: aPhone(),
      departmentId: d.id,
      grants: grants.map((g) => ({ ...g, scope: g.scope || d.path })),
    },
  });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  return { person: res.body as { id: string }, op, d };
}

/** Mark a job failed, as its worker does when it gives up (a retry needs a failed job). */
async function failing() {
  const { db, table } = await import('../../functions/src/data/client');
  const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
  const { K } = await import('../../functions/src/data/keys');
  return {
    failPosterJobForTest: async (kind: 'posterjob' | 'exportjob', id: string) => {
      const key = kind === 'posterjob' ? K.posterJob(id) : K.exportJob(id);
      await db().send(
        new UpdateCommand({
          TableName: table(),
          Key: key,
          UpdateExpression: 'SET #s = :f',
          ExpressionAttributeNames: { '#s': 'state' },
          ExpressionAttributeValues: { ':f': 'failed' },
        }),
      );
    },
  };
}

describe('one idempotency helper for every write route', () => {
  const routes = writeRoutes();

  test('when serverless.yml is read, then every write route is served by httpWrite and has a replay scenario here, or is named with its reason', async () => {
    expect(routes.length).toBeGreaterThan(30);
    const notWrapped: string[] = [];
    for (const r of routes) {
      if (NOT_IDEMPOTENT[r.route]) continue;
      if ((await handlerOf(r))?.idempotent !== true) notWrapped.push(r.route);
    }
    expect(notWrapped).toEqual([]);
    expect(routes.filter((r) => !NOT_IDEMPOTENT[r.route] && !SCENARIOS[r.route]).map((r) => r.route)).toEqual([]);
    expect(Object.keys(SCENARIOS).filter((k) => !routes.some((r) => r.route === k))).toEqual([]);
  });

  test('when a write route is sent without a requestId, then it is refused with a clear message and nothing is stored', async () => {
    const { addDepartment } = await import('../../functions/src/handlers/registry-admin');
    const r = await aRegion();
    const op = await operatorOf(r.path);
    const event = { token: op.token, body: { id: uniq('d-'), name: '测试局', level: '县', regionId: r.id } };
    const { httpEvent } = await import('../../dev/http-event');
    const res = await addDepartment(httpEvent(event));
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(String(res.body)).error).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: '缺少请求编号 requestId（每次操作生成一次，重试时沿用）',
    });
  });

  const tap = new StreamTap();
  beforeAll(async () => {
    await tap.start();
  });

  test.each(routes.filter((r) => SCENARIOS[r.route]).map((r) => [r.route, r] as const))(
    'when %s is sent again with the same requestId, then it answers the first answer and writes nothing; with another request it answers 409',
    async (route, r) => {
      const handler = await handlerOf(r);
      const { first, other } = await SCENARIOS[route]();
      const id = requestId();
      const withId = (made: Call | (() => Call)): Call => {
        const c = typeof made === 'function' ? made() : made;
        return c.rawBody !== undefined ? c : { ...c, body: { ...(c.body as object), requestId: id } };
      };
      const machine = typeof first === 'function';

      const a = await call(handler, withId(first));
      if (![200, 201, 202].includes(a.status)) throw new Error(`first call: ${a.status} ${JSON.stringify(a.body)}`);
      await tap.read();
      const b = await call(handler, withId(first));
      expect(b.status).toBe(a.status);
      expect(b.body).toEqual(a.body);
      // Only the machine API's signature nonce (its replay guard, before the route) may be written by the retry.
      const written = (await tap.read()).map((x) => x.dynamodb?.Keys?.pk?.S ?? '');
      expect(written.filter((pk) => !(machine && pk.startsWith('NONCE#')))).toEqual([]);

      const c = await call(handler, withId(other));
      if (machine) {
        // The machine API: another batch is another request (its own key), served normally.
        expect(c.status).toBe(200);
      } else {
        expect(c.status).toBe(409);
        expect(c.body.error).toMatchObject({
          code: 'IDEMPOTENCY_KEY_REUSED',
          message: '该请求编号已用于另一项操作，请刷新页面后重新提交',
        });
      }
    },
  );
});
