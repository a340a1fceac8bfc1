import ExcelJS from 'exceljs';
import { PREFECTURE_ID, shanghaiDate } from '@mashang/shared';
import { K } from '../../functions/src/data/keys';
import { regionItem } from '../../functions/src/data/registry';
import { csvCell, runExportJob } from '../../functions/src/domain/exports';
import { submit as submitComplaint } from '../../functions/src/handlers/complaints';
import { create, get, list, retry } from '../../functions/src/handlers/exports';
import { submit as submitRating } from '../../functions/src/handlers/scan';
import { call, loginAs, requestId, uniq } from '../support/api';
import { aDepartment, anOfficial, aWindow, getItem, partition, put } from '../support/builders';

const PHONE = '13912345678';
const COMPLAINANT_PHONE = '13800001111';

async function official(role: 'inspector' | 'operator' | 'handler', scope: string) {
  const o = await anOfficial([{ role, scope }]);
  return { ...(await loginAs(o.loginCode)), userId: o.userId };
}

/** A county with two departments, three ratings (one 差评 with a phone) and a real-name complaint. */
async function aCountyWithData() {
  const regionId = uniq('r');
  const region = `${PREFECTURE_ID}/${regionId}`;
  await put(regionItem({ id: regionId, name: `测试县${regionId.slice(-4)}`, path: region }));
  const d1 = await aDepartment({ regionId });
  const d2 = await aDepartment({ regionId });
  const w1 = await aWindow({ department: d1 });
  const w2 = await aWindow({ department: d2 });
  const rate = async (code: string, level: number, extra: Record<string, unknown> = {}) => {
    const { token } = await loginAs(uniq('citizen-'));
    const r = await call(submitRating, { token, body: { requestId: requestId(), code, level, ...extra } });
    expect(r.status).toBe(201);
    return r.body;
  };
  await rate(w1.code, 5);
  await rate(w1.code, 4, { comment: '=1+1 办得快' });
  const bad = await rate(w2.code, 1, { reasons: ['态度生硬'], phone: PHONE, comment: '窗口人员态度生硬' });
  const { token } = await loginAs(uniq('citizen-'));
  const complaint = await call(submitComplaint, {
    token,
    body: {
      requestId: requestId(),
      code: w1.code,
      category: '服务意识不强',
      content: '办事时工作人员一直玩手机，不理睬群众',
      anonymous: false,
      name: '张三丰',
      phone: COMPLAINANT_PHONE,
    },
  });
  expect(complaint.status).toBe(201);
  return { regionId, region, d1, d2, w1, w2, badCaseId: bad.caseId, complaint: complaint.body };
}

const today = () => shanghaiDate(new Date());

async function download(url: string): Promise<Buffer> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

