/**
 * `npm run bench`: the figures that say how small, fast and cheap the product is, each beside the floor it is
 * measured against in the same run (so ratios hold on a noisy machine). Prints one table and writes
 * bench/results.json and bench/results.md. How to read it: docs/benchmarks.md; what it implies at scale: docs/scale.md.
 *
 *   npm run bench                      every section; uses the system at API_BASE (default :3000) or starts one
 *   npm run bench -- --only=api,cost   some sections (miniapp, lambda, api, handler, contention, cost, alerts, console,
 *                                      invitations, stats); the other sections of bench/results.json keep their figures
 *   npm run bench -- --skip=miniapp
 *
 * Sections that need a route or function the product does not have yet say "not available yet" instead of failing.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { alertLatency } from './bench/alerts';
import { apiLoad } from './bench/api-load';
import { log, ROOT, type SectionResult } from './bench/common';
import { consoleJobs } from './bench/console';
import { contention } from './bench/contention';
import { costPerOperation } from './bench/cost';
import { goals } from './bench/goals';
import { handlerLatency } from './bench/handler';
import { closeInProcess } from './bench/inproc';
import { invitationThroughput } from './bench/invitations';
import { lambdaBundles } from './bench/lambda';
import { miniappSize } from './bench/miniapp';
import { statsReads } from './bench/stats';
import { attachOrStart, startDatabaseOnly, systemAnswers, type System } from './bench/system';
import { BenchTable } from './bench/table';

const ALL = [
  'miniapp',
  'lambda',
  'api',
  'handler',
  'contention',
  'cost',
  'alerts',
  'console',
  'invitations',
  'stats',
  'goals',
] as const;
type SectionId = (typeof ALL)[number];

function selected(): SectionId[] {
  const arg = (name: string) =>
    process.argv
      .find((a) => a.startsWith(`--${name}=`))
      ?.split('=')[1]
      ?.split(',');
  const only = arg('only');
  const skip = arg('skip') ?? [];
  return ALL.filter((id) => (!only || only.includes(id)) && !skip.includes(id));
}

/** Display width: CJK characters take two columns in a terminal. */
function width(s: string): number {
  let w = 0;
  for (const ch of s)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch)
      ? 2
      : 1;
  return w;
}
const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));

function renderText(sections: SectionResult[]): string {
  const rows = sections.flatMap((s) => s.rows);
  const cols = [
    Math.max(7, ...rows.map((r) => width(r.measure))),
    Math.max(5, ...rows.map((r) => width(r.value))),
    Math.max(5, ...rows.map((r) => width(r.floor ?? ''))),
    Math.max(5, ...rows.map((r) => width(r.ratio ?? ''))),
  ].map((n) => Math.min(n, 60));
  const line = (c: string[]) =>
    c
      .map((x, i) => (i < 4 ? pad(x, cols[i]) : x))
      .join(' │ ')
      .trimEnd();
  const out: string[] = [
    line(['measure', 'value', 'floor', 'ratio', 'note']),
    '─'.repeat(cols.reduce((a, b) => a + b + 3, 0) + 20),
  ];
  for (const s of sections) {
    out.push('', `${s.title}${s.status === 'ok' ? '' : `  [${s.status.toUpperCase()}]`}`);
    for (const r of s.rows) out.push(line([r.measure, r.value, r.floor ?? '', r.ratio ?? '', r.note ?? '']));
    for (const n of s.notes) out.push(...n.split('\n').map((l, i) => `   ${i === 0 ? '·' : ' '} ${l}`));
  }
  return out.join('\n');
}

function renderMarkdown(sections: SectionResult[], header: string): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const out = [header, ''];
  for (const s of sections) {
    out.push(
      `### ${s.title}${s.status === 'ok' ? '' : ` — **${s.status}**`}${s.when ? ` (measured ${s.when.slice(0, 16)}Z)` : ''}`,
      '',
    );
    if (s.rows.length) {
      out.push('| measure | value | floor | ratio | note |', '|---|---|---|---|---|');
      for (const r of s.rows)
        out.push(`| ${[r.measure, r.value, r.floor ?? '', r.ratio ?? '', r.note ?? ''].map(esc).join(' | ')} |`);
      out.push('');
    }
    for (const n of s.notes) out.push(`- ${n.replace(/\n/g, '\n  ')}`);
    out.push('');
  }
  return out.join('\n');
}

