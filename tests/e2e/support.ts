import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = path.resolve(__dirname, '..', '..');
/** Headless Chromium in a sandbox-less container, without its background traffic (TOOLCHAIN.md). */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
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
    args: CHROMIUM_ARGS,
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
 * Taps, with a real touch, the one element matching `locator` that a finger would reach. Taro's H5 pages scroll
 * inside their own container (`.taro_page`), and its router may keep an earlier copy of a page under the one on top;
 * Playwright's own scroll-then-tap lost that race on a fast machine (the tap landed on the case timeline above the
 * form, issue 8). So each candidate is scrolled to the middle of its page here, and it is tapped only once the
 * element at its centre is the element itself (or inside it) in two reads a frame apart. When none gets there in
 * `timeoutMs`, the error says what covered it, the scroll position and the visual viewport.
 */
export async function tapUncovered(
  page: Page,
  locator: ReturnType<Page['locator']>,
  timeoutMs = 15_000,
): Promise<void> {
  type Reach = { ok: boolean; x: number; y: number; at: string; scrollTop: number; viewport: number[] };
  // Runs in the page; the root tsconfig has no DOM types.
  const reach = (el: unknown, scroll: boolean): Reach => {
    type Box = { x: number; y: number; width: number; height: number };
    type Node = {
      scrollIntoView(o: object): void;
      getBoundingClientRect(): Box;
      contains(n: unknown): boolean;
      closest(s: string): { scrollTop: number } | null;
    };
    const doc = (globalThis as unknown as { document: { elementFromPoint(x: number, y: number): unknown } }).document;
    const vv = (globalThis as unknown as { visualViewport?: { scale: number; offsetTop: number; height: number } })
      .visualViewport;
    const node = el as Node;
    if (scroll) node.scrollIntoView({ block: 'center', inline: 'center' });
    const r = node.getBoundingClientRect();
    const x = r.x + r.width / 2;
    const y = r.y + r.height / 2;
    const hit = doc.elementFromPoint(x, y) as { outerHTML?: string } | null;
    return {
      ok: !!hit && node.contains(hit),
      x,
      y,
      at: hit?.outerHTML?.slice(0, 120) ?? 'nothing',
      scrollTop: node.closest('.taro_page')?.scrollTop ?? -1,
      viewport: vv ? [vv.scale, vv.offsetTop, vv.height] : [],
    };
  };
  const deadline = Date.now() + timeoutMs;
  let last: Reach | undefined;
  while (Date.now() < deadline) {
    for (const candidate of (await locator.all()).reverse()) {
      if (!(await candidate.isVisible())) continue;
      const first = await candidate.evaluate(reach, true).catch(() => undefined);
      if (!first) continue;
      last = first;
      if (!first.ok) continue;
      await page.waitForTimeout(100);
      const second = await candidate.evaluate(reach, false).catch(() => undefined);
      if (second?.ok && Math.abs(second.x - first.x) < 1 && Math.abs(second.y - first.y) < 1) {
        await page.touchscreen.tap(second.x, second.y);
        return;
      }
      last = second ?? last;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no copy of ${locator} could be tapped: ${JSON.stringify(last)}`);
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

/**
 * Taps `locator` (as tapUncovered does) until `done()` says the page took it, for up to `tries` touches 3 s apart.
 * On a quiet CI machine touches on the 追评 form's chip were lost, five in a row, while the element under the finger
 * was the chip (issue 8; the cause is not found, and on a loaded machine the first touch takes). After the touches it
 * clicks the visible copy directly, and still fails unless the page shows the effect; the error then carries the
 * page's copies and what lies under each chip. Only for taps that are safe to repeat (a choice, a submit guarded by
 * its requestId).
 */
export async function tapUntil(
  page: Page,
  locator: ReturnType<Page['locator']>,
  done: () => Promise<boolean>,
  tries = 3,
): Promise<void> {
  const took = async () => {
    const until = Date.now() + 3000;
    while (Date.now() < until) {
      if (await done()) return true;
      await page.waitForTimeout(200);
    }
    return false;
  };
  for (let i = 0; i < tries; i++) {
    await tapUncovered(page, locator);
    if (await took()) return;
  }
  for (const candidate of (await locator.all()).reverse()) {
    if (!(await candidate.isVisible())) continue;
    await candidate.dispatchEvent('click');
    if (await took()) return;
  }
  // Runs in the page; the root tsconfig has no DOM types.
  const state = await page.evaluate(() => {
    type El = {
      id: string;
      className: string;
      outerHTML: string;
      textContent: string | null;
      scrollTop: number;
      getBoundingClientRect(): { x: number; y: number; width: number; height: number };
      closest(s: string): El | null;
    };
    const d = (globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<El> } }).document;
    const at = (globalThis as unknown as { document: { elementFromPoint(x: number, y: number): El | null } }).document;
    return {
      pages: Array.from(d.querySelectorAll('.taro_page')).map((p) => ({ id: p.id, cls: p.className, st: p.scrollTop })),
      chips: Array.from(d.querySelectorAll('.chip')).map((c) => {
        const r = c.getBoundingClientRect();
        const hit = at.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
        return {
          text: c.textContent,
          cls: c.className,
          y: r.y,
          page: c.closest('.taro_page')?.id,
          hit: hit?.outerHTML.slice(0, 120),
        };
      }),
    };
  });
  throw new Error(`${locator} took none of ${tries} taps nor a click: ${JSON.stringify(state)}`);
}

/** A route a journey uses: method, path and (for a POST) a body. */
export type Route = [method: string, path: string, body?: unknown];

/**
 * serverless-offline loads each function on its first request, which on a busy machine can outlast the function's
 * timeout (it then answers with an error object). Asks every route a journey uses until it answers below 500 without
 * one, so the journey exercises its pages, not cold starts.
 */
export async function warmUp(routes: Route[], timeoutMs = 180_000): Promise<void> {
  await Promise.all(
    routes.map(async ([method, p, body]) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const r = await fetch(api() + p, {
          method,
          headers: { 'content-type': 'application/json' },
          body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
        }).catch(() => null);
        const text = r ? await r.text().catch(() => '') : '';
        if (r && r.status < 500 && !text.includes('"errorType"')) return;
        if (Date.now() > until)
          throw new Error(`${method} ${p} still fails after ${timeoutMs / 1000} s (${r?.status ?? 'no answer'})`);
        await new Promise((res) => setTimeout(res, 1000));
      }
    }),
  );
}

export const consoleUrl = () => process.env.E2E_CONSOLE ?? 'http://127.0.0.1:10088';

/** `npm start` builds the console in the background: wait until it serves its page and config. */
export async function consoleReady(): Promise<void> {
  const until = Date.now() + 300_000;
  for (;;) {
    try {
      if ((await fetch(`${consoleUrl()}/config.js`, { signal: AbortSignal.timeout(5000) })).ok) return;
    } catch {
      // not yet
    }
    if (Date.now() > until) throw new Error(`the console did not answer at ${consoleUrl()}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Headless Debian Chromium as a 1280×800 desktop in China time, for the web console's journeys. */
export async function desktop(): Promise<{ context: BrowserContext; page: Page; close: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-console-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
    args: CHROMIUM_ARGS,
  });
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
 * A full-length screenshot of a phone page, docs/screenshots/<name>.png: Taro's H5 page scrolls inside its own
 * container, so the window grows to fit it for the shot and is put back afterwards.
 */
export async function fullLengthShot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(300); // let the web components settle
  const size = page.viewportSize() ?? { width: 375, height: 740 };
  // Runs in the page; the test's own tsconfig has no DOM types, hence the narrow cast.
  const height = await page.evaluate(() => {
    const w = globalThis as unknown as {
      innerHeight: number;
      document: { querySelector(s: string): { scrollHeight: number } | null };
    };
    return w.document.querySelector('.taro_page')?.scrollHeight ?? w.innerHeight;
  });
  await page.setViewportSize({ width: size.width, height: Math.max(size.height, Math.ceil(height)) });
  await page.waitForTimeout(200);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  await page.setViewportSize(size);
}
