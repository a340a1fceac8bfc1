import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PREFECTURE_ID, REPORT_COLUMNS } from '@mashang/shared';
import { strFromU8, unzipSync } from 'fflate';
import { regionItem } from '../../functions/src/data/registry';
import { counterWrites, type DayCounts } from '../../functions/src/data/stats';
import { transact } from '../../functions/src/data/table';
import { generate } from '../../functions/src/handlers/reports';
import { get } from '../../functions/src/handlers/report-reading';
import { call, loginAs, requestId, uniq } from '../support/api';
import { aDepartment, anOfficial, aWindow, partition, put } from '../support/builders';

async function seed(path: string, date: string, add: DayCounts) {
  const outcome = await transact(counterWrites([{ path, date, add }]));
  if (outcome !== 'stored') throw new Error(`seed failed: ${JSON.stringify(outcome)}`);
}

async function official(role: 'inspector' | 'handler' | 'operator', scope: string) {
  const { loginCode } = await anOfficial([{ role, scope }]);
  return (await loginAs(loginCode)).token;
}

/** pdftotext (poppler-utils) reads the PDF back; whitespace is dropped (lines wrap anywhere in Chinese). */
async function pdfText(url: string): Promise<string> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  const file = join(mkdtempSync(join(tmpdir(), 'report-')), 'r.pdf');
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return execFileSync('pdftotext', [file, '-']).toString().replace(/\s+/g, '');
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** The text runs (<w:t>) of a piece of WordprocessingML joined: Word may split a sentence into runs anywhere. */
const runs = (xml: string) =>
  [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)]
    .map((m) => m[1].replace(/&(\w+);/g, (e, name: string) => XML_ENTITIES[name] ?? e))
    .join('');

/**
 * The Word file behind a link, read with fflate from its word/document.xml: the text of each paragraph (table cells'
 * paragraphs included) and the cells of each table row. A missing file fails on the status, an empty one on unzipping.
 */
async function docxText(url: string): Promise<{ paragraphs: string[]; rows: string[][]; disposition: string }> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
  expect(Object.keys(files)).toContain('word/document.xml');
  const xml = strFromU8(files['word/document.xml']);
  return {
    paragraphs: [...xml.matchAll(/<w:p[\s>][\s\S]*?<\/w:p>/g)].map((m) => runs(m[0])),
    rows: [...xml.matchAll(/<w:tr[\s>][\s\S]*?<\/w:tr>/g)].map((m) =>
      [...m[0].matchAll(/<w:tc[\s>][\s\S]*?<\/w:tc>/g)].map((c) => runs(c[0])),
    ),
    disposition: decodeURIComponent(res.headers.get('content-disposition') ?? ''),
  };
}

/** A county of its own (with its region item, so it has a name) and two departments with a window each. */
async function county() {
  const regionId = uniq('r');
  const region = `${PREFECTURE_ID}/${regionId}`;
  const name = `测试县${regionId.slice(-4)}`;
  await put(regionItem({ id: regionId, name, path: region }));
  const a = await aDepartment({ regionId });
  const b = await aDepartment({ regionId });
  const wa = await aWindow({ department: a });
  const wb = await aWindow({ department: b });
  return { regionId, region, name, a, b, wa, wb };
}

const MONTH = '2026-11';