async function main() {
  const ids = selected();
  const sections: SectionResult[] = [];
  let system: System | undefined;
  let floorTable: BenchTable | undefined;
  let costTable: BenchTable | undefined;
  const cleanup = async () => {
    await floorTable?.drop();
    await costTable?.drop();
    closeInProcess();
    await system?.stop();
  };
  process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));
  process.on('SIGTERM', () => void cleanup().then(() => process.exit(143)));

  const guard = async (id: string, title: string, fn: () => Promise<SectionResult>) => {
    const t0 = Date.now();
    try {
      sections.push(await fn());
    } catch (e) {
      sections.push({
        id,
        title,
        status: 'failed',
        rows: [],
        notes: [`!!! ${(e as Error).stack?.split('\n').slice(0, 4).join('\n') ?? e} !!!`],
      });
    }
    log(`${id} done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  };

  try {
    if (ids.includes('miniapp')) await guard('miniapp', '1. Mini-program size', miniappSize);
    if (ids.includes('lambda')) await guard('lambda', '2. Lambda bundles', lambdaBundles);
    const needSystem = ids.filter((id) =>
      ['api', 'cost', 'alerts', 'handler', 'contention', 'invitations'].includes(id),
    );
    if (needSystem.length) {
      try {
        // Sections that only call the functions in-process (handler, cost, contention, invitations) need DynamoDB
        // Local, not a whole started system: on a loaded shared machine `npm start` may not come up at all.
        const inProcessOnly = needSystem.every((id) => ['invitations', 'handler', 'cost', 'contention'].includes(id));
        system = inProcessOnly && !(await systemAnswers()) ? await startDatabaseOnly() : await attachOrStart();
        floorTable = new BenchTable(system.dynamodbEndpoint, { suffix: 'floor' });
        costTable = new BenchTable(system.dynamodbEndpoint, { suffix: 'cost' });
      } catch (e) {
        for (const id of needSystem)
          sections.push({
            id,
            title: id,
            status: 'failed',
            rows: [],
            notes: [`!!! no local system: ${(e as Error).message} !!!`],
          });
      }
    }
    if (system && floorTable && costTable) {
      const [sys, ft, ct] = [system, floorTable, costTable];
      // Alerts first: the load of section 3 leaves thousands of records on the system's stream, which the local
      // poller (20 records every 250 ms) takes minutes to drain, and alert latency would measure that backlog.
      if (ids.includes('alerts')) await guard('alerts', '5. Alert latency', () => alertLatency(sys));
      if (ids.includes('api')) await guard('api', '3. API: POST /v1/ratings under load', () => apiLoad(sys, ft));
      if (ids.includes('cost')) await guard('cost', '4. Cost per operation', () => costPerOperation(sys, ct));
      if (ids.includes('handler')) await guard('handler', '3b. Handler latency', () => handlerLatency(sys, ct));
      if (ids.includes('contention')) await guard('contention', '3c. Contention', () => contention(sys, ct));
      if (ids.includes('invitations'))
        await guard('invitations', '7. 一事一评 throughput and cost', () => invitationThroughput(sys, ct));
    }
    if (ids.includes('console')) await guard('console', '6. Console jobs', consoleJobs);
    if (ids.includes('stats')) await guard('stats', '8. Statistics', statsReads);
  } finally {
    await cleanup();
  }

  const when = new Date().toISOString();
  for (const sec of sections) sec.when = when;
  // A partial run (--only/--skip) replaces its sections in bench/results.json and keeps the others' figures.
  const previous = join(ROOT, 'bench', 'results.json');
  if (ids.length < ALL.length && existsSync(previous)) {
    const old = JSON.parse(readFileSync(previous, 'utf8')) as { when: string; sections: SectionResult[] };
    for (const sec of old.sections)
      if (!sections.some((x) => x.id === sec.id)) sections.push({ ...sec, when: sec.when ?? old.when });
  }
  // The goals are read from every section in the file: this run's, and the figures a partial run kept (each with its
  // own time), so `--only=goals` re-reads them without measuring anything again.
  if (ids.includes('goals')) {
    const others = sections.filter((x) => x.id !== 'goals');
    sections.splice(0, sections.length, ...others, { ...goals(others), when });
  }
  sections.sort((a, b) => ALL.indexOf(a.id as SectionId) - ALL.indexOf(b.id as SectionId));
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}`;
  const header = `码上监督 benchmark — ${when} — ${machine}${system ? ` — system ${system.startedByBench ? 'started by the bench' : `at ${system.apiBase}`}` : ''}`;
  console.log(`\n${header}\n\n${renderText(sections)}\n`);
  mkdirSync(join(ROOT, 'bench'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'results.json'), JSON.stringify({ when, machine, sections }, null, 2) + '\n');
  writeFileSync(
    join(ROOT, 'bench', 'results.md'),
    renderMarkdown(
      sections,
      `${header}\n\nCommand: \`npm run bench${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\``,
    ) + '\n',
  );
  log('wrote bench/results.json and bench/results.md');
  if (sections.some((s) => s.status === 'failed')) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
