#!/usr/bin/env node
// Prints the weapp package sizes as WeChat counts them (main package, each subpackage, total) and fails
// above the main-package budget. WeChat's hard limits: 2 MB per package, 20 MB in all
// (https://developers.weixin.qq.com/miniprogram/dev/framework/subpackages.html); our budget is far lower
// because citizens download the main package after every scan.
const fs = require('node:fs');
const path = require('node:path');

const dist = path.resolve(__dirname, '..', 'dist', 'weapp');
const budgetKb = Number(process.env.MAIN_PACKAGE_BUDGET_KB || 500);
const HARD_LIMIT_KB = 2048;

// Files the devtools never upload.
const ignored = (rel) => rel === 'project.config.json' || rel === 'project.private.config.json' || rel.endsWith('.map');

function walk(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

function measure() {
  const app = JSON.parse(fs.readFileSync(path.join(dist, 'app.json'), 'utf8'));
  const roots = (app.subPackages || app.subpackages || []).map((s) => s.root.replace(/\/$/, ''));
  const sizes = { main: 0 };
  for (const r of roots) sizes[r] = 0;
  for (const file of walk(dist)) {
    const rel = path.relative(dist, file).split(path.sep).join('/');
    if (ignored(rel)) continue;
    const root = roots.find((r) => rel === r || rel.startsWith(`${r}/`));
    sizes[root ?? 'main'] += fs.statSync(file).size;
  }
  return sizes;
}

function main() {
  if (!fs.existsSync(path.join(dist, 'app.json'))) {
    console.error(`size check: ${dist}/app.json not found — run "taro build --type weapp" first`);
    process.exit(2);
  }
  const sizes = measure();
  const kb = (n) => (n / 1024).toFixed(1);
  let total = 0;
  console.log('weapp package sizes');
  for (const [name, bytes] of Object.entries(sizes)) {
    total += bytes;
    console.log(`  ${name === 'main' ? 'main package' : `subpackage ${name}`}: ${kb(bytes)} KB`);
  }
  console.log(`  total: ${kb(total)} KB`);
  let failed = false;
  if (sizes.main / 1024 > budgetKb) {
    console.error(`FAIL: main package ${kb(sizes.main)} KB exceeds the ${budgetKb} KB budget`);
    failed = true;
  }
  for (const [name, bytes] of Object.entries(sizes)) {
    if (bytes / 1024 > HARD_LIMIT_KB) {
      console.error(`FAIL: ${name} ${kb(bytes)} KB exceeds WeChat's 2 MB package limit`);
      failed = true;
    }
  }
  if (failed) process.exit(1);
  console.log(`OK: main package within the ${budgetKb} KB budget`);
}

if (require.main === module) main();
module.exports = { measure };
