import fs from 'node:fs';
import path from 'node:path';

const STATE = path.resolve(__dirname, '..', '..', 'tmp', 'e2e-system.json');

/** Stops the `npm start` that global-setup started (its whole process group), if it started one. */
export default async function globalTeardown() {
  if (!fs.existsSync(STATE)) return;
  const { pid } = JSON.parse(fs.readFileSync(STATE, 'utf8')) as { pid?: number };
  fs.rmSync(STATE, { force: true });
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGINT');
    await new Promise((r) => setTimeout(r, 5000));
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already stopped
  }
}
