// Photos in a real browser (issue 15 item 7): in the H5 build a citizen rates a window 差评 with a photo chosen through
// the PhotoPicker (Taro's H5 chooseImage: an action sheet on a phone, then a file input), the photo goes straight to
// the local object storage with the presigned POST, and the department's handler opens the case and sees it.
// Then a 满意 rating with a photo (no case): its window staff see it on 本窗口评价, the rater in 我的.
// Screenshots: docs/screenshots/rate-photo.png, officials-case-photos.png, mine-photos.png, window-ratings-photos.png.
import fs from 'node:fs';
import type { Page, Response } from 'playwright-core';
import {
  SCREENSHOTS,
  api,
  apiJson,
  fullLengthShot,
  choosePhotoFile,
  phone,
  serveStatic,
  tokenFor,
  warmUp,
  type Route,
} from './support';

const DEPARTMENT = 'menyuan-scjg';
const HANDLER = `demo-handler-${DEPARTMENT}`;

/** The routes this journey uses, warmed up before it starts. */
const ROUTES: Route[] = [
  ['POST', '/v1/auth/wechat', {}],
  ['GET', '/v1/codes/ping'],
  ['POST', '/v1/uploads', {}],
  ['POST', '/v1/ratings', {}],
  ['GET', '/v1/cases/20260101-AAAAAA'],
  ['GET', '/v1/cases'],
];

let h5: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  await warmUp(ROUTES);
  h5 = await serveStatic(process.env.E2E_H5_DIR as string, Number(process.env.E2E_H5_PORT ?? 0));
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
}, 240_000);
afterAll(() => h5?.close());

const shot = fullLengthShot;

/** A photo as a phone camera would give it: a JPEG drawn in the browser (stripes, so it is visibly a picture). */
async function cameraJpeg(page: Page): Promise<Buffer> {
  const dataUrl = await page.evaluate(() => {
    const d = (globalThis as unknown as { document: { createElement(t: string): any } }).document;
    const canvas = d.createElement('canvas');
    canvas.width = 640;
    canvas.height = 480;
    const ctx = canvas.getContext('2d');
    ['#c0392b', '#f1c40f', '#27ae60', '#2980b9'].forEach((c, i) => {
      ctx.fillStyle = c;
      ctx.fillRect(i * 160, 0, 160, 480);
    });
    return canvas.toDataURL('image/jpeg', 0.9) as string;
  });
  return Buffer.from(dataUrl.split(',')[1], 'base64');
}

/** Whether every thumbnail in `scope` shows a loaded picture (an <img> that decoded, not an empty box). */
const loadedImages = (page: Page, selector: string) =>
  page.evaluate((sel) => {
    const d = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<any> } }).document;
    return Array.from(d.querySelectorAll(sel)).map((img) => ({
      src: String(img.getAttribute('src') ?? ''),
      loaded: !!img.complete && img.naturalWidth > 0,
    }));
  }, selector);

/**
 * Reads `probe` until every image it lists has loaded (Taro's Image sets its src a tick after rendering, and the
 * picture then loads over the network), or 30 s have passed; the last reading either way.
 */
