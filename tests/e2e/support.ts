import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = path.resolve(__dirname, '..', '..');
/** Set by global-setup.ts: the API under test. */
export const api = () => process.env.E2E_API ?? 'http://127.0.0.1:3000';

/** A static server for an H5 build: unknown paths get index.html (hash routing needs only /). */
export function serveStatic(dir: string, port = 0): Promise<{ url: string; close: () => Promise<void> }> {
  const types: Record<string, string> = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.png': 'image/png',
    '.svg': 'image/svg+xml',
  };
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent((req.url ?? '/').split('?')[0]);
    let file = path.join(dir, rel);
    if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory())
      file = path.join(dir, 'index.html');
    fs.readFile(file, (err, body) => {
      if (err) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(body);
    });
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      const { port: p } = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${p}`, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

/** Headless Debian Chromium as a 375 px wide touch phone (TOOLCHAIN.md). */
/**
 * A phone as a given citizen: `loginCode` is the stand-in code the H5 build signs in with (so a test can ask
 * the API what that person filed).
 */
export async function phone(
  loginCode?: string,
): Promise<{ context: BrowserContext; page: Page; close: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    hasTouch: true,
    isMobile: true,
    viewport: { width: 375, height: 740 },
    deviceScaleFactor: 2,
    locale: 'zh-CN',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // Point the H5 build at the API under test, whatever address it was built with.
  await context.addInitScript(
    ([base, code]) => {
      // Runs in the page; the root tsconfig has no DOM types.
      const localStorage = (
        globalThis as unknown as {
          localStorage: { getItem(k: string): string | null; setItem(k: string, v: string): void };
        }
      ).localStorage;
      localStorage.setItem('mashang.apiBase', base);
      // Taro's H5 storage keeps {data} as JSON.
      if (code && !localStorage.getItem('mashang.h5LoginCode'))
        localStorage.setItem('mashang.h5LoginCode', JSON.stringify({ data: code }));
    },
    [api(), loginCode ?? ''] as const,
  );
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A call from the test itself (set-up and checks). serverless-offline loads a function on its first request and,
 * on a busy machine, can answer a cold start that outlasts the timeout with 200 and the runtime's error object:
 * retry those a few times so the journeys test the pages, not cold starts.
 */
export async function apiJson<T>(
  method: string,
  p: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: T }> {
  // Every write route takes a requestId (one per action, the same on a retry), as the mini-program and console send.
  const sent =
    method === 'POST' &&
    !p.startsWith('/v1/auth/') &&
    body &&
    typeof body === 'object' &&
    !Array.isArray(body) &&
    !('requestId' in body)
      ? { ...body, requestId: `e2e-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}` }
      : body;
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${api()}${p}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: sent === undefined ? undefined : JSON.stringify(sent),
    });
    const parsed = (await res.json().catch(() => null)) as (T & { errorType?: string }) | null;
    const crashed = !!parsed && typeof parsed === 'object' && 'errorType' in parsed;
    if (crashed && attempt < 5) continue;
    return { status: crashed ? 502 : res.status, body: parsed as T };
  }
}

export async function tokenFor(code: string): Promise<string> {
  const r = await apiJson<{ token: string }>('POST', '/v1/auth/wechat', { code });
  return r.body.token;
}

/** Window codes from the demo data (operator's view), from a random place in the list. */
export async function windowCodes(n: number, county = 'qilian'): Promise<{ code: string; name: string; id: string }[]> {
  const op = await tokenFor('demo-operator');
  const r = await apiJson<{ items: { id: string; name: string; code: string }[] }>(
    'GET',
    `/v1/windows?county=${county}&limit=100`,
    undefined,
    op,
  );
  // Random offset: journeys rerun against a persistent store must not hit 一次一评 by accident.
  const start = Math.floor(Math.random() * Math.max(1, r.body.items.length - n));
  return r.body.items.slice(start, start + n);
}

export const SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');

/**
 * Taps the one element matching `locator` that is not covered. Taro's H5 router may keep an earlier copy of a page
 * in the DOM under the page on top, and the copy on top may render a moment after an earlier wait succeeded, so
 * the candidates are looked up again until one takes a trial tap or `timeoutMs` has passed.
 */
export async function tapUncovered(
  page: Page,
  locator: ReturnType<Page['locator']>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const candidate of (await locator.all()).reverse()) {
      const free = await candidate.tap({ trial: true, timeout: 1000 }).then(
        () => true,
        () => false,
      );
      if (free) {
        await candidate.tap();
        return;
      }
    }
    await page.waitForTimeout(250);
  }
  // Still covered (an overlay of the H5 runtime): click the copy on top directly, as a tap on it would.
  await locator.last().dispatchEvent('click');
}

/**
 * Chooses a photo through a PhotoPicker in the H5 build. Taro's H5 chooseImage asks 拍摄 / 从相册选择 in an action
 * sheet on a phone (its is-mobile check reads the user agent), then clicks a hidden file input: the file goes to that
 * input's file chooser.
 */
export async function choosePhotoFile(
  page: Page,
  addButton: ReturnType<Page['locator']>,
  file: { name: string; mimeType: string; buffer: Buffer },
): Promise<void> {
  const chooser = page.waitForEvent('filechooser', { timeout: 30_000 });
  chooser.catch(() => undefined); // awaited below
  await addButton.tap();
  const album = page.getByText('从相册选择', { exact: true });
  const first = await Promise.race([
    chooser.then(() => 'chooser' as const),
    album.waitFor({ timeout: 30_000 }).then(() => 'sheet' as const),
  ]);
  if (first === 'sheet') await album.tap();
  await (await chooser).setFiles(file);
}