/** Minimal CSV reader for the test (quoted cells, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      row.push(cell.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  return rows;
}

describe('exports (CSV and xlsx, a job outside the request)', () => {
  test('when an inspector exports a county’s ratings as CSV, then the job writes a BOM-prefixed file with the stated columns, no identity, and one audit entry', async () => {
    const c = await aCountyWithData();
    const insp = await official('inspector', c.region);
    const body = {
      requestId: requestId(),
      kind: 'ratings',
      format: 'csv',
      scope: c.region,
      from: today(),
      to: today(),
    };

    const res = await call(create, { token: insp.token, body });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      kind: 'ratings',
      kindLabel: '评价明细',
      format: 'csv',
      scope: c.region,
      scopeName: `测试县${c.regionId.slice(-4)}`,
      state: 'running',
      stateLabel: '正在导出',
      rows: 0,
    });
    expect(res.body.url).toBeUndefined();
    const audit = (await partition(`AUDIT#export#${res.body.id}`)).filter((e) => e.action === 'export.create');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: { userId: insp.userId, role: 'inspector' },
      scope: c.region,
      after: { kind: 'ratings', format: 'csv', from: today(), to: today() },
    });

    expect(await runExportJob(res.body.id)).toBe('done');
    const done = await call(get, { token: insp.token, params: { id: res.body.id } });
    expect(done.body).toMatchObject({ state: 'done', stateLabel: '已完成', rows: 3 });
    expect(done.body.url).toContain('X-Amz-Signature=');
    const file = await download(done.body.url);
    expect(done.body.bytes).toBe(file.byteLength);
    expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM: Excel reads the Chinese right
    const text = file.toString('utf8').slice(1);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([
      '评价编号',
      '评价时间',
      '区县',
      '部门',
      '窗口',
      '评价等级',
      '分值',
      '差评原因',
      '评价内容',
      '评价人类别',
      '一事一评',
      '督办件编号',
      '申诉成立不计入统计',
    ]);
    expect(rows).toHaveLength(4);
    const bad = rows.find((r) => r[6] === '1')!;
    expect(bad).toMatchObject({ 3: c.d2.name, 4: c.w2.window.name, 5: '非常不满意', 7: '态度生硬', 11: c.badCaseId });
    // A cell that a spreadsheet would run as a formula is neutralised.
    expect(rows.some((r) => r[8] === "'=1+1 办得快")).toBe(true);
    // No identity: neither the phone nor any user id.
    expect(text).not.toContain(PHONE);
    expect(text).not.toMatch(/openid|userId/);

    // Listed for the inspector, with its link.
    const listed = await call(list, { token: insp.token });
    expect(listed.body.items.find((i: { id: string }) => i.id === res.body.id)).toMatchObject({
      state: 'done',
      rows: 3,
    });
  }, 120000);

  test('when cases are exported as xlsx, then the sheet has the case columns and no complainant’s name, phone or tracking number', async () => {
    const c = await aCountyWithData();
    const op = await official('operator', PREFECTURE_ID);
    const res = await call(create, {
      token: op.token,
      body: { requestId: requestId(), kind: 'cases', format: 'xlsx', scope: c.region, from: today(), to: today() },
    });
    expect(res.status).toBe(202);
    expect(await runExportJob(res.body.id)).toBe('done');
    const done = await call(get, { token: op.token, params: { id: res.body.id } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await download(done.body.url)) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.name).toBe('督办件');
    const values = (n: number) => (ws.getRow(n).values as unknown[]).slice(1).map((v) => String(v ?? ''));
    expect(values(1)).toEqual([
      '督办件编号',
      '来源',
      '开立时间',
      '区县',
      '部门',
      '窗口',
      '状态',
      '摘要',
      '已电话回访',
      '已反馈整改',
      '逾期次数',
      '办结结果',
      '办结时间',
    ]);
    expect(ws.rowCount).toBe(3); // the 差评's case and the complaint's
    const all = [2, 3].map(values);
    expect(all.map((r) => r[1]).sort()).toEqual(['差评', '投诉举报']);
    expect(all.find((r) => r[1] === '差评')![0]).toBe(c.badCaseId);
    const flat = JSON.stringify(all);
    for (const secret of ['张三丰', COMPLAINANT_PHONE, PHONE, c.complaint.trackingNo, c.complaint.queryCode])
      expect(flat).not.toContain(secret);
  }, 120000);

  test('when the same request is sent again, then it is the same job with one audit entry; reused for another export it is refused', async () => {
    const c = await aCountyWithData();
    const insp = await official('inspector', c.region);
    const body = {
      requestId: requestId(),
      kind: 'ratings',
      format: 'xlsx',
      scope: c.d1.path,
      from: today(),
      to: today(),
    };
    const first = await call(create, { token: insp.token, body });
    const again = await call(create, { token: insp.token, body });
    expect(again.status).toBe(202);
    expect(again.body.id).toBe(first.body.id);
    expect(await partition(`AUDIT#export#${first.body.id}`)).toHaveLength(1);
    const reused = await call(create, { token: insp.token, body: { ...body, kind: 'cases' } });
    expect(reused.status).toBe(409);
    expect(reused.body.error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    // A department's export holds only its windows' ratings; two runs give the same file.
    expect(await runExportJob(first.body.id)).toBe('done');
    expect(await runExportJob(first.body.id)).toBe('done');
    const done = await call(get, { token: insp.token, params: { id: first.body.id } });
    expect(done.body.rows).toBe(2);
  }, 120000);

  test('when a failed export is retried, then it runs again and ends done', async () => {
    const c = await aCountyWithData();
    const insp = await official('inspector', c.region);
    const res = await call(create, {
      token: insp.token,
      body: { requestId: requestId(), kind: 'invitations', format: 'csv', from: today(), to: today() },
    });
    expect(res.body.scope).toBe(c.region); // the caller's own scope by default
    await put({ ...(await getItem(K.exportJob(res.body.id))), state: 'failed', failure: '导出过程中出错' });
    const retried = await call(retry, { token: insp.token, params: { id: res.body.id } });
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({ state: 'running' });
    expect(await getItem(K.exportJob(res.body.id))).toMatchObject({ attempt: 2 });
    expect(await runExportJob(res.body.id)).toBe('done');
    const done = await call(get, { token: insp.token, params: { id: res.body.id } });
    expect(done.body).toMatchObject({ state: 'done', rows: 0 });
    expect((await download(done.body.url)).toString('utf8')).toContain('邀请编号,办件编号,事项');
  }, 120000);

  test('when someone exports outside their scope or sends bad input, then it is refused with a Chinese message and nothing is stored', async () => {
    const c = await aCountyWithData();
    const other = await official('inspector', `${PREFECTURE_ID}/${uniq('r')}`);
    const handler = await official('handler', c.d1.path);
    const citizen = await loginAs(uniq('citizen-'));
    const body = {
      requestId: requestId(),
      kind: 'ratings',
      format: 'csv',
      scope: c.region,
      from: today(),
      to: today(),
    };
    for (const token of [other.token, handler.token, citizen.token]) {
      const r = await call(create, { token, body: { ...body, requestId: requestId() } });
      expect(r.status).toBe(403);
    }
    const insp = await official('inspector', c.region);
    const made = await call(create, { token: insp.token, body });
    expect((await call(get, { token: other.token, params: { id: made.body.id } })).status).toBe(404);
    const listed = await call(list, { token: other.token });
    expect(listed.body.items.map((i: { id: string }) => i.id)).not.toContain(made.body.id);

    const bad: [Record<string, unknown>, RegExp][] = [
      [{ format: 'pdf' }, /文件格式/],
      [{ kind: 'people' }, /导出内容/],
      [{ from: '2026-11-30', to: '2026-11-01' }, /开始日期不能晚于结束日期/],
      [{ from: '2024-01-01', to: '2026-11-01' }, /不能超过一年/],
      [{ scope: 'menyuan' }, /范围格式/],
    ];
    for (const [patch, message] of bad) {
      const id = requestId();
      const r = await call(create, { token: insp.token, body: { ...body, requestId: id, ...patch } });
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body.error)).toMatch(message);
    }
    const mine = await call(list, { token: insp.token });
    expect(mine.body.items.filter((i: { scope: string }) => i.scope === c.region)).toHaveLength(1);
  }, 120000);

  test('csvCell quotes separators and neutralises formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-5')).toBe("'-5");
    expect(csvCell(-5)).toBe('-5');
  });
});
