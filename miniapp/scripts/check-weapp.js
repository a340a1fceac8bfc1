#!/usr/bin/env node
// Checks a weapp build offline with WeChat's own tools (TOOLCHAIN.md):
//   analyse  miniprogram-ci's dependency graph (broken imports, missing components)
//   compile  miniprogram-ci's full compile (app.json pages, JSON, WXML, WXSS, JS syntax)
//   wcc      WeChat's WXML compiler binary
//   wcsc     WeChat's WXSS compiler binary
// Usage: node scripts/check-weapp.js [dir=dist/weapp] [--only=wcc,wcsc]
// Prints one JSON line {ok, checks: {name: {ok, errors[]}}} and exits 1 on any error. It runs as its own
// process because miniprogram-ci leaves a file watcher open.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

// miniprogram-ci asks servicewechat.com for an extension whitelist and carries on when that fails; here DNS
// would take most of a minute to say the host is unreachable, so answer at once as an offline machine does.
const dns = require('node:dns');
const realLookup = dns.lookup;
dns.lookup = function lookup(hostname, options, callback) {
  if (/(^|\.)(servicewechat\.com|weixin\.qq\.com|qq\.com)$/.test(String(hostname))) {
    const cb = typeof options === 'function' ? options : callback;
    const err = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
    return process.nextTick(() => cb(err));
  }
  return realLookup.apply(this, arguments);
};

const args = process.argv.slice(2);
const dir = path.resolve(args.find((a) => !a.startsWith('--')) || path.join(__dirname, '..', 'dist', 'weapp'));
const onlyArg = args.find((a) => a.startsWith('--only='));
const only = onlyArg ? onlyArg.slice('--only='.length).split(',') : ['analyse', 'compile', 'wcc', 'wcsc'];

function filesUnder(root, ext) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith(ext)) out.push(path.relative(root, full).split(path.sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

function project() {
  const ci = require('miniprogram-ci');
  // Internal to miniprogram-ci 2.1.42 (pinned): without it the compile first asks WeChat's servers for
  // the project's attributes and fails offline.
  const { DefaultProjectAttr } = require('miniprogram-ci/dist/config/config');
  return new ci.Project({
    appid: 'wx0000000000000000',
    type: 'miniProgram',
    projectPath: dir,
    privateKey: 'unused',
    ignores: [],
    attr: async () => DefaultProjectAttr,
  });
}

// The compiler binaries ship without the executable bit: run copies.
let binDir;
function binary(name) {
  if (!binDir) binDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wx-compilers-'));
  const target = path.join(binDir, name);
  if (!fs.existsSync(target)) {
    fs.copyFileSync(require.resolve(`miniprogram-compiler/bin/linux/${name}`), target);
    fs.chmodSync(target, 0o755);
  }
  return target;
}

function runBinary(name, argv) {
  const run = spawnSync(binary(name), argv, { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
  const stderr = run.stderr.toString().trim();
  const errors = [];
  if (run.status !== 0 || stderr) errors.push(stderr || `${name} exited with ${run.status}`);
  return { ok: errors.length === 0, errors };
}

const checks = {
  async analyse() {
    const ci = require('miniprogram-ci');
    const result = await ci.analyseCode(project());
    const errors = [];
    for (const m of result.modules || []) {
      for (const d of m.deps || []) if (d.error) errors.push(`${m.path}: ${JSON.stringify(d)}`);
    }
    return { ok: errors.length === 0, errors, files: (result.files || []).length };
  },
  async compile() {
    const ci = require('miniprogram-ci');
    try {
      const compiled = await ci.getCompiledResult({
        project: project(),
        setting: { es6: process.env.WEAPP_CHECK_FAST !== '1', minify: process.env.WEAPP_CHECK_FAST !== '1' },
      });
      return { ok: true, errors: [], outputs: Object.keys(compiled).length };
    } catch (e) {
      return { ok: false, errors: [`${e.path ? `${e.path}: ` : ''}${e.message} (code ${e.code})`] };
    }
  },
  async wcc() {
    return runBinary('wcc', ['-d', '-cc', '0', ...filesUnder(dir, '.wxml'), ...filesUnder(dir, '.wxs'), '-gn', '$gwx']);
  },
  async wcsc() {
    return runBinary('wcsc', ['-db', '-pc', '0', ...filesUnder(dir, '.wxss')]);
  },
};

(async () => {
  const report = { dir, ok: true, checks: {} };
  for (const name of only) {
    const started = Date.now();
    // miniprogram-ci logs progress on stdout; keep stdout for the report line.
    const log = console.log;
    console.log = (...a) => console.error(...a);
    try {
      report.checks[name] = { ...(await checks[name]()), ms: Date.now() - started };
    } catch (e) {
      report.checks[name] = { ok: false, errors: [String(e && e.stack ? e.stack : e)], ms: Date.now() - started };
    } finally {
      console.log = log;
    }
    if (!report.checks[name].ok) report.ok = false;
  }
  if (binDir) fs.rmSync(binDir, { recursive: true, force: true });
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.exit(report.ok ? 0 : 1);
})();
