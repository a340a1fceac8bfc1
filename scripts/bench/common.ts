import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type Tags } from 'yaml';

export const ROOT = join(__dirname, '..', '..');
/** Scratch space for builds and bundles; tmp/ is git-ignored and lies inside the repo so node_modules resolve. */
export const WORK = join(ROOT, 'tmp', 'bench');

/** One line of the printed table: a figure beside the floor it is measured against in the same run. */
export interface Row {
  measure: string;
  value: string;
  floor?: string;
  /** value ÷ floor, when both are numbers of the same unit. */
  ratio?: string;
  note?: string;
}

export type Status = 'ok' | 'not available yet' | 'failed' | 'skipped';

export interface SectionResult {
  id: string;
  title: string;
  status: Status;
  rows: Row[];
  /** Said under the section: what was measured how, or why it was not. */
  notes: string[];
  /** Raw figures for bench/results.json. */
  data?: Record<string, unknown>;
  /** When the section was measured (a partial run keeps the other sections of the previous results). */
  when?: string;
}

export function section(id: string, title: string): SectionResult {
  return { id, title, status: 'ok', rows: [], notes: [] };
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
export const ms = (v: number) => `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)} ms`;
export const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(a / b < 10 ? 2 : 1)}×` : '');

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function log(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

/** serverless.yml as data; CloudFormation short-form tags are kept as plain values. */
export function serverlessYml(): any {
  const cfnTags: Tags = ['!GetAtt', '!Join', '!Ref', '!Sub', '!Not', '!Equals', '!If', '!Select', '!Split'].flatMap(
    (tag) => [
      { tag, resolve: (v: unknown) => v },
      { tag, collection: 'seq' as const, resolve: (v: unknown) => v },
    ],
  ) as Tags;
  return parse(readFileSync(join(ROOT, 'serverless.yml'), 'utf8'), {
    customTags: cfnTags,
    // Our own file: every function names the same IAM statement anchors (*secrets …), more than yaml's default 100.
    maxAliasCount: -1,
  });
}

export interface FunctionDef {
  name: string;
  /** e.g. functions/src/handlers/ratings.submit */
  handler: string;
  file: string;
  exportName: string;
  /** Every HTTP route it serves, as route keys (`POST /v1/ratings`): one function may serve several (lib/http byRoute). */
  routes: string[];
  /** The route key routeFunction matched, which an in-process call must carry. */
  routeKey?: string;
  stream: boolean;
  schedule: boolean;
}

export function functionDefs(): FunctionDef[] {
  const fns = serverlessYml().functions ?? {};
  return Object.entries<any>(fns).map(([name, f]) => {
    const handler = String(f.handler);
    const dot = handler.lastIndexOf('.');
    const events: any[] = f.events ?? [];
    const http = events.filter((e) => e.httpApi).map((e) => e.httpApi);
    return {
      name,
      handler,
      file: `${handler.slice(0, dot)}.ts`,
      exportName: handler.slice(dot + 1),
      routes: http.map((r) => `${String(r.method).toUpperCase()} ${String(r.path)}`),
      stream: events.some((e) => e.stream),
      schedule: events.some((e) => e.schedule),
    };
  });
}

/** The function serving an HTTP route, if serverless.yml declares it (routes appear as the product grows). */
export function routeFunction(method: string, path: string): FunctionDef | undefined {
  const routeKey = `${method} ${path}`;
  const f = functionDefs().find((d) => d.routes.includes(routeKey));
  return f && { ...f, routeKey };
}

/** Run a command; resolve with its exit code and the tail of its output (never rejects). */
export function run(
  cmd: string,
  args: string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<{ code: number | null; out: string; ms: number }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    const keep = (d: Buffer) => {
      out = (out + d.toString()).slice(-20000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      out += `\n(timed out after ${opts.timeoutMs / 1000} s)`;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, opts.timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, ms: Date.now() - t0 });
    });
  });
}

/** Runs `fn` over `items` with at most `limit` calls in flight; the results in the items' order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

/**
 * Run a bench job script (scripts/bench/<script>) in a child process of its own, so the memory it reports is the job's
 * own, and resolve with the one JSON line it prints last on stdout.
 */
export function jobChild(script: string, args: string[], env: Record<string, string>): Promise<Record<string, any>> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--expose-gc', '--require', 'tsx/cjs', join(__dirname, script), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.on('exit', (code) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line));
      else reject(new Error(`${script} ${args.join(' ')} exited with ${code}: ${stdout.slice(-500)}`));
    });
  });
}