describe('the monthly report', () => {
  test('when a county inspector generates November, then the text states the seeded figures in the article’s form, the tables hold each department, the PDF and the Word file say the same, and the snapshot does not move when the data does', async () => {
    const k = await county();
    // Department a: most of the month; department b: a few ratings. October and December count nowhere.
    await seed(k.wa.window.path, '2026-11-03', {
      ratings: 4500,
      good: 4280,
      bad: 3,
      l5: 4280,
      l3: 217,
      l1: 3,
      entRatings: 500,
      badRepliedInTime: 2,
      invitationsSent: 342,
      visits: 112,
      visitRatings: 90,
      visitGood: 88,
      cases: 5,
      closed: 4,
      overdue: 1,
      letters: 2,
      callbacks: 2,
      interviews: 1,
    });
    await seed(k.wb.window.path, '2026-11-20', { ratings: 23, good: 20, l5: 20, l3: 3, entRatings: 23 });
    await seed(k.wa.window.path, '2026-10-31', { ratings: 999, good: 999, l5: 999 });
    const token = await official('inspector', k.region);

    const created = await call(generate, {
      token,
      body: { requestId: requestId(), scope: k.region, month: MONTH },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ scope: k.region, month: MONTH, version: 1 });

    const r = await call(get, { token, query: { scope: k.region, month: MONTH } });
    expect(r.status).toBe(200);
    const sentence = `2026年11月，${k.name}企业、群众扫码评议4500余人次，推送评价短信340余条，各级干部访企登记接受监督110余次，${k.name}纪委监委对3件“不满意”评议，制发工作提示函2份、电话回访2次。`;
    expect(r.body.sentences).toEqual([
      sentence,
      `${k.name}纪委监委约谈相关责任人1人次。`,
      '本月新开督办件5件，办结4件，逾期1件。',
      '好评率95.1%，差评回复率66.7%，访企满意率97.8%。',
    ]);
    expect(r.body.text).toBe(r.body.sentences.join(''));
    expect(r.body).toMatchObject({ scopeName: k.name, from: '2026-11-01', to: '2026-11-30', version: 1 });
    expect(r.body.figures).toMatchObject({ ratings: 4523, citizen: 4000, enterprise: 523, bad: 3, goodRate: 95.1 });
    // A county report has no county table; one row per department.
    expect(r.body.counties).toEqual([]);
    const rows = Object.fromEntries(
      r.body.departments.map((d: { id: string; ratings: number; enterprise: number; goodRate: number }) => [
        d.id,
        [d.ratings, d.enterprise, d.goodRate],
      ]),
    );
    expect(rows).toEqual({ [k.a.id]: [4500, 500, 95.1], [k.b.id]: [23, 23, 87] });

    // The PDF (rendered once, at generation) reads back with the same sentence and the departments' rows.
    const text = await pdfText(r.body.pdf.url);
    expect(text).toContain(sentence);
    expect(text).toContain('分部门情况');
    expect(text).toContain(`${k.a.name}4500400050095.1%`);

    // The Word file (rendered at this first reading) holds the same title, text and table: the header and
    // department a's row, cell by cell.
    const word = await docxText(r.body.docx.url);
    expect(word.disposition).toContain(`${k.name}监督评议月度报告-2026-11-第1版.docx`);
    expect(word.paragraphs).toContain(`${k.name}政务服务监督评议月度报告`);
    expect(word.paragraphs).toContain(r.body.text);
    expect(word.paragraphs.find((p) => p.includes(sentence))).toBeDefined();
    expect(word.paragraphs).toContain('分部门情况');
    expect(word.paragraphs).not.toContain('分区县情况');
    expect(word.rows).toContainEqual(['单位', ...REPORT_COLUMNS.map((c) => c.title)]);
    expect(word.rows).toContainEqual([k.a.name, ...'4500 4000 500 95.1% 3 66.7% 342 112 97.8% 5 4 1 2 2 1'.split(' ')]);
    expect(word.rows).toHaveLength(3);

    // New counters after generation: reopening shows the snapshot, not today's sums.
    await seed(k.wa.window.path, '2026-11-28', { ratings: 1000, good: 1000, l5: 1000, interviews: 4 });
    const again = await call(get, { token, query: { scope: k.region, month: MONTH } });
    expect(again.body.text).toBe(r.body.text);
    expect(again.body.figures).toEqual(r.body.figures);
    expect(again.body.generatedAt).toBe(r.body.generatedAt);
  });

  test('when a report was stored before Word files existed (no docxKey), then reading it renders its Word file from the snapshot, beside its PDF, and the stored item stays as it was', async () => {
    const k = await county();
    await seed(k.wa.window.path, '2026-11-05', { ratings: 40, good: 40, l5: 40 });
    const token = await official('inspector', k.region);
    expect(
      (await call(generate, { token, body: { requestId: requestId(), scope: k.region, month: MONTH } })).status,
    ).toBe(201);
    // The item as a report generated before this change was stored: no Word file, no key.
    const [item] = await partition(`REPORT#${k.region}`);
    expect(item.docxKey).toBe(String(item.pdfKey).replace(/\.pdf$/, '.docx'));
    const { docxKey: _docx, ...old } = item;
    await put(old);
    // Counters that come later are not in the snapshot, so not in its Word file either.
    await seed(k.wa.window.path, '2026-11-06', { ratings: 60, good: 30, l5: 30, l1: 30, bad: 30 });

    const r = (await call(get, { token, query: { scope: k.region, month: MONTH } })).body;
    expect(r.figures.ratings).toBe(40);
    expect(new URL(r.docx.url).pathname).toBe(new URL(r.pdf.url).pathname.replace(/\.pdf$/, '.docx'));
    const word = await docxText(r.docx.url);
    expect(word.paragraphs).toContain(r.text);
    expect(r.text).toBe(`2026年11月，${k.name}企业、群众扫码评议40人次。好评率100%。`);
    expect(word.rows).toContainEqual([k.a.name, ...'40 40 0 100% 0 — 0 0 — 0 0 0 0 0 0'.split(' ')]);
    // Read again: the same file under the same key, and the item was never rewritten (reading only reads the table).
    const again = (await call(get, { token, query: { scope: k.region, month: MONTH } })).body;
    expect(new URL(again.docx.url).pathname).toBe(new URL(r.docx.url).pathname);
    expect((await docxText(again.docx.url)).paragraphs).toContain(r.text);
    expect((await partition(`REPORT#${k.region}`))[0].docxKey).toBeUndefined();
  });

  test('when a report exists, then generating it again needs regenerate: true, makes version 2 from the current counters, and both generations are in the audit trail', async () => {
    const k = await county();
    await seed(k.wa.window.path, '2026-11-05', { ratings: 40, good: 40, l5: 40 });
    const token = await official('inspector', k.region);
    const first = { requestId: requestId(), scope: k.region, month: MONTH };
    expect((await call(generate, { token, body: first })).status).toBe(201);
    // The same request again is the same answer (idempotent), not a new version.
    const replay = await call(generate, { token, body: first });
    expect(replay.status).toBe(201);
    expect(replay.body.version).toBe(1);

    await seed(k.wa.window.path, '2026-11-06', { ratings: 60, good: 30, l5: 30, l1: 30, bad: 30 });
    const refused = await call(generate, { token, body: { requestId: requestId(), scope: k.region, month: MONTH } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('CONFLICT');
    expect(refused.body.error.message).toContain('重新生成');
    expect((await call(get, { token, query: { scope: k.region, month: MONTH } })).body.figures.ratings).toBe(40);

    const second = await call(generate, {
      token,
      body: { requestId: requestId(), scope: k.region, month: MONTH, regenerate: true },
    });
    expect(second.status).toBe(201);
    expect(second.body.version).toBe(2);
    const now = (await call(get, { token, query: { scope: k.region, month: MONTH } })).body;
    expect(now).toMatchObject({ version: 2, figures: { ratings: 100, bad: 30, goodRate: 70 } });
    expect(now.sentences[0]).toBe(
      `2026年11月，${k.name}企业、群众扫码评议100人次，${k.name}纪委监委对30件“不满意”评议跟踪督办。`,
    );
    // Version 2 has Word and PDF files of its own, with its text.
    const word = await docxText(now.docx.url);
    expect(word.paragraphs).toContain(now.text);
    expect(word.paragraphs.find((p) => p.includes('第 2 版'))).toBeDefined();
    expect(word.disposition).toContain('第2版.docx');

    const trail = (await partition(`AUDIT#report#${k.region}#${MONTH}`)).sort((x, y) =>
      String(x.at).localeCompare(String(y.at)),
    );
    expect(trail.map((e) => e.action)).toEqual(['report.generate', 'report.regenerate']);
    expect(trail[1]).toMatchObject({
      actor: { role: 'inspector', scope: k.region },
      before: { version: 1, figures: { ratings: 40 } },
      after: { version: 2, figures: { ratings: 100 } },
    });
  });

  test('when a caller is outside the scope or not an inspector or operator, then generate and read answer 403 (401 without login); a prefecture inspector reads a county’s report', async () => {
    const k = await county();
    const own = await official('inspector', k.region);
    await call(generate, { token: own, body: { requestId: requestId(), scope: k.region, month: MONTH } });
    const other = await county();
    const callers = [
      await official('inspector', other.region),
      await official('operator', other.region),
      await official('handler', k.a.path),
      (await loginAs(uniq('citizen-'))).token,
    ];
    for (const token of callers) {
      const g = await call(generate, { token, body: { requestId: requestId(), scope: k.region, month: MONTH } });
      expect(g.status).toBe(403);
      expect((await call(get, { token, query: { scope: k.region, month: MONTH } })).status).toBe(403);
    }
    expect((await call(get, { query: { scope: k.region, month: MONTH } })).status).toBe(401);
    const prefecture = await official('inspector', PREFECTURE_ID);
    expect((await call(get, { token: prefecture, query: { scope: k.region, month: MONTH } })).status).toBe(200);
    // A department's own report, by the county's operator.
    const operator = await official('operator', k.region);
    const dept = await call(generate, {
      token: operator,
      body: { requestId: requestId(), scope: k.a.path, month: MONTH },
    });
    expect(dept.status).toBe(201);
    const d = (await call(get, { token: operator, query: { scope: k.a.path, month: MONTH } })).body;
    expect(d.departments.map((x: { id: string }) => x.id)).toEqual([k.a.id]);
    // Not generated yet; a future month; a window scope.
    const none = await call(get, { token: own, query: { scope: k.region, month: '2026-09' } });
    expect([none.status, none.body.error.message]).toEqual([404, '该月报告尚未生成']);
    const future = await call(generate, {
      token: own,
      body: { requestId: requestId(), scope: k.region, month: '2099-01' },
    });
    expect(future.status).toBe(400);
    const win = await call(get, { token: own, query: { scope: k.wa.window.path, month: MONTH } });
    expect(win.status).toBe(400);
  });
});
