import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { localEnv } from '../../dev/local-env';
import { functionDefs, kb, log, median, ms, ratio, ROOT, section, serverlessYml, WORK, type SectionResult } from './common';

const RUNS = Number(process.env.BENCH_COLD_RUNS ?? 11);

/** serverless-esbuild's own settings, which it strips before calling esbuild (its dist/bundle.js). */
const PLUGIN_ONLY = [
  'concurrency', 'zipConcurrency', 'exclude', 'nativeZip', 'packager', 'packagePath', 'watch', 'keepOutputDirectory',
  'packagerOptions', 'installExtraArgs', 'outputFileExtension', 'outputBuildFolder', 'outputWorkFolder', 'nodeExternals',
  'skipBuild', 'skipRebuild', 'skipBuildExcludeFns', 'stripEntryResolveExtensions', 'disposeContext', 'config',
];

/** The esbuild options serverless-esbuild derives from serverless.yml (custom.esbuild over its defaults). */
function esbuildOptions(): BuildOptions {
  const c = { target: 'node18', platform: 'node', bundle: true, ...(serverlessYml().custom?.esbuild ?? {}) };
  const external = [...(c.external ?? []), ...(c.exclude ?? ['aws-sdk'])];
  for (const k of [...PLUGIN_ONLY, 'external']) delete c[k];
  return { ...c, external, logLevel: 'silent' };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Bytes of the minified output by npm package (or `app` for the project's own code), largest first. */
function topPackages(meta: Metafile): { name: string; bytes: number }[] {
  const by = new Map<string, number>();
  for (const o of Object.values(meta.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(o.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
      const name = m ? m[1] : 'app';
      by.set(name, (by.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...by].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/** Zip a build folder (the bundle and any assets esbuild copied beside it) as the function's package holds it. */
function zipSize(dir: string, zipPath: string): number {
  rmSync(zipPath, { force: true });
  const r = spawnSync('zip', ['-q', '-r', '-9', '-X', zipPath, '.'], { cwd: dir });
  if (r.status !== 0) return NaN;
  return statSync(zipPath).size;
}

/**
 * Cold initialisation as Lambda's init phase sees it: a fresh Node process loads the bundle. Each run is a new
 * process; we report the median time to `require` it (measured inside the process) and the median wall time of the
 * whole process (node start + require + exit).
 */
async function coldInit(bundle: string): Promise<{ requireMs: number; processMs: number; samples: number[] }> {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(bundle)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const env = { ...process.env, ...localEnv({ dynamodb: 9, standin: 9 }), NODE_OPTIONS: '' };
  const requireTimes: number[] = [];
  const processTimes: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8' });
    processTimes.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 0) throw new Error(`loading ${bundle} failed: ${r.stderr.slice(0, 500)}`);
    requireTimes.push(Number(r.stdout));
  }
  return { requireMs: median(requireTimes), processMs: median(processTimes), samples: requireTimes };
}

export async function lambdaBundles(): Promise<SectionResult> {
  const s = section('lambda', '2. Lambda bundles (serverless-esbuild settings from serverless.yml; cold init = median of fresh node processes)');
  const out = join(WORK, 'lambda');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const opts = esbuildOptions();

  // The floor: an empty handler built the same way.
  const emptySrc = join(out, 'empty-handler.ts');
  writeFileSync(emptySrc, `export const handler = async () => ({ statusCode: 200, body: '' });\n`);
  await build({ ...opts, entryPoints: [emptySrc], outdir: join(out, 'empty') });
  const emptyJs = join(out, 'empty', 'empty-handler.js');
  const emptySize = statSync(emptyJs).size;
  const emptyZip = zipSize(join(out, 'empty'), join(out, 'empty.zip'));
  const emptyInit = await coldInit(emptyJs);
  s.rows.push({
    measure: 'empty handler (floor)',
    value: `${kb(emptySize)} (zip ${kb(emptyZip)})`,
    note: `init ${ms(emptyInit.requireMs)}, process ${ms(emptyInit.processMs)}`,
  });

  // One bundle per handler file: serverless-esbuild builds each unique entry once and every function of that file
  // ships the same bundle.
  const byFile = new Map<string, string[]>();
  for (const f of functionDefs()) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f.name]);
  const figures: Record<string, unknown>[] = [];
  let largest = 0;
  let slowest = 0;
  for (const [file, fns] of byFile) {
    const outdir = join(out, 'fn', file.replace(/\.ts$/, '').replace(/\//g, '_'));
    const result = await build({ ...opts, entryPoints: [join(ROOT, file)], outdir, metafile: true });
    const top = topPackages(result.metafile);
    const js = join(outdir, file.split('/').pop()!.replace(/\.ts$/, '.js'));
    const assets = filesUnder(outdir).filter((f) => f !== js);
    const assetBytes = assets.reduce((a, f) => a + statSync(f).size, 0);
    const size = statSync(js).size + assetBytes;
    const zip = zipSize(outdir, `${outdir}.zip`);
    const init = await coldInit(js);
    largest = Math.max(largest, zip);
    slowest = Math.max(slowest, init.requireMs);
    figures.push({ file, functions: fns, topPackages: top, assets: assets.map((f) => ({ name: f.slice(outdir.length + 1), bytes: statSync(f).size })), bytes: size, zipBytes: zip, initMs: init.requireMs, processMs: init.processMs, initSamplesMs: init.samples });
    s.rows.push({
      measure: `${file.replace('functions/src/handlers/', '')} (${fns.join(', ')})`,
      value: `${kb(size)} (zip ${kb(zip)}); init ${ms(init.requireMs)}`,
      floor: `${kb(emptySize)}; init ${ms(emptyInit.requireMs)}`,
      ratio: `init ${ratio(init.requireMs, emptyInit.requireMs)}`,
      note: `process ${ms(init.processMs)} vs ${ms(emptyInit.processMs)}; biggest: ${top.slice(0, 3).map((t) => `${t.name} ${kb(t.bytes)}`).join(', ')}${assets.length ? `; + assets ${assets.map((f) => `${f.split('/').pop()} ${kb(statSync(f).size)}`).join(', ')}` : ''}`,
    });
    log(`bundle ${file}: ${kb(size)}, init ${ms(init.requireMs)}`);
  }
  const { logLevel: _l, ...shown } = opts;
  s.notes.push(
    `esbuild ${JSON.stringify(shown)} (custom.esbuild of serverless.yml over serverless-esbuild's defaults); size = bundle + assets esbuild copies beside it, zip = zip -9 of them (what the function's .zip holds); ${RUNS} runs each on this machine's Node ${process.version}.`,
    'init = time to require() the bundle inside a fresh process (the module part of Lambda\'s init phase); process = wall time of the whole node process, whose floor is the empty handler\'s.',
  );
  s.data = { empty: { bytes: emptySize, zipBytes: emptyZip, initMs: emptyInit.requireMs, processMs: emptyInit.processMs }, bundles: figures, largestZipBytes: largest, slowestInitMs: slowest };
  return s;
}