async function settled(probe: () => Promise<{ src: string; loaded: boolean }[]>) {
  let last = await probe();
  for (const until = Date.now() + 30_000; Date.now() < until; last = await probe()) {
    if (last.length > 0 && last.every((i) => i.loaded)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  return last;
}

describe('photos journey (H5 in Chromium)', () => {
  let caseId = '';

  it('a citizen rates a window 差评 with a photo chosen on the phone; the photo is uploaded to storage first', async () => {
    const operator = await tokenFor('demo-operator');
    const windows = await apiJson<{ items: { code: string; name: string }[] }>(
      'GET',
      `/v1/windows?departmentId=${DEPARTMENT}&limit=100`,
      undefined,
      operator,
    );
    const win = windows.body.items[Math.floor(Math.random() * windows.body.items.length)];
    const who = `e2e-photos-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const { page, close } = await phone(who);
    page.setDefaultTimeout(45_000);
    // What the page sent to object storage: every request that goes neither to the API nor to the H5 server.
    const storage: { method: string; url: string; status: number }[] = [];
    const elsewhere = (url: string) => /^https?:/.test(url) && !url.startsWith(api()) && !url.startsWith(h5.url);
    page.on('response', (r: Response) => {
      if (elsewhere(r.url())) storage.push({ method: r.request().method(), url: r.url(), status: r.status() });
    });
    const failed: string[] = [];
    page.on('requestfailed', (r) => {
      if (elsewhere(r.url())) failed.push(`${r.method()} ${r.url()}: ${r.failure()?.errorText}`);
    });
    try {
      await page.goto(`${h5.url}/#/pages/rate/index?code=${encodeURIComponent(win.code)}`);
      await page.getByText(win.name).first().waitFor();
      await page.getByText('非常不满意', { exact: true }).tap();
      await page.getByText('推诿扯皮', { exact: true }).tap();
      await page.locator('textarea').first().fill('窗口让我第三次补交同一份材料，照片是窗口张贴的过期告知单');
      await page.getByText('照片（选填）').waitFor();

      await choosePhotoFile(page, page.getByTestId('add-photo'), {
        name: 'evidence.jpg',
        mimeType: 'image/jpeg',
        buffer: await cameraJpeg(page),
      });
      // Either the thumbnail with its remove button, or the picker's error (the upload failed).
      await page.locator('.photo-remove, [data-testid="photo-error"]').first().waitFor();
      expect({ error: await page.getByTestId('photo-error').allInnerTexts(), failed }).toEqual({
        error: [],
        failed: [],
      });
      // The thumbnail shows the compressed photo on the device.
      const thumbs = await settled(() => loadedImages(page, '[data-testid="photo-picker"] .photo-thumb img'));
      expect(thumbs).toEqual([{ src: expect.stringMatching(/^blob:/), loaded: true }]);
      expect(storage).toEqual([expect.objectContaining({ method: 'POST', status: 204 })]);
      await shot(page, 'rate-photo');

      await page.locator('taro-button-core', { hasText: '提交评价' }).tap();
      await page.waitForURL(/thanks\/index.*caseId=/);
      caseId = decodeURIComponent(/caseId=([^&]+)/.exec(page.url())![1]);
      expect(caseId).toMatch(/^\d{8}-[0-9A-Z]{6}$/);
    } finally {
      await close();
    }
  }, 240_000);

  it(`the department's handler opens the case and sees the photo`, async () => {
    expect(caseId).toBeTruthy();
    const view = await apiJson<{ photos: { url: string; by: string }[] }>(
      'GET',
      `/v1/cases/${caseId}`,
      undefined,
      await tokenFor(HANDLER),
    );
    expect(view.body.photos).toEqual([expect.objectContaining({ by: 'filer' })]);

    const { page, close } = await phone(HANDLER);
    page.setDefaultTimeout(45_000);
    const images: { url: string; status: number }[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/photos/')) images.push({ url: r.url(), status: r.status() });
    });
    try {
      await page.goto(`${h5.url}/#/officials/pages/case/index?id=${caseId}`);
      await page.getByTestId('case-summary').getByText(caseId).waitFor();
      await page.getByTestId('photos').getByText('评价人提供的照片').waitFor();
      const thumbs = await settled(() => loadedImages(page, '[data-testid="photos"] .photo-thumb img'));
      expect(thumbs).toEqual([{ src: expect.stringContaining('/photos/'), loaded: true }]);
      // The image came from storage by its presigned link.
      expect(images.map((i) => [i.url.split('?')[0], i.status])).toContainEqual([thumbs[0].src.split('?')[0], 200]);
      await shot(page, 'officials-case-photos');
    } finally {
      await close();
    }
  }, 240_000);

  it('a 满意 rating with a photo opens no case: its window staff see the photo on 本窗口评价, the rater in 我的', async () => {
    const operator = await tokenFor('demo-operator');
    const windows = await apiJson<{ items: { id: string; code: string; name: string }[] }>(
      'GET',
      `/v1/windows?departmentId=${DEPARTMENT}&limit=100`,
      undefined,
      operator,
    );
    const win = windows.body.items[Math.floor(Math.random() * windows.body.items.length)];
    const who = `e2e-photos-good-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const citizen = await phone(who);
    citizen.page.setDefaultTimeout(45_000);
    let ratingId = '';
    try {
      // The rating itself as the device sends it: a presigned POST to storage, then the rating naming the key.
      const token = await tokenFor(who);
      const ticket = await apiJson<{ url: string; fields: Record<string, string>; key: string }>(
        'POST',
        '/v1/uploads',
        { contentType: 'image/jpeg' },
        token,
      );
      expect(ticket.status).toBe(201);
      const form = new FormData();
      for (const [k, v] of Object.entries(ticket.body.fields)) form.append(k, v);
      form.append('file', new Blob([await cameraJpeg(citizen.page)], { type: 'image/jpeg' }), 'photo.jpg');
      expect((await fetch(ticket.body.url, { method: 'POST', body: form })).status).toBeLessThan(300);
      const rated = await apiJson<{ rating: { id: string }; caseId: string | null }>(
        'POST',
        '/v1/ratings',
        { code: win.code, level: 4, comment: '窗口新设了自助填表台，照片为证', photos: [ticket.body.key] },
        token,
      );
      expect(rated.status).toBe(201);
      expect(rated.body.caseId).toBeNull();
      ratingId = rated.body.rating.id;

      await citizen.page.goto(`${h5.url}/#/pages/mine/index`);
      await citizen.page.getByTestId('my-ratings').getByText(win.name).waitFor();
      const mine = await settled(() => loadedImages(citizen.page, '[data-testid="rating-photos"] img'));
      expect(mine).toEqual([{ src: expect.stringContaining('/photos/'), loaded: true }]);
      await shot(citizen.page, 'mine-photos');
    } finally {
      await citizen.close();
    }

    const staff = await phone(`demo-staff-${win.id}`);
    staff.page.setDefaultTimeout(45_000);
    try {
      await staff.page.goto(`${h5.url}/#/officials/pages/window/index?id=${encodeURIComponent(win.id)}`);
      await staff.page.getByText('窗口新设了自助填表台，照片为证').waitFor();
      const seen = await settled(() =>
        loadedImages(staff.page, `[data-testid="rating-${ratingId}"] [data-testid="rating-photos"] img`),
      );
      expect(seen).toEqual([{ src: expect.stringContaining('/photos/'), loaded: true }]);
      await shot(staff.page, 'window-ratings-photos');
    } finally {
      await staff.close();
    }
  }, 240_000);
});
