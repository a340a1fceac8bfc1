/**
 * Child process of the bench's statistics section (scripts/bench/stats.ts), one table each run, so that the figures
 * (requests, capacity, peak memory) are this process's own. Prints one JSON line on stdout.
 *
 *   reads <ratings>   the Haibei registry (70 departments, 1200 windows), <ratings> ratings spread over its windows and
 *                     the last 365 days, counted into day counters exactly as the stream aggregation counts them
 *                     (countersOfInsert + every ancestor scope); then the prefecture dashboard (summary, trend,
 *                     department ranking) over 30 days and over a year, and the ranking of all 1200 windows, metered
 *                     with ReturnConsumedCapacity.
 *   export <ratings>  the same registry and <ratings> rating items; then one export job of the prefecture's ratings of
 *                     the year (csv, then xlsx), timed, with the process's peak RSS sampled every 50 ms.
 */
import { ancestorScopes, PREFECTURE_ID, shanghaiDate, type RatingLevel } from '@mashang/shared';

(require as unknown as { extensions: Record<string, (m: { exports: unknown }, f: string) => void> }).extensions['.br'] =
  (m, f) => {
    m.exports = { __esModule: true, default: f };
  };

const seconds = (t0: number) => (performance.now() - t0) / 1000;
const inspector = { userId: 'bench-inspector', grants: [{ role: 'inspector' as const, scope: PREFECTURE_ID }] };

/** A small deterministic PRNG (mulberry32): the same ratings every run. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Batches DynamoDB Local refused for its table lock and batchPut wrote again (reported with the figures). */
let lockRetries = 0;

