import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const MINIAPP = path.resolve(__dirname, '..', '..');
export const DIST = path.join(MINIAPP, 'dist', 'weapp');
const SOURCES = [path.join(MINIAPP, 'src'), path.join(MINIAPP, 'config'), path.resolve(MINIAPP, '..', 'shared', 'src')];

function newestMtime(dir: string): number {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds dist/ for weapp unless a build newer than every source file is already there. */
export function ensureWeappBuild(): void {
  const appJson = path.join(DIST, 'app.json');
  const built = fs.existsSync(appJson) ? fs.statSync(appJson).mtimeMs : 0;
  if (built && built > Math.max(...SOURCES.map(newestMtime))) return;
  execFileSync(process.execPath, [require.resolve('@tarojs/cli/bin/taro'), 'build', '--type', 'weapp'], {
    cwd: MINIAPP,
    stdio: 'pipe',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}
