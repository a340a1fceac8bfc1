import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { PREFECTURE_ID } from '@mashang/shared';
import { windowPosterPdf } from '../../functions/src/handlers/posters';
import { call, loginAs } from '../support/api';
import { anOfficial, aWindow, partition } from '../support/builders';

async function operator(scope = PREFECTURE_ID) {
  const o = await anOfficial([{ role: 'operator', scope }]);
  return { ...(await loginAs(o.loginCode)), userId: o.userId };
}

/** Render page 1 of a PDF with poppler and decode the QR code in it. */
function qrOfFirstPage(pdf: Buffer): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'poster-'));
  writeFileSync(join(dir, 'p.pdf'), pdf);
  execFileSync('pdftoppm', [
    '-r',
    '100',
    '-f',
    '1',
    '-l',
    '1',
    '-png',
    '-singlefile',
    join(dir, 'p.pdf'),
    join(dir, 'page'),
  ]);
  const png = PNG.sync.read(readFileSync(join(dir, 'page.png')));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

describe('posters', () => {
  test("when an operator prints a window's poster, then the PDF's QR code carries the code's https link and its text names the window, department, county and slogan", async () => {
    const w = await aWindow();
    const op = await operator();

    const res = await call(windowPosterPdf, { token: op.token, params: { id: w.window.id } });

    expect(res.status).toBe(201);
    expect(res.body.url).toContain('X-Amz-Signature=');
    const pdf = Buffer.from(await (await fetch(res.body.url)).arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(qrOfFirstPage(pdf)).toBe(`https://mashang.haibei.gov.cn/c/${w.code}`);
    const text = execFileSync('pdftotext', ['-', '-'], { input: pdf }).toString('utf8').replace(/\s+/g, ' ');
    expect(text).toContain(w.window.name);
    expect(text).toContain(w.department.name);
    expect(text).toContain(w.window.county.name);
    expect(text).toContain('码上监督 马上就办');
    expect(text).toContain('微信扫一扫，评价本窗口的服务');
    const audit = (await partition(`AUDIT#window#${w.window.id}`)).filter((e) => e.action === 'poster.generate');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: { userId: op.userId, role: 'operator' }, after: { code: w.code } });
    // The first render loads and embeds the CJK font: slow on a loaded 2-core machine.
  }, 180000);

  test('when someone without the operator role asks for a poster, then 404 and nothing is stored', async () => {
    const w = await aWindow();
    const inspector = await loginAs((await anOfficial([{ role: 'inspector', scope: PREFECTURE_ID }])).loginCode);
    const res = await call(windowPosterPdf, { token: inspector.token, params: { id: w.window.id } });
    expect(res.status).toBe(404);
    expect((await partition(`AUDIT#window#${w.window.id}`)).filter((e) => e.action === 'poster.generate')).toHaveLength(
      0,
    );
  });
});
