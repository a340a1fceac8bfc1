import { readFile } from 'node:fs/promises';
import { PDFDocument, rgb, type PDFFont } from 'pdf-lib';
import fontkit from '@pdf-lib/fontkit';
import { shanghaiDate } from '@mashang/shared';
// esbuild's `file` loader copies the font beside the bundle and gives its path (serverless.yml custom.esbuild.loader).
import fontPath from '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf';

/**
 * A printable A4 工作提示函 with correct Chinese glyphs: Noto Sans SC (SIL OFL), embedded as a subset so the file
 * holds only the characters it uses.
 */
let fontBytes: Promise<Buffer> | undefined;

const A4 = { w: 595.28, h: 841.89 };
const MARGIN = 72;

function wrap(font: PDFFont, text: string, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const ch of paragraph) {
      if (font.widthOfTextAtSize(line + ch, size) > width) {
        lines.push(line);
        line = ch;
      } else line += ch;
    }
    lines.push(line);
  }
  return lines;
}

export async function renderLetterPdf(l: { no: string; recipient: string; text: string; issuedAt: string; issuer: string }): Promise<Buffer> {
  fontBytes ??= readFile(fontPath);
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  doc.setTitle(`工作提示函 ${l.no}`);
  doc.setCreator('码上监督');
  const font = await doc.embedFont(await fontBytes, { subset: true });
  let page = doc.addPage([A4.w, A4.h]);
  let y = A4.h - MARGIN;
  const red = rgb(0.75, 0.05, 0.05);
  const title = '工作提示函';
  page.drawText(title, { x: (A4.w - font.widthOfTextAtSize(title, 26)) / 2, y, size: 26, font, color: red });
  y -= 36;
  page.drawText(l.no, { x: (A4.w - font.widthOfTextAtSize(l.no, 12)) / 2, y, size: 12, font });
  y -= 14;
  page.drawLine({ start: { x: MARGIN, y }, end: { x: A4.w - MARGIN, y }, thickness: 1.5, color: red });
  y -= 34;
  for (const line of wrap(font, l.text, 13, A4.w - 2 * MARGIN)) {
    if (y < MARGIN + 60) {
      page = doc.addPage([A4.w, A4.h]);
      y = A4.h - MARGIN;
    }
    page.drawText(line, { x: MARGIN, y, size: 13, font });
    y -= 22;
  }
  y -= 30;
  const sign = ['中共海北州纪委监委', shanghaiDate(l.issuedAt).replace(/^(\d+)-(\d+)-(\d+)$/, (_, a, b, c) => `${a}年${Number(b)}月${Number(c)}日`)];
  for (const s of sign) {
    page.drawText(s, { x: A4.w - MARGIN - font.widthOfTextAtSize(s, 13), y, size: 13, font });
    y -= 22;
  }
  page.drawText(`受文单位：${l.recipient}`, { x: MARGIN, y: MARGIN, size: 10, font, color: rgb(0.3, 0.3, 0.3) });
  // Without object streams: older PDF readers and office printers in county offices handle it.
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}
