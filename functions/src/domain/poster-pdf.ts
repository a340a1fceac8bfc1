import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { jsPDF } from 'jspdf';
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
    // Error correction M and a quiet zone: readable when printed small or slightly worn.
    const png = await QRCode.toDataURL(w.link, { errorCorrectionLevel: 'M', margin: 2, width: 600 });
    const size = 300;
    doc.addImage(png, 'PNG', (A4.w - size) / 2, 190, size, size);
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
