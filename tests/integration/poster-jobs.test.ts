import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { PREFECTURE_ID } from '@mashang/shared';
import { regionItem } from '../../functions/src/data/registry';
import { runPosterJob } from '../../functions/src/domain/poster-jobs';
import { createJob, getJob, listJobs, retryJob } from '../../functions/src/handlers/posters';
import { call, loginAs, requestId, uniq } from '../support/api';
import { aDepartment, anOfficial, aWindow, getItem, partition, put } from '../support/builders';

async function operator(scope = PREFECTURE_ID) {
  const o = await anOfficial([{ role: 'operator', scope }]);
  return { ...(await loginAs(o.loginCode)), userId: o.userId };
}

function pdfPages(pdf: Uint8Array): number {
  const info = execFileSync('pdfinfo', ['-'], { input: pdf }).toString('utf8');
  return Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
}

function qrOfPage(pdf: Uint8Array, page: number): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'posterjob-'));
  writeFileSync(join(dir, 'p.pdf'), pdf);
  execFileSync('pdftoppm', [
    '-r',
    '100',
    '-f',
    `${page}`,
    '-l',
    `${page}`,
    '-png',
    '-singlefile',
    join(dir, 'p.pdf'),
    join(dir, 'page'),
  ]);
  const png = PNG.sync.read(readFileSync(join(dir, 'page.png')));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

/** A county with two departments: 3 windows and 1 window (and one retired window that gets no poster). */
async function aCounty() {
  const regionId = uniq('r');
  await put(regionItem({ id: regionId, name: `测试县${regionId.slice(-4)}`, path: `${PREFECTURE_ID}/${regionId}` }));
  const d1 = await aDepartment({ regionId });
  const d2 = await aDepartment({ regionId });
  const w1 = [await aWindow({ department: d1 }), await aWindow({ department: d1 }), await aWindow({ department: d1 })];
  const w2 = [await aWindow({ department: d2 })];
  const retired = await aWindow({ department: d2 });
  await put({ ...(await getItem({ pk: `WIN#${retired.window.id}`, sk: 'META' })), status: 'retired' });
  return { regionId, d1, d2, w1, w2 };
}

describe('poster jobs', () => {
  test('when an operator asks for a county’s posters, then a job answers at once and its run zips one PDF per department with a page per active window whose QR carries the window’s link', async () => {
    const c = await aCounty();
    const op = await operator();

    const res = await call(createJob, { token: op.token, body: { requestId: requestId(), countyId: c.regionId } });

    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      state: 'running',
      stateLabel: '正在生成',
      scopeName: `测试县${c.regionId.slice(-4)}`,
    });
    expect(res.body.url).toBeUndefined();
    expect(await runPosterJob(res.body.id)).toBe('done');

    const got = await call(getJob, { token: op.token, params: { id: res.body.id } });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ state: 'done', windows: 4, progress: { done: 2, total: 2 } });
    expect(got.body.url).toContain('X-Amz-Signature=');
    const zip = Buffer.from(await (await fetch(got.body.url)).arrayBuffer());
    expect(got.body.bytes).toBe(zip.byteLength);
    const files = unzipSync(new Uint8Array(zip));
    const names = Object.keys(files).sort();
    expect(names).toHaveLength(2);
    const byDept = (d: { name: string }) => files[names.find((n) => n.includes(d.name))!];
    expect(pdfPages(byDept(c.d1))).toBe(3);
    expect(pdfPages(byDept(c.d2))).toBe(1);
    const first = [...c.w1].sort((a, b) => a.window.id.localeCompare(b.window.id))[0];
    expect(qrOfPage(byDept(c.d1), 1)).toBe(`https://mashang.haibei.gov.cn/c/${first.code}`);
    const text = execFileSync('pdftotext', ['-', '-'], { input: byDept(c.d1) }).toString('utf8');
    for (const w of c.w1) expect(text).toContain(w.window.name);

    const audit = (await partition(`AUDIT#poster#${res.body.id}`)).filter((e) => e.action === 'poster.generate');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: { userId: op.userId, role: 'operator' },
      scope: `${PREFECTURE_ID}/${c.regionId}`,
    });
  }, 180000);

  test('when the same request is sent twice and the worker runs twice at once, then there is one job, one audit entry and the same zip', async () => {
    const c = await aCounty();
    const op = await operator();
    const body = { requestId: requestId(), departmentId: c.d1.id };

    const a = await call(createJob, { token: op.token, body });
    const b = await call(createJob, { token: op.token, body });
    expect(b.body.id).toBe(a.body.id);
    const states = await Promise.all([runPosterJob(a.body.id), runPosterJob(a.body.id)]);
    expect(states).toEqual(['done', 'done']);
    expect(await runPosterJob(a.body.id)).toBe('done');

    const got = await call(getJob, { token: op.token, params: { id: a.body.id } });
    expect(got.body).toMatchObject({ state: 'done', windows: 3, progress: { done: 1, total: 1 } });
    const files = unzipSync(new Uint8Array(await (await fetch(got.body.url)).arrayBuffer()));
    expect(Object.keys(files)).toHaveLength(1);
    expect(pdfPages(Object.values(files)[0])).toBe(3);
    expect((await partition(`AUDIT#poster#${a.body.id}`)).filter((e) => e.action === 'poster.generate')).toHaveLength(
      1,
    );
    const list = await call(listJobs, { token: op.token });
    expect(list.body.items.filter((j: { id: string }) => j.id === a.body.id)).toHaveLength(1);
  }, 180000);

  test('when a job failed midway, then retry runs it again to done', async () => {
    const c = await aCounty();
    const op = await operator();
    const a = await call(createJob, { token: op.token, body: { requestId: requestId(), departmentId: c.d2.id } });
    const rec = await getItem({ pk: `POSTERJOB#${a.body.id}`, sk: 'META' });
    await put({ ...rec, state: 'failed', failure: '生成过程中出错' });

    expect(await runPosterJob(a.body.id)).toBe('failed');
    const retried = await call(retryJob, { token: op.token, params: { id: a.body.id } });
    expect(retried.status).toBe(202);
    expect(retried.body.state).toBe('running');
    expect(await runPosterJob(a.body.id)).toBe('done');
    expect((await call(getJob, { token: op.token, params: { id: a.body.id } })).body).toMatchObject({
      state: 'done',
      windows: 1,
    });
  }, 180000);

  test('when the caller is not an operator of that scope, or names both a department and a county, then it is refused and no job is stored', async () => {
    const c = await aCounty();
    const other = await operator(`${PREFECTURE_ID}/${uniq('r')}`);
    const inspector = await loginAs((await anOfficial([{ role: 'inspector', scope: PREFECTURE_ID }])).loginCode);
    const op = await operator();

    const outside = await call(createJob, {
      token: other.token,
      body: { requestId: requestId(), countyId: c.regionId },
    });
    expect(outside.status).toBe(404);
    const notOperator = await call(createJob, {
      token: inspector.token,
      body: { requestId: requestId(), departmentId: c.d1.id },
    });
    expect(notOperator.status).toBe(404);
    const whole = await call(createJob, { token: other.token, body: { requestId: requestId() } });
    expect(whole.status).toBe(403);
    const both = await call(createJob, {
      token: op.token,
      body: { requestId: requestId(), countyId: c.regionId, departmentId: c.d1.id },
    });
    expect(both.status).toBe(400);
    expect(both.body.error.code).toBe('VALIDATION_FAILED');
    const list = await call(listJobs, { token: op.token });
    expect(list.body.items.some((j: { scopeName: string }) => j.scopeName.endsWith(c.regionId.slice(-4)))).toBe(false);
  });
});
