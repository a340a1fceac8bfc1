import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import type { jsPDF } from 'jspdf';
import QRCode from 'qrcode';
// The same GB 2312 subset of Noto Sans SC as the reminder letters (esbuild `file` loader, see letter-pdf.ts).
import fontPath from '../assets/NotoSansSC-GB2312.ttf.br';

/** What a window's poster shows. `link` is the https link of its code (扫普通链接二维码打开小程序). */
export interface PosterWindow {
  name: string;
  department: string;
  county: string;
  link: string;
}

export const POSTER_SLOGAN = '码上监督 马上就办';
export const POSTER_INSTRUCTIONS = [
  '微信扫一扫，评价本窗口的服务',
  '不满意可说明原因，纪委监委和主管部门即时收到',
  '也可投诉举报作风问题，可实名也可匿名',
];

/**
 * The QR code as vector squares (one rectangle per run of dark modules in a row), with a 2-module quiet zone and
 * error correction M: sharp at any print size, and no PNG to encode and decode per poster (that was most of the
 * render time).
 */
function drawQr(doc: jsPDF, text: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 2;
  const m = size / (n + 2 * quiet);
  doc.setFillColor(255, 255, 255).rect(x, y, size, size, 'F');
  doc.setFillColor(0, 0, 0);
  for (let r = 0; r < n; r++) {
    let c = 0;
    while (c < n) {
      if (!qr.modules.get(r, c)) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && qr.modules.get(r, c)) c++;
      // A hair of overlap so adjacent squares print without seams.
      doc.rect(x + (quiet + start) * m, y + (quiet + r) * m, (c - start) * m + 0.05, m + 0.05, 'F');
    }
  }
}

let fontBase64: Promise<string> | undefined;
const A4 = { w: 595.28, h: 841.89 };

/**
 * A4 posters, one page per window: the slogan, the QR code of the code's https link (WeChat opens the mini-program
 * with it; any phone camera opens the H5 page), the window's name, department and county, and short instructions.
 */
export async function renderPosters(windows: PosterWindow[]): Promise<Buffer> {
  fontBase64 ??= readFile(isAbsolute(fontPath) ? fontPath : join(__dirname, fontPath)).then((b) =>
    brotliDecompressSync(b).toString('base64'),
  );
  // jsPDF (and html2canvas under it) loads with the first PDF, not with the bundle (cold init, issue 9).
  const { jsPDF } = await import('jspdf');
  const doc = new jsPDF({ unit: 'pt', format: 'a4', compress: true });
  doc.setProperties({ title: '码上监督 窗口监督码', creator: '码上监督' });
  doc.addFileToVFS('NotoSansSC-Regular.ttf', await fontBase64);
  doc.addFont('NotoSansSC-Regular.ttf', 'NotoSansSC', 'normal');
  doc.setFont('NotoSansSC');
  for (let i = 0; i < windows.length; i++) {
    const w = windows[i];
    if (i > 0) doc.addPage();
    doc.setFillColor(190, 13, 13).rect(0, 0, A4.w, 150, 'F');
    doc
      .setTextColor(255)
      .setFontSize(40)
      .text('窗口监督码', A4.w / 2, 75, { align: 'center' });
    doc.setFontSize(22).text(POSTER_SLOGAN, A4.w / 2, 118, { align: 'center' });
    drawQr(doc, w.link, (A4.w - 300) / 2, 190, 300);
    doc
      .setTextColor(0)
      .setFontSize(28)
      .text(w.name, A4.w / 2, 540, { align: 'center', maxWidth: A4.w - 80 });
    doc
      .setFontSize(16)
      .setTextColor(60)
      .text(`${w.department}  ·  ${w.county}`, A4.w / 2, 580, { align: 'center', maxWidth: A4.w - 80 });
    doc.setFontSize(14).setTextColor(30);
    POSTER_INSTRUCTIONS.forEach((t, n) => doc.text(t, A4.w / 2, 640 + n * 26, { align: 'center' }));
    doc
      .setFontSize(10)
      .setTextColor(120)
      .text('海北州纪委监委  海北州政务服务监督评议平台', A4.w / 2, A4.h - 40, { align: 'center' });
  }
  return Buffer.from(doc.output('arraybuffer'));
}
