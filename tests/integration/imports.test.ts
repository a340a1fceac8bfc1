import ExcelJS from 'exceljs';
import { creditCodeCheckChar, PREFECTURE_ID } from '@mashang/shared';
import { list as auditList } from '../../functions/src/handlers/audit';
import { lookup } from '../../functions/src/handlers/scan';
import { commit, dryRun, errors, get, template } from '../../functions/src/handlers/imports';
import { windows } from '../../functions/src/handlers/registry';
import { runImportCommit } from '../../functions/src/domain/imports';
import { regionItem } from '../../functions/src/data/registry';
import { stageRows } from '../../functions/src/data/imports';
import { call, loginAs, uniq } from '../support/api';
import { anOfficial, getItem, put } from '../support/builders';
import { aCsv, aWorkbook } from '../support/sheets';

async function operator(scope = PREFECTURE_ID) {
  const o = await anOfficial([{ role: 'operator', scope }]);
  return { ...(await loginAs(o.loginCode)), userId: o.userId };
}

async function aRegion() {
  const id = uniq('r');
  const name = `测试县${id.slice(-5)}`;
  await put(regionItem({ id, name, path: `${PREFECTURE_ID}/${id}` }));
  return { id, name };
}

const creditCode = () => {
  const body = `91632221MA${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  return body + creditCodeCheckChar(body);
};

/** A small registry file: one department of a fresh region, `n` windows in it, one enterprise. */
function aFile(regionName: string, n: number) {
  const dept = uniq('dept-');
  return {
    dept,
    windows: Array.from({ length: n }, (_, i) => ({
      id: `${dept}-w${i + 1}`,
      name: `综合窗口${i + 1}号`,
      kind: '服务窗口',
      departmentId: dept,
    })),
    sheets: {
      departments: [{ id: dept, name: `测试便民服务中心${dept.slice(-4)}`, region: regionName, level: '乡' }],
      enterprises: [
        {
          id: uniq('ent-'),
          name: '测试商贸有限公司',
          creditCode: creditCode(),
          region: regionName,
          contactName: '马建国',
          contactPhone: '13912345678',
        },
      ],
    },
  };
}

const upload = (token: string, fileName: string, data: Buffer, kind?: string) =>
  call(dryRun, { token, body: { fileName, contentBase64: data.toString('base64'), ...(kind ? { kind } : {}) } });

describe('bulk import (dry run, all-or-nothing commit, resume)', () => {
  test('when the template is downloaded, then it is an xlsx with the three sheets, their columns and an example row', async () => {
    const op = await operator();
    const res = await call(template, { token: op.token, query: { format: 'xlsx' } });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(res.body as string, 'base64') as unknown as ArrayBuffer);
    expect(wb.getWorksheet('窗口')!.getRow(1).values).toEqual([undefined, '窗口编号', '窗口名称', '类型', '部门编号']);
    expect(wb.getWorksheet('企业')!.getRow(2).getCell(3).text).toMatch(/^91/);
    expect(wb.getWorksheet('部门')).toBeDefined();
  });

  test('when a file has bad rows, then the dry run reports each row and field, stores nothing in the registry, and the report downloads as CSV', async () => {
    const op = await operator();
    const region = await aRegion();
    const f = aFile(region.name, 3);
    const bad = [
      ...f.windows.slice(0, 2),
      { id: `${f.dept}-w9`, name: '综合窗口1号', kind: '服务窗口', departmentId: f.dept }, // name repeated in the file
      { id: `${f.dept}-w10`, name: '错误类型窗口', kind: '柜台', departmentId: f.dept },
      { id: `${f.dept}-w11`, name: '无部门窗口', kind: '服务窗口', departmentId: 'no-such-dept' },
    ];
    // A check character other than the right one (a fixed 'Y' is the right one for 1 code in 31).
    const good = creditCode();
    const wrongCheck = good.slice(0, 17) + (good.endsWith('Y') ? 'X' : 'Y');
    const data = await aWorkbook({
      ...f.sheets,
      windows: bad,
      enterprises: [{ ...f.sheets.enterprises[0], creditCode: wrongCheck }],
    });

    const res = await upload(op.token, 'haibei.xlsx', data);

    expect(res.status).toBe(201);
    expect(res.body.state).toBe('invalid');
    const byRow = res.body.errors.map((e: any) => [e.sheet, e.row, e.field]);
    expect(byRow).toEqual(
      expect.arrayContaining([
        ['窗口', 4, 'name'],
        ['窗口', 5, 'kind'],
        ['窗口', 6, 'departmentId'],
        ['企业', 2, 'creditCode'],
      ]),
    );
    expect(res.body.errors.find((e: any) => e.row === 4 && e.sheet === '窗口').message).toContain('与第 2 行重复');
    expect(await getItem({ pk: `WIN#${f.windows[0].id}`, sk: 'META' })).toBeUndefined();
    const csv = await call(errors, { token: op.token, params: { id: res.body.id } });
    const text = Buffer.from(csv.body as string, 'base64').toString('utf8');
    expect(text).toContain('工作表,行号,编号,字段,错误');
    expect(text).toContain('类型须为 审批科室 或 服务窗口');
    const commitInvalid = await call(commit, { token: op.token, params: { id: res.body.id } });
    expect(commitInvalid.status).toBe(409);
  });

  test('when a valid file is committed, then every department, window and enterprise is there with a working code, and the import is done and audited', async () => {
    const op = await operator();
    const region = await aRegion();
    const f = aFile(region.name, 5);
    const dry = await upload(op.token, 'ok.xlsx', await aWorkbook({ ...f.sheets, windows: f.windows }));
    expect(dry.body).toMatchObject({
      state: 'validated',
      counts: { departments: 1, windows: 5, enterprises: 1 },
      errorCount: 0,
    });

    const c = await call(commit, { token: op.token, params: { id: dry.body.id } });
    expect(c.status).toBe(202);
    expect(c.body.state).toBe('committing');
    expect(await runImportCommit(dry.body.id)).toBe('done');

    const after = await call(get, { token: op.token, params: { id: dry.body.id } });
    expect(after.body).toMatchObject({ state: 'done', progress: { done: 14, total: 14 } });
    const listed = await call(windows, { token: op.token, query: { departmentId: f.dept } });
    expect(listed.body.items).toHaveLength(5);
    expect((await call(lookup, { params: { code: listed.body.items[0].code } })).status).toBe(200);
    const trail = await call(auditList, { token: op.token, query: { targetKind: 'import', targetId: dry.body.id } });
    expect(trail.body.items.map((e: any) => e.action)).toEqual(['import.commit', 'import.validate']);
    // Committing again changes nothing.
    expect((await call(commit, { token: op.token, params: { id: dry.body.id } })).body.state).toBe('done');
  });

  test('when a row conflicts at commit time (someone took its id after the dry run), then nothing of the file becomes visible', async () => {
    const op = await operator();
    const region = await aRegion();
    const f = aFile(region.name, 40);
    const dry = await upload(op.token, 'race.xlsx', await aWorkbook({ ...f.sheets, windows: f.windows }));
    expect(dry.body.state).toBe('validated');
    // The 40th window's id is taken by another import meanwhile.
    await put({
      pk: `WIN#${f.windows[39].id}`,
      sk: 'META',
      type: 'window',
      id: f.windows[39].id,
      name: '别处的窗口',
      status: 'active',
    });

    await call(commit, { token: op.token, params: { id: dry.body.id } });
    const state = await runImportCommit(dry.body.id);

    expect(state).toBe('failed');
    const listed = await call(windows, { token: op.token, query: { county: region.id } });
    expect(listed.body.items).toEqual([]);
    const view = await call(get, { token: op.token, params: { id: dry.body.id } });
    expect(view.body.state).toBe('failed');
    expect(view.body.failure).toContain('未导入任何数据');
  });

  test('when a commit died midway, then committing again resumes: rows staged before keep their codes and nothing is written twice', async () => {
    const op = await operator();
    const region = await aRegion();
    const f = aFile(region.name, 35);
    const dry = await upload(op.token, 'resume.xlsx', await aWorkbook({ ...f.sheets, windows: f.windows }));
    await call(commit, { token: op.token, params: { id: dry.body.id } });
    // Simulate the first run dying after staging the department and the first windows: stage them directly.
    const firstCode = 'w' + uniq('').slice(0, 8);
    await stageRows(
      [
        {
          kind: 'window',
          item: {
            id: f.windows[0].id,
            name: f.windows[0].name,
            kind: '服务窗口',
            department: { id: f.dept, name: 'x' },
            county: { id: region.id, name: region.name },
            path: `${PREFECTURE_ID}/${region.id}/${f.dept}/${f.windows[0].id}`,
            codeId: firstCode,
            code: `${firstCode}.sig`,
          },
          code: {
            codeId: firstCode,
            kind: 'window',
            targetId: f.windows[0].id,
            status: 'active',
            issuedAt: new Date().toISOString(),
          },
        },
      ],
      dry.body.id,
    );
    const staged = await getItem({ pk: `WIN#${f.windows[0].id}`, sk: 'META' });
    expect(staged).toMatchObject({ status: 'staged', importId: dry.body.id });
    expect((await call(windows, { token: op.token, query: { county: region.id } })).body.items).toEqual([]);

    // Run twice (a redelivered stream record): the second run finds the import done.
    expect(await runImportCommit(dry.body.id)).toBe('done');
    expect(await runImportCommit(dry.body.id)).toBe('done');

    const w0 = await getItem({ pk: `WIN#${f.windows[0].id}`, sk: 'META' });
    expect(w0).toMatchObject({ status: 'active', codeId: firstCode });
    const listed = await call(windows, { token: op.token, query: { departmentId: f.dept, limit: '100' } });
    expect(listed.body.items).toHaveLength(35);
  });

  test('when a csv of windows is imported by an operator of another county, then each row is out of scope', async () => {
    const region = await aRegion();
    const other = await operator(`${PREFECTURE_ID}/${uniq('r')}`);
    const op = await operator();
    const f = aFile(region.name, 2);
    const dept = await upload(op.token, 'd.xlsx', await aWorkbook({ departments: f.sheets.departments }));
    await call(commit, { token: op.token, params: { id: dept.body.id } });
    expect(await runImportCommit(dept.body.id)).toBe('done');

    const res = await upload(other.token, 'w.csv', aCsv('windows', f.windows), 'windows');

    expect(res.body.state).toBe('invalid');
    expect(res.body.errors.map((e: any) => e.message)).toEqual(['超出您的管理范围', '超出您的管理范围']);
    expect((await call(get, { token: other.token, params: { id: dept.body.id } })).status).toBe(404);
  });

  test('when the upload is not a spreadsheet, or a citizen uploads, then a clear error and nothing stored', async () => {
    const op = await operator();
    const citizen = await loginAs(uniq('citizen-'));
    const notXlsx = await upload(op.token, 'x.xlsx', Buffer.from('hello'));
    const wrongExt = await upload(op.token, 'x.txt', Buffer.from('hello'));
    const byCitizen = await upload(citizen.token, 'x.xlsx', Buffer.from('hello'));
    expect(notXlsx.body.state).toBe('invalid');
    expect(notXlsx.body.errors[0].message).toContain('无法读取 Excel 文件');
    expect(wrongExt.status).toBe(400);
    expect(wrongExt.body.error.issues[0]).toMatchObject({ path: 'fileName', message: '只支持 .xlsx 或 .csv 文件' });
    expect(byCitizen.status).toBe(403);
  });
});
