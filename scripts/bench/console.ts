import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTable, freePort, startDynamoDbLocal } from '../../dev/dynamodb-local';
import { localEnv } from '../../dev/local-env';
import { startS3Local } from '../../dev/s3-local';
import { jobChild, log, ratio, section, WORK, type SectionResult } from './common';

const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;
const s = (v: number) => `${v.toFixed(1)} s`;

/**
 * 6. Console jobs (issue 11): the import of the full Haibei registry from one xlsx (dry run, commit) and the posters of
 * all its windows as one job, each run by the functions' own code in a child process against a DynamoDB Local and an
 * s3rver of the section's own (in memory, free ports), beside its floor.
 */
export async function consoleJobs(): Promise<SectionResult> {
  const r = section('console', '6. Console jobs: import of the Haibei registry, posters for all its windows');
  const [dport, sport] = [await freePort(), await freePort()];
  const dir = join(WORK, 'console');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const ddb = await startDynamoDbLocal({ port: dport });
  const table = 'bench-console';
  const s3 = await startS3Local({ port: sport, directory: join(dir, 's3'), buckets: [`${table}-files`] });
  try {
    await ensureTable(ddb.endpoint, table);
    const env = {
      ...localEnv({ dynamodb: dport, standin: 0, s3: sport }, table),
      TABLE_NAME: table,
      FILES_BUCKET: `${table}-files`,
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      BENCH_WORK: dir,
    };
    log('console: importing the Haibei registry (dry run, commit) ...');
    const imp = await jobChild('console-job.ts', ['import'], env);
    const f = imp.file;
    if (imp.commitState !== 'done') {
      r.status = 'failed';
      r.notes.push(`import did not finish: ${JSON.stringify(imp.dryRun)} ${imp.commitState ?? ''}`);
      r.data = { import: imp };
      return r;
    }
    r.rows.push({
      measure: `import dry run: ${f.windows} windows, ${f.departments} departments, ${f.enterprises} enterprises (xlsx ${(f.bytes / 1024).toFixed(0)} KB)`,
      value: s(imp.dryRunSeconds),
      floor: `${s(imp.parseSeconds)} reading the file alone`,
      ratio: ratio(imp.dryRunSeconds, imp.parseSeconds),
    });
    r.rows.push({
      measure: `import commit (${imp.floorItems} items: staged, then activated)`,
      value: s(imp.commitSeconds),
      floor: `${s(imp.floorWriteSeconds)} BatchWriteItem of ${imp.floorItems} items`,
      ratio: ratio(imp.commitSeconds, imp.floorWriteSeconds),
    });
    log('console: posters for every window of the prefecture ...');
    const p = await jobChild('console-job.ts', ['posters'], env);
    r.rows.push({
      measure: `posters job: ${p.windows} windows in ${p.departments} department PDFs, zipped`,
      value: s(p.jobSeconds),
      floor: `${s(p.onePosterSeconds * p.windows)} one poster at a time (${(p.onePosterSeconds * 1000).toFixed(0)} ms) × ${p.windows}`,
      ratio: ratio(p.jobSeconds, p.onePosterSeconds * p.windows),
    });
    r.rows.push({
      measure: 'posters zip size',
      value: mb(p.zipBytes),
      floor: `${mb(p.onePosterBytes * p.windows)} one-poster PDF (${(p.onePosterBytes / 1024).toFixed(0)} KB) × ${p.windows}`,
      ratio: ratio(p.zipBytes, p.onePosterBytes * p.windows),
    });
    r.rows.push({
      measure: 'posters job peak memory (RSS of the job process)',
      value: mb(p.peakRss),
      floor: `${mb(p.baselineRss)} same process with code and font loaded, before the job`,
      ratio: ratio(p.peakRss, p.baselineRss),
    });
    r.notes.push(
      'Run in-process by the functions’ code (domain/imports, domain/poster-jobs) in a child process, against DynamoDB Local and s3rver\n' +
        'on this shared 2-core machine: the ratios to the floors, measured in the same run, are the figures to read.\n' +
        'Floors: the dry run cannot be faster than reading the file; the commit not faster than writing its items unconditionally;\n' +
        'the posters row compares with one poster at a time (the single-window route) × N: a reference, not a lower bound, since the job\n' +
        'parses the font once per department PDF and embeds one font subset per department (70 here) instead of one per window.\n' +
        'The import file is written to tmp/bench/console/haibei-registry.xlsx: the full Haibei registry, importable from the console.',
    );
    r.data = { import: imp, posters: p };
    return r;
  } finally {
    await s3.close().catch(() => undefined);
    ddb.proc.kill();
  }
}
