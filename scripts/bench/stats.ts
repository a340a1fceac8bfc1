import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTable, freePort, startDynamoDbLocal } from '../../dev/dynamodb-local';
import { localEnv } from '../../dev/local-env';
import { startS3Local } from '../../dev/s3-local';
import { jobChild, log, ratio, section, WORK, type SectionResult } from './common';

const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;
const s = (v: number) => `${v.toFixed(1)} s`;

interface Metered {
  requests: number;
  capacity: number;
  seconds: number;
  byCommand: Record<string, number>;
}
const reads = (m: Metered) => `${m.requests} requests, ${m.capacity} RCU`;

/**
 * 8. Statistics (issue 14 "Done when"): the prefecture dashboard's DynamoDB reads over 30 days and a year with 100 and
 * with 100 000 ratings (they must not grow with the ratings), the ranking of all 1200 windows, and an export of
 * 100 000 ratings (time and peak memory: it must stream). Each run by the functions' own code in a child process
 * against a DynamoDB Local and an s3rver of the section's own (in memory). Ports: BENCH_STATS_PORT_BASE (+0 DynamoDB,
 * +1 s3rver) when set, else free ports.
 */
export async function statsReads(): Promise<SectionResult> {
  const r = section('stats', '8. Statistics: dashboard reads, ranking of 1200 windows, export of 100 000 ratings');
  const base = Number(process.env.BENCH_STATS_PORT_BASE ?? 0);
  const [dport, sport] = base ? [base, base + 1] : [await freePort(), await freePort()];
  const dir = join(WORK, 'stats');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // 115 856 counter items and 100 000 rating items with their index copies, in memory: 512 MB of heap made the rating
  // seed crawl at 9 items/s (garbage collection); no stream on these seed-only tables either.
  const ddb = await startDynamoDbLocal({ port: dport, heapMb: 4096 });
  const tables = ['bench-stats-100', 'bench-stats-100000', 'bench-stats-export'];
  const s3 = await startS3Local({ port: sport, directory: join(dir, 's3'), buckets: tables.map((t) => `${t}-files`) });
  const envOf = (table: string) => ({
    ...localEnv({ dynamodb: dport, standin: 0, s3: sport }, table),
    TABLE_NAME: table,
    FILES_BUCKET: `${table}-files`,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
  const ratings = Number(process.env.BENCH_STATS_RATINGS ?? 100000);
  try {
    for (const t of tables) await ensureTable(ddb.endpoint, t, { stream: false });
    log('stats: dashboard reads with 100 ratings ...');
    const small = await jobChild('stats-job.ts', ['reads', '100'], envOf(tables[0]));
    log(`stats: dashboard reads with ${ratings} ratings ...`);
    const large = await jobChild('stats-job.ts', ['reads', String(ratings)], envOf(tables[1]));
    for (const [label, key] of [
      ['prefecture dashboard, 30 days (summary + trend by day + department ranking)', 'dashboard30'],
      ['prefecture dashboard, a year (summary + trend by month + department ranking)', 'dashboardYear'],
    ] as const) {
      const a = small[key] as Metered;
      const b = large[key] as Metered;
      r.rows.push({
        measure: `${label}: 100 / ${ratings} ratings`,
        value: `${reads(a)} / ${reads(b)}`,
        floor: `${s(a.seconds)} / ${s(b.seconds)}`,
        note: a.requests === b.requests ? 'same requests' : 'REQUESTS DIFFER',
      });
    }
    const w = large.windowRanking as Metered & { units: number };
    const w0 = small.windowRanking as Metered & { units: number };
    r.rows.push({
      measure: `ranking of all ${w.units} windows, a year (${ratings} / 100 ratings)`,
      value: `${reads(w)}, ${s(w.seconds)}`,
      floor: `${reads(w0)}, ${s(w0.seconds)}`,
      ratio: ratio(w.capacity, w0.capacity),
    });

    log(`stats: export of ${ratings} ratings ...`);
    const ex = await jobChild('stats-job.ts', ['export', String(ratings)], envOf(tables[2]));
    for (const format of ['csv', 'xlsx'] as const) {
      const f = ex[format];
      r.rows.push({
        measure: `export of ${f.rows} ratings (a year, the prefecture) as ${format}: time, file`,
        value: `${s(f.seconds)}, ${mb(f.bytes ?? 0)}`,
        floor: `${s(ex.walkSeconds)} walking the same ${ex.walkedRows} rows without writing`,
        ratio: ratio(f.seconds, ex.walkSeconds),
      });
      r.rows.push({
        measure: `export (${format}) peak memory (RSS of the job process)`,
        value: mb(f.peakRss),
        floor: `${mb(f.baselineRss)} same process before the job`,
        ratio: ratio(f.peakRss, f.baselineRss),
      });
    }
    r.notes.push(
      'Reads are DynamoDB requests and read capacity units as DynamoDB Local reports them (ReturnConsumedCapacity), made by\n' +
        'domain/stats (statsSummary, statsTrend, statsRanking) as GET /v1/stats/* make them. The ratings are counted into day\n' +
        'counters with the stream aggregation’s own countersOfInsert (every ancestor scope); the dashboard reads one counter\n' +
        'item per scope and day, so its requests do not depend on the number of ratings (capacity only through how many\n' +
        'days have an item and their size). The window ranking reads one counter partition per window.\n' +
        'The export runs domain/exports (startExport + runExportJob, the stream worker’s code) in-process: rows are walked\n' +
        'page by page into /tmp and uploaded as a stream; peak RSS is sampled every 50 ms.',
    );
    r.data = { small, large, export: ex };
    return r;
  } finally {
    await s3.close().catch(() => undefined);
    ddb.proc.kill();
  }
}
