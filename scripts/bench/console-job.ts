/**
 * Child process of the bench's console section (scripts/bench/console.ts), so that the peak memory it reports is the
 * job's own process. `import`: the full Haibei registry (1200 windows, 70 departments, 120 enterprises) from one xlsx
 * into a registry that holds only the regions: dry run, then commit, each beside its floor. `posters`: posters of all
 * windows of the prefecture as one job, beside one poster at a time × N. Prints one JSON line on stdout.
 *
 * The functions' code is loaded with require (tsx's CommonJS hook), with the esbuild `file` loader's behaviour for the
 * font asset (its import gives its path), exactly as the Lambda bundle does.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

(require as unknown as { extensions: Record<string, (m: { exports: unknown }, f: string) => void> }).extensions['.br'] =
  (m, f) => {
    m.exports = { __esModule: true, default: f };
  };

const session = { userId: 'bench-operator', grants: [{ role: 'operator' as const, scope: 'haibei' }] };
const seconds = (t0: number) => (performance.now() - t0) / 1000;

async function importRegistry(out: Record<string, unknown>) {
  const ExcelJS = require('exceljs') as typeof import('exceljs');
  const shared = require('@mashang/shared') as typeof import('@mashang/shared');
  const demo = require('../../dev/demo-data') as typeof import('../../dev/demo-data');
  const table = require('../../functions/src/data/table') as typeof import('../../functions/src/data/table');
  const registry = require('../../functions/src/data/registry') as typeof import('../../functions/src/data/registry');
  const file =
    require('../../functions/src/domain/import-file') as typeof import('../../functions/src/domain/import-file');
  const imports = require('../../functions/src/domain/imports') as typeof import('../../functions/src/domain/imports');
  const { db, table: tableName } =
    require('../../functions/src/data/client') as typeof import('../../functions/src/data/client');
  const { BatchWriteCommand } = require('@aws-sdk/lib-dynamodb') as typeof import('@aws-sdk/lib-dynamodb');

  // A registry with the regions only.
  await table.transact([
    table.putAny(
      registry.regionItem({ id: shared.PREFECTURE_ID, name: demo.PREFECTURE.name, path: shared.PREFECTURE_ID }),
    ),
    ...demo.REGIONS.map((r) =>
      table.putAny(registry.regionItem({ id: r.id, name: r.name, path: `${shared.PREFECTURE_ID}/${r.id}` })),
    ),
  ]);
  // The full registry as one workbook, as an operator would fill in the template.
  const departments = demo.buildDepartments();
  const windows = demo.buildWindows();
  const enterprises = demo.buildEnterprises();
  const wb = new ExcelJS.Workbook();
  const sheet = (kind: 'departments' | 'windows' | 'enterprises', rows: Record<string, string>[]) => {
    const ws = wb.addWorksheet(shared.IMPORT_SHEETS[kind]);
    ws.addRow(shared.IMPORT_COLUMNS[kind].map((c) => c.header));
    for (const r of rows) ws.addRow(shared.IMPORT_COLUMNS[kind].map((c) => r[c.key] ?? ''));
  };
  sheet(
    'departments',
    departments.map((d) => ({ id: d.id, name: d.name, region: d.regionName, level: d.level })),
  );
  sheet(
    'windows',
    windows.map((w) => ({ id: w.id, name: w.name, kind: w.kind, departmentId: w.department.id })),
  );
  sheet(
    'enterprises',
    enterprises.map((e) => ({
      id: e.id,
      name: e.name,
      creditCode: e.creditCode,
      region: e.county.name,
      contactName: e.contactName,
      contactPhone: e.contactPhone,
    })),
  );
  const data = Buffer.from(await wb.xlsx.writeBuffer());
  const fileName = 'haibei-registry.xlsx';
  writeFileSync(join(process.env.BENCH_WORK ?? '.', fileName), data);
  out.file = {
    bytes: data.byteLength,
    departments: departments.length,
    windows: windows.length,
    enterprises: enterprises.length,
  };

  // Floor of the dry run: reading the file alone.
  let t0 = performance.now();
  const parsed = await file.parseImportFile(fileName, data);
  out.parseSeconds = seconds(t0);
  out.parsedRows = parsed.rows.length;

  t0 = performance.now();
  const dry = await imports.dryRunImport(session, { fileName, contentBase64: data.toString('base64') }, new Date());
  out.dryRunSeconds = seconds(t0);
  out.dryRun = {
    state: dry.state,
    counts: dry.counts,
    errorCount: dry.errorCount,
    firstErrors: dry.errors.slice(0, 3),
  };
  if (dry.state !== 'validated') return;

  t0 = performance.now();
  await imports.commitImport(session, dry.id, new Date());
  const state = await imports.runImportCommit(dry.id);
  out.commitSeconds = seconds(t0);
  out.commitState = state;
  const view = await imports.getImportView(session, dry.id);
  out.committed = view.counts;

  // Floor of the commit: the same number of items written with plain BatchWriteItem (25 a request, one after another).
  const items = departments.length + windows.length * 2 + enterprises.length * 3;
  t0 = performance.now();
  for (let i = 0; i < items; i += 25) {
    const batch = Array.from({ length: Math.min(25, items - i) }, (_, j) => ({
      PutRequest: { Item: { pk: `BENCHFLOOR#${i + j}`, sk: 'META', name: `窗口${i + j}`, path: `haibei/x/${i + j}` } },
    }));
    let req: Record<string, unknown[]> | undefined = { [tableName()]: batch };
    while (req && Object.keys(req).length) {
      const r = await db().send(new BatchWriteCommand({ RequestItems: req as never }));
      req = r.UnprocessedItems as Record<string, unknown[]> | undefined;
    }
  }
  out.floorWriteSeconds = seconds(t0);
  out.floorItems = items;
}

async function posters(out: Record<string, unknown>) {
  const pdf =
    require('../../functions/src/domain/poster-pdf') as typeof import('../../functions/src/domain/poster-pdf');
  const jobs =
    require('../../functions/src/domain/poster-jobs') as typeof import('../../functions/src/domain/poster-jobs');
  const data = require('../../functions/src/data/poster-jobs') as typeof import('../../functions/src/data/poster-jobs');

  // One poster at a time (a new PDF each, as the single-window route renders it): warm once, then the median of 5.
  const one = {
    name: '不动产登记综合窗口1号',
    department: '门源县自然资源局',
    county: '门源回族自治县',
    link: 'https://mashang.haibei.gov.cn/c/wABCDEFGH.0123456789abcdef',
  };
  await pdf.renderPosters([one]);
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    bytes = (await pdf.renderPosters([one])).byteLength;
    times.push(seconds(t0));
  }
  out.onePosterSeconds = times.sort((a, b) => a - b)[2];
  out.onePosterBytes = bytes;
  global.gc?.();
  out.baselineRss = process.memoryUsage().rss;

  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const t0 = performance.now();
  const job = await jobs.startPosterJob(session, { requestId: `bench-${Date.now()}` }, new Date());
  const state = await jobs.runPosterJob(job.id);
  out.jobSeconds = seconds(t0);
  clearInterval(sampler);
  out.peakRss = Math.max(peak, process.memoryUsage().rss);
  out.maxRssKb = process.resourceUsage().maxRSS;
  const record = await data.getPosterJob(job.id);
  out.jobState = state;
  out.windows = record?.windows;
  out.zipBytes = record?.bytes;
  out.departments = (await data.getPosterProgress(job.id)).total;
}

async function main() {
  const out: Record<string, unknown> = {};
  if (process.argv[2] === 'import') await importRegistry(out);
  else await posters(out);
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