async function batchPut(items: Record<string, unknown>[], concurrency = 8, label = 'items'): Promise<void> {
  const { db, table } = require('../../functions/src/data/client') as typeof import('../../functions/src/data/client');
  const { BatchWriteCommand } = require('@aws-sdk/lib-dynamodb') as typeof import('@aws-sdk/lib-dynamodb');
  let next = 0;
  const t0 = performance.now();
  let reported = 0;
  const worker = async () => {
    for (let i = next; i < items.length; i = next) {
      next += 25;
      // Progress on stderr (the bench shows it): a large seed is minutes on a loaded machine.
      if (items.length >= 10000 && i - reported >= items.length / 10) {
        reported = i;
        process.stderr.write(`  stats-job: ${label} ${i}/${items.length} written in ${seconds(t0).toFixed(0)} s\n`);
      }
      let req: Record<string, unknown[]> | undefined = {
        [table()]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
      };
      for (let attempt = 1; req && Object.keys(req).length;) {
        try {
          const r = await db().send(new BatchWriteCommand({ RequestItems: req as never }));
          req = r.UnprocessedItems as Record<string, unknown[]> | undefined;
        } catch (e) {
          // DynamoDB Local (one SQLite file per table behind a lock) refuses a write that waited too long for the lock
          // under parallel batches on a loaded machine ("InternalServerError … too long waiting for a lock … will
          // succeed in actual DynamoDB"); the SDK's own 3 attempts are not always enough. Back off and write the same
          // batch again (puts of the same items: idempotent); anything else, or 12 refusals in a row, fails the bench.
          if (!/waiting for a lock/.test((e as Error).message) || attempt >= 12) throw e;
          lockRetries++;
          await new Promise((r) => setTimeout(r, 250 * 2 ** Math.min(attempt++, 5)));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function registry() {
  const demo = require('../../dev/demo-data') as typeof import('../../dev/demo-data');
  const reg = require('../../functions/src/data/registry') as typeof import('../../functions/src/data/registry');
  const departments = demo.buildDepartments();
  const windows = demo.buildWindows();
  await batchPut([
    reg.regionItem({ id: PREFECTURE_ID, name: demo.PREFECTURE.name, path: PREFECTURE_ID }),
    ...demo.REGIONS.map((r) => reg.regionItem({ id: r.id, name: r.name, path: `${PREFECTURE_ID}/${r.id}` })),
    ...departments.map((d) => reg.departmentItem(d)),
    ...windows.map((w) => reg.windowItem({ ...w, codeId: `bench-${w.id}`, code: `bench-${w.id}` })),
  ]);
  return { departments, windows };
}

/** `n` ratings over the windows and the 365 days up to `today`, levels mostly good, one in ten by an enterprise. */
function* ratings(n: number, windows: ReturnType<typeof import('../../dev/demo-data').buildWindows>, now: Date) {
  const rnd = prng(20261201);
  for (let i = 0; i < n; i++) {
    const w = windows[Math.floor(rnd() * windows.length)];
    const at = new Date(now.getTime() - Math.floor(rnd() * 365 * 86400000));
    const u = rnd();
    const level = (u < 0.75 ? 5 : u < 0.9 ? 4 : u < 0.96 ? 3 : u < 0.985 ? 2 : 1) as RatingLevel;
    yield { i, w, at, level, enterprise: rnd() < 0.1 };
  }
}

async function reads(n: number, out: Record<string, unknown>) {
  const { countersOfInsert } =
    require('../../functions/src/domain/counters') as typeof import('../../functions/src/domain/counters');
  const { K } = require('../../functions/src/data/keys') as typeof import('../../functions/src/data/keys');
  const stats = require('../../functions/src/domain/stats') as typeof import('../../functions/src/domain/stats');
  const { instrumentDb } = require('./meter') as typeof import('./meter');
  const now = new Date();
  const { windows } = await registry();

  // The day counters the stream aggregation would hold after these ratings: one item per scope and day that has any.
  const t0 = performance.now();
  const items = new Map<string, Record<string, number>>();
  for (const r of ratings(n, windows, now)) {
    const image = {
      type: 'rating',
      level: r.level,
      path: r.w.path,
      date: shanghaiDate(r.at),
      caseId: r.level <= 2 ? `case-${r.i}` : null,
      ...(r.enterprise ? { raterKind: 'enterprise' } : {}),
    };
    for (const change of countersOfInsert(image))
      for (const path of ancestorScopes(change.path)) {
        const key = `${path}\n${change.date}`;
        const sums = items.get(key) ?? {};
        for (const [k, v] of Object.entries(change.add)) sums[k] = (sums[k] ?? 0) + (v ?? 0);
        items.set(key, sums);
      }
  }
  await batchPut(
    [...items].map(([key, sums]) => {
      const [path, date] = key.split('\n');
      return { ...K.statDay(path, date), ...sums };
    }),
    8,
    'day counter items',
  );
  out.seedSeconds = seconds(t0);
  out.counterItems = items.size;
  out.prefectureDayItems = [...items.keys()].filter((k) => k.startsWith(`${PREFECTURE_ID}\n`)).length;

  const metered = async <T>(fn: () => Promise<T>) => {
    let requests = 0;
    let capacity = 0;
    const byCommand: Record<string, number> = {};
    const stop = instrumentDb((r) => {
      requests++;
      capacity += r.capacityUnits;
      byCommand[r.command] = (byCommand[r.command] ?? 0) + 1;
    });
    const t = performance.now();
    try {
      const result = await fn();
      return { requests, capacity: Math.round(capacity * 10) / 10, byCommand, seconds: seconds(t), result };
    } finally {
      stop();
    }
  };
  const to = shanghaiDate(now);
  const dayBefore = (days: number) => shanghaiDate(new Date(now.getTime() - days * 86400000));
  const dashboard = (from: string, bucket: 'day' | 'month') =>
    metered(async () => {
      const q = { scope: PREFECTURE_ID, from, to };
      const [s] = await Promise.all([
        stats.statsSummary(inspector, q, now),
        stats.statsTrend(inspector, { ...q, bucket }, now),
        stats.statsRanking(inspector, { ...q, unit: 'department', by: 'goodRate', limit: '20' }, now),
      ]);
      return s.ratings.total;
    });
  const d30 = await dashboard(dayBefore(29), 'day');
  const d365 = await dashboard(dayBefore(364), 'month');
  const windowsRanking = await metered(async () => {
    const r = await stats.statsRanking(
      inspector,
      { scope: PREFECTURE_ID, from: dayBefore(364), to, unit: 'window', by: 'goodRate', limit: '20' },
      now,
    );
    return r.total;
  });
  out.ratings = n;
  out.dashboard30 = { ...d30, ratingsSeen: d30.result, result: undefined };
  out.dashboardYear = { ...d365, ratingsSeen: d365.result, result: undefined };
  out.windowRanking = { ...windowsRanking, units: windowsRanking.result, result: undefined };
}

async function exportJob(n: number, out: Record<string, unknown>) {
  const { ratingItem } =
    require('../../functions/src/data/ratings') as typeof import('../../functions/src/data/ratings');
  const exports = require('../../functions/src/domain/exports') as typeof import('../../functions/src/domain/exports');
  const data = require('../../functions/src/data/exports') as typeof import('../../functions/src/data/exports');
  const { headObject } =
    require('../../functions/src/gateways/storage') as typeof import('../../functions/src/gateways/storage');
  const now = new Date();
  const { windows } = await registry();
  let t0 = performance.now();
  const batch: Record<string, unknown>[] = [];
  for (const r of ratings(n, windows, now)) {
    batch.push(
      ratingItem(
        {
          id: `bench${String(r.i).padStart(8, '0')}`,
          level: r.level,
          reasons: r.level <= 2 ? ['办事效率低'] : [],
          ...(r.i % 7 === 0 ? { comment: '窗口工作人员态度很好，一次就办成了' } : {}),
          windowId: r.w.id,
          windowName: r.w.name,
          department: r.w.department,
          county: r.w.county,
          path: r.w.path,
          createdAt: r.at.toISOString(),
          date: shanghaiDate(r.at),
          caseId: null,
          ...(r.enterprise ? { raterKind: 'enterprise' as const } : {}),
        },
        { userId: `bench-user-${r.i}`, anonymous: true },
        { requestId: `bench-${r.i}`, fingerprint: 'bench', response: {} },
      ),
    );
  }
  // Four batches at a time: rating items carry index entries, and DynamoDB Local serialises writes per table.
  await batchPut(batch, 4, 'rating items');
  batch.length = 0;
  out.seedSeconds = seconds(t0);

  const from = shanghaiDate(new Date(now.getTime() - 364 * 86400000));
  const to = shanghaiDate(now);
  // Floor: walking the same rows (every page of every window) without writing anything.
  global.gc?.();
  t0 = performance.now();
  let walked = 0;
  for await (const page of data.ratingsForExport(
    PREFECTURE_ID,
    new Date(`${from}T00:00:00+08:00`).toISOString(),
    new Date(Date.parse(`${to}T00:00:00+08:00`) + 86400000 - 1).toISOString(),
  ))
    walked += page.length;
  out.walkSeconds = seconds(t0);
  out.walkedRows = walked;

  for (const format of ['csv', 'xlsx'] as const) {
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 50);
    t0 = performance.now();
    const job = await exports.startExport(
      inspector,
      { requestId: `bench-export-${format}-${Date.now()}`, kind: 'ratings', format, from, to },
      now,
    );
    const state = await exports.runExportJob(job.id);
    const jobSeconds = seconds(t0);
    clearInterval(sampler);
    const record = await data.getExportJob(job.id);
    const file = record ? await headObject(record.fileKey) : undefined;
    out[format] = {
      state,
      seconds: jobSeconds,
      rows: record?.rows,
      bytes: file?.size,
      baselineRss: baseline,
      peakRss: Math.max(peak, process.memoryUsage().rss),
    };
  }
}

async function main() {
  const out: Record<string, unknown> = {};
  const n = Number(process.argv[3]);
  if (process.argv[2] === 'reads') await reads(n, out);
  else await exportJob(n, out);
  out.lockRetries = lockRetries;
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
