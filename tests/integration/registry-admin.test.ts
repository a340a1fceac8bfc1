import { creditCodeCheckChar, PREFECTURE_ID } from '@mashang/shared';
import { lookup } from '../../functions/src/handlers/scan';
import { windows } from '../../functions/src/handlers/registry';
import {
  addDepartment,
  addEnterprise,
  addWindow,
  departments,
  editWindow,
  enterpriseDetail,
  retireDept,
  retireWin,
  windowDetail,
} from '../../functions/src/handlers/registry-admin';
import { call, loginAs, uniq } from '../support/api';
import { aDepartment, anOfficial, aWindow, getItem, partition, put } from '../support/builders';
import { regionItem } from '../../functions/src/data/registry';

async function tokenFor(role: 'operator' | 'inspector' | 'handler', scope: string) {
  const o = await anOfficial([{ role, scope }]);
  return { ...(await loginAs(o.loginCode)), userId: o.userId };
}

async function aRegion() {
  const id = uniq('r');
  await put(regionItem({ id, name: `测试县${id.slice(-4)}`, path: `${PREFECTURE_ID}/${id}` }));
  return id;
}

const validCreditCode = () => {
  const body = `91632221MA${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  return body + creditCodeCheckChar(body);
};

describe('registry: departments, windows, enterprises (operators)', () => {
  test('when an operator creates a window, then it is stored with an active code, listed in its department, and audited', async () => {
    const dept = await aDepartment();
    const op = await tokenFor('operator', `${PREFECTURE_ID}/${dept.regionId}`);
    const id = uniq('win-');

    const res = await call(addWindow, {
      token: op.token,
      body: { id, name: '不动产登记窗口', kind: '服务窗口', departmentId: dept.id },
    });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id,
      name: '不动产登记窗口',
      status: 'active',
      codeStatus: 'active',
      department: { id: dept.id },
    });
    expect(res.body.link).toBe(`https://mashang.haibei.gov.cn/c/${res.body.code}`);
    expect((await call(lookup, { params: { code: res.body.code } })).body.window.id).toBe(id);
    const list = await call(windows, { token: op.token, query: { departmentId: dept.id } });
    expect(list.body.items.map((w: any) => w.id)).toEqual([id]);
    const [audit] = await partition(`AUDIT#window#${id}`);
    expect(audit).toMatchObject({
      action: 'window.create',
      actor: { userId: op.userId, role: 'operator' },
      after: { name: '不动产登记窗口' },
    });
  });

  test.each([
    [{ name: 'x', kind: '服务窗口' }, 'name', '窗口名称至少 2 个字'],
    [{ name: '综合窗口', kind: '柜台' }, 'kind', '类型须为 审批科室 或 服务窗口'],
    [{ name: '综合窗口', kind: '服务窗口', id: 'Bad Id' }, 'id', '编号须为'],
  ])(
    'when a window is created with %j, then VALIDATION_FAILED on %s and nothing is stored',
    async (body, field, message) => {
      const dept = await aDepartment();
      const op = await tokenFor('operator', PREFECTURE_ID);
      const id = uniq('win-');
      const res = await call(addWindow, { token: op.token, body: { id, departmentId: dept.id, ...body } });
      expect(res.status).toBe(400);
      expect(res.body.error.issues[0]).toMatchObject({ path: field });
      expect(res.body.error.issues[0].message).toContain(message);
      expect(await getItem({ pk: `WIN#${id}`, sk: 'META' })).toBeUndefined();
    },
  );

  test('when a window id or name is already used in the department, then the field says so and nothing changes', async () => {
    const existing = await aWindow();
    const op = await tokenFor('operator', PREFECTURE_ID);
    const sameId = await call(addWindow, {
      token: op.token,
      body: { id: existing.window.id, name: '新窗口', kind: '服务窗口', departmentId: existing.department.id },
    });
    const sameName = await call(addWindow, {
      token: op.token,
      body: { id: uniq('win-'), name: existing.window.name, kind: '服务窗口', departmentId: existing.department.id },
    });
    expect(sameName.status).toBe(400);
    expect(sameName.body.error.issues[0]).toEqual({ path: 'name', message: '该部门已有同名窗口' });
    expect(sameId.status).toBe(400);
    expect(sameId.body.error.issues[0]).toEqual({ path: 'id', message: '该编号已被使用' });
    expect((await getItem({ pk: `WIN#${existing.window.id}`, sk: 'META' }))!.name).toBe(existing.window.name);
  });

  test('when an operator of another county creates or edits a window here, then 403 and nothing changes', async () => {
    const w = await aWindow();
    const other = await tokenFor('operator', `${PREFECTURE_ID}/${uniq('r')}`);
    const create = await call(addWindow, {
      token: other.token,
      body: { id: uniq('win-'), name: '越权窗口', kind: '服务窗口', departmentId: w.department.id },
    });
    const edit = await call(editWindow, { token: other.token, params: { id: w.window.id }, body: { name: '改名' } });
    const inspector = await tokenFor('inspector', PREFECTURE_ID);
    const byInspector = await call(editWindow, {
      token: inspector.token,
      params: { id: w.window.id },
      body: { name: '改名' },
    });
    expect(create.status).toBe(403);
    expect(edit.status).toBe(403);
    expect(byInspector.status).toBe(403);
    expect((await getItem({ pk: `WIN#${w.window.id}`, sk: 'META' }))!.name).toBe(w.window.name);
  });

  test('when an operator renames a window, then the name changes and the entry holds before and after', async () => {
    const w = await aWindow();
    const op = await tokenFor('operator', PREFECTURE_ID);
    const res = await call(editWindow, {
      token: op.token,
      params: { id: w.window.id },
      body: { name: '企业开办专区' },
    });
    expect(res.status).toBe(200);
    expect((await getItem({ pk: `WIN#${w.window.id}`, sk: 'META' }))!.name).toBe('企业开办专区');
    const [e] = await partition(`AUDIT#window#${w.window.id}`);
    expect(e).toMatchObject({
      action: 'window.update',
      before: { name: w.window.name },
      after: { name: '企业开办专区' },
    });
  });

  test('when an operator retires a window, then its code answers that it is retired, its detail says 已停用, and retiring again writes no second entry', async () => {
    const w = await aWindow();
    const op = await tokenFor('operator', PREFECTURE_ID);

    const res = await call(retireWin, { token: op.token, params: { id: w.window.id }, body: { reason: '窗口撤并' } });
    await call(retireWin, { token: op.token, params: { id: w.window.id }, body: { reason: '窗口撤并' } });
    const scanned = await call(lookup, { params: { code: w.code } });
    const detail = await call(windowDetail, { token: op.token, params: { id: w.window.id } });
    const noReason = await call(retireWin, { token: op.token, params: { id: w.window.id }, body: {} });

    expect(res.status).toBe(200);
    expect(res.body.status).toBe('retired');
    expect(scanned.status).toBe(410);
    expect(scanned.body.error).toMatchObject({ code: 'CODE_REVOKED' });
    expect(scanned.body.error.message).toContain('已撤销停用');
    expect(detail.body).toMatchObject({ status: 'retired', retireReason: '窗口撤并' });
    expect((await partition(`AUDIT#window#${w.window.id}`)).filter((e) => e.action === 'window.retire')).toHaveLength(
      1,
    );
    expect(noReason.status).toBe(400);
  });

  test('when an operator creates a department with a level, then it is listed in its county; a department with active windows cannot be retired', async () => {
    const regionId = await aRegion();
    const op = await tokenFor('operator', PREFECTURE_ID);
    const id = uniq('dept-');
    const created = await call(addDepartment, {
      token: op.token,
      body: { id, name: '浩门镇便民服务中心', level: '乡', regionId },
    });
    const badLevel = await call(addDepartment, {
      token: op.token,
      body: { id: uniq('dept-'), name: '某部门', level: '省', regionId },
    });
    const dup = await call(addDepartment, {
      token: op.token,
      body: { id: uniq('dept-'), name: '浩门镇便民服务中心', level: '乡', regionId },
    });
    await call(addWindow, {
      token: op.token,
      body: { id: uniq('win-'), name: '便民窗口', kind: '服务窗口', departmentId: id },
    });
    const retire = await call(retireDept, { token: op.token, params: { id }, body: { reason: '机构改革' } });
    const list = await call(departments, { token: op.token, query: { county: regionId } });

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id, level: '乡', county: { id: regionId }, status: 'active' });
    expect(badLevel.body.error.issues[0]).toMatchObject({ path: 'level', message: '层级须为 州、县、乡 或 村' });
    expect(dup.body.error.issues[0]).toEqual({ path: 'name', message: '该区县已有同名部门' });
    expect(retire.status).toBe(409);
    expect(list.body.items.map((d: any) => d.id)).toEqual([id]);
  });

  test('when an operator creates an enterprise, then the credit code check character is verified and a credit code is registered once', async () => {
    const regionId = await aRegion();
    const op = await tokenFor('operator', PREFECTURE_ID);
    const cc = validCreditCode();
    const wrongCheck = cc.slice(0, 17) + (cc[17] === '0' ? '1' : '0');
    const bad = await call(addEnterprise, {
      token: op.token,
      body: { id: uniq('ent-'), name: '青海湖商贸有限公司', creditCode: wrongCheck, regionId },
    });
    const good = await call(addEnterprise, {
      token: op.token,
      body: {
        id: uniq('ent-'),
        name: '青海湖商贸有限公司',
        creditCode: cc,
        regionId,
        contactName: '马海龙',
        contactPhone: '13912345678',
      },
    });
    const again = await call(addEnterprise, {
      token: op.token,
      body: { id: uniq('ent-'), name: '另一家公司', creditCode: cc, regionId },
    });
    const detail = await call(enterpriseDetail, { token: op.token, params: { id: good.body.id } });

    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0]).toEqual({ path: 'creditCode', message: '统一社会信用代码校验位不正确，请核对' });
    expect(good.status).toBe(201);
    expect(detail.body).toMatchObject({
      creditCode: cc,
      contactName: '马海龙',
      contactPhone: '139****5678',
      codeStatus: 'active',
    });
    expect(again.status).toBe(400);
    expect(again.body.error.issues[0]).toEqual({ path: 'creditCode', message: '该统一社会信用代码已登记' });
  });

  test('when a window outside the caller scope is read, then 404', async () => {
    const w = await aWindow();
    const handler = await tokenFor('handler', `${PREFECTURE_ID}/${uniq('r')}/${uniq('d')}`);
    expect((await call(windowDetail, { token: handler.token, params: { id: w.window.id } })).status).toBe(404);
  });
});
