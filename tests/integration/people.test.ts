import { PREFECTURE_ID } from '@mashang/shared';
import { login } from '../../functions/src/handlers/auth';
import { bind, bindingCode, create, get, grant, list, revoke } from '../../functions/src/handlers/people';
import { call, loginAs, requestId, uniq } from '../support/api';
import { aDepartment, anOfficial, aWindow, partition } from '../support/builders';

async function operator(scope = PREFECTURE_ID) {
  const o = await anOfficial([{ role: 'operator', scope }]);
  return { ...(await loginAs(o.loginCode)), userId: o.userId };
}

const personBody = (departmentId: string, extra: Record<string, unknown> = {}) => ({
  requestId: requestId(),
  name: '马建国',
  post: '副局长',
  phone: '13912345678',
  departmentId,
  ...extra,
});

const auditOf = async (id: string) => (await partition(`AUDIT#person#${id}`)).map((e) => e.action).sort();

describe('people and roles', () => {
  test('when an operator registers an official with a role, then the person is listed in the department with the masked phone, and a retried request creates nobody new', async () => {
    const d = await aDepartment();
    const op = await operator();
    const body = personBody(d.id, { grants: [{ role: 'handler', scope: d.path }] });

    const res = await call(create, { token: op.token, body });
    const again = await call(create, { token: op.token, body });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: '马建国',
      post: '副局长',
      phone: '139****5678',
      department: { id: d.id },
      grants: [{ role: 'handler', scope: d.path, roleLabel: '部门负责人' }],
    });
    expect(again.body.id).toBe(res.body.id);
    const listed = await call(list, { token: op.token, query: { departmentId: d.id } });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((p: { id: string }) => p.id)).toEqual([res.body.id]);
    expect(await auditOf(res.body.id)).toEqual(['person.create', 'role.grant']);
  });

  test('when the input is bad or outside the operator’s scope, then field errors in Chinese and nothing is stored', async () => {
    const d = await aDepartment();
    const other = await aDepartment();
    const op = await operator(`${PREFECTURE_ID}/${d.regionId}`);

    const badPhone = await call(create, { token: op.token, body: personBody(d.id, { phone: '123' }) });
    expect(badPhone.status).toBe(400);
    expect(badPhone.body.error.issues[0]).toMatchObject({ path: 'phone', message: expect.stringContaining('手机号') });
    const foreignDept = await call(create, { token: op.token, body: personBody(other.id) });
    expect(foreignDept.status).toBe(400);
    expect(foreignDept.body.error.issues[0].path).toBe('departmentId');
    const foreignGrant = await call(create, {
      token: op.token,
      body: personBody(d.id, { grants: [{ role: 'inspector', scope: PREFECTURE_ID }] }),
    });
    expect(foreignGrant.status).toBe(403);
    const badRole = await call(create, {
      token: op.token,
      body: personBody(d.id, { grants: [{ role: 'enterprise', scope: d.path }] }),
    });
    expect(badRole.status).toBe(400);
    const inspector = await loginAs((await anOfficial([{ role: 'inspector', scope: PREFECTURE_ID }])).loginCode);
    expect((await call(create, { token: inspector.token, body: personBody(d.id) })).status).toBe(400);
    expect((await call(list, { token: inspector.token, query: {} })).status).toBe(403);
    const listed = await call(list, { token: op.token, query: { departmentId: d.id } });
    expect(listed.body.items).toEqual([]);
  });

  test('when a person binds their WeChat account with the code, then sign-in carries their roles; a role granted later is theirs at once and a revoked one is gone at the next sign-in', async () => {
    const w = await aWindow();
    const op = await operator();
    const person = (
      await call(create, {
        token: op.token,
        body: personBody(w.department.id, {
          post: '窗口工作人员',
          grants: [{ role: 'window_staff', scope: w.window.path }],
        }),
      })
    ).body;

    const issued = await call(bindingCode, { token: op.token, params: { id: person.id } });
    expect(issued.status).toBe(201);
    expect(issued.body.code).toMatch(/^\d{6}$/);
    const wechatCode = uniq('staff-');
    const me = await loginAs(wechatCode);
    const wrong = await call(bind, {
      token: me.token,
      body: { personId: person.id, bindingCode: issued.body.code === '000000' ? '000001' : '000000' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('BINDING_CODE_INVALID');
    const bound = await call(bind, { token: me.token, body: { personId: person.id, bindingCode: issued.body.code } });
    expect(bound.status).toBe(200);
    expect(bound.body.user.roles).toEqual([{ role: 'window_staff', scope: w.window.path }]);
    const reused = await call(bind, {
      token: (await loginAs(uniq('other-'))).token,
      body: { personId: person.id, bindingCode: issued.body.code },
    });
    expect(reused.status).toBeGreaterThanOrEqual(400);

    const granted = await call(grant, {
      token: op.token,
      params: { id: person.id },
      body: { role: 'handler', scope: w.department.path },
    });
    expect(granted.status).toBe(201);
    let signIn = await call(login, { body: { code: wechatCode } });
    expect(signIn.body.user.roles).toEqual(
      expect.arrayContaining([
        { role: 'window_staff', scope: w.window.path },
        { role: 'handler', scope: w.department.path },
      ]),
    );

    const revoked = await call(revoke, {
      token: op.token,
      params: { id: person.id },
      body: { role: 'handler', scope: w.department.path },
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body.grants.map((g: { role: string }) => g.role)).toEqual(['window_staff']);
    signIn = await call(login, { body: { code: wechatCode } });
    expect(signIn.body.user.roles).toEqual([{ role: 'window_staff', scope: w.window.path }]);
    const twice = await call(revoke, {
      token: op.token,
      params: { id: person.id },
      body: { role: 'handler', scope: w.department.path },
    });
    expect(twice.status).toBe(409);

    const shown = await call(get, { token: op.token, params: { id: person.id } });
    expect(shown.body).toMatchObject({ userId: me.userId });
    expect(await auditOf(person.id)).toEqual(
      ['binding.bind', 'binding.issue', 'person.create', 'role.grant', 'role.grant', 'role.revoke'].sort(),
    );
  });

  test('when an operator revokes a bound person’s role, then the grants version moves in the same write and the token issued before is refused at its next request (no waiting for its expiry)', async () => {
    const d = await aDepartment();
    const county = `${PREFECTURE_ID}/${d.regionId}`;
    const op = await operator();
    const person = (
      await call(create, {
        token: op.token,
        body: personBody(d.id, { grants: [{ role: 'operator', scope: county }] }),
      })
    ).body;
    const code = (await call(bindingCode, { token: op.token, params: { id: person.id } })).body.code;
    const wechatCode = uniq('op-');
    const me = await loginAs(wechatCode);
    const bound = await call(bind, { token: me.token, body: { personId: person.id, bindingCode: code } });
    expect(bound.status).toBe(200);
    const oldToken = bound.body.token;
    expect((await call(list, { token: oldToken, query: {} })).status).toBe(200);
    const [before] = (await partition(`USER#${me.userId}`)).filter((i) => i.sk === 'META');

    const revoked = await call(revoke, {
      token: op.token,
      params: { id: person.id },
      body: { role: 'operator', scope: county },
    });
    expect(revoked.status).toBe(200);
    const userItems = await partition(`USER#${me.userId}`);
    expect(userItems.filter((i) => i.type === 'grant')).toEqual([]);
    expect(Number(userItems.find((i) => i.sk === 'META')!.grantsVersion)).toBe(Number(before.grantsVersion ?? 0) + 1);

    // This process remembered the version it read a moment ago for at most a minute (GRANTS_CHECK_SECONDS); any
    // instance that has not read it yet refuses the old token at once.
    const clock = jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 61_000);
    try {
      const stale = await call(list, { token: oldToken, query: {} });
      expect(stale.status).toBe(401);
      expect(stale.body.error.message).toMatch(/权限已变更/);
      const fresh = await call(login, { body: { code: wechatCode } });
      expect(fresh.body.user.roles).toEqual([]);
      expect((await call(list, { token: fresh.body.token, query: {} })).status).toBe(403);
    } finally {
      clock.mockRestore();
    }
  });

  test('when an operator of another county asks for a person, then 404', async () => {
    const d = await aDepartment();
    const op = await operator();
    const person = (await call(create, { token: op.token, body: personBody(d.id) })).body;
    const other = await operator(`${PREFECTURE_ID}/${uniq('r')}`);
    expect((await call(get, { token: other.token, params: { id: person.id } })).status).toBe(404);
    expect(
      (await call(grant, { token: other.token, params: { id: person.id }, body: { role: 'handler', scope: d.path } }))
        .status,
    ).toBe(404);
    expect((await call(bindingCode, { token: other.token, params: { id: person.id } })).status).toBe(404);
  });
});
