import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { jsPDF } from 'jspdf';
import { shanghaiDate } from '@mashang/shared';
import { loadCase } from '../data/cases';
import { AppError, notFound } from '../lib/errors';
import type { Session } from '../lib/session';
import { actorsOn } from './case-actions';
import { brotliDecompressSync } from 'node:zlib';
// esbuild's `file` loader copies the font beside the bundle and gives its path (serverless.yml custom.esbuild.loader).
// Noto Sans SC cut to GB 2312 (levels 1 and 2) and brotli-compressed by scripts/subset-letter-font.ts: 1.2 MB
// instead of the 10 MB original.
import fontPath from '../assets/NotoSansSC-GB2312.ttf.br';

/**
 * A printable A4 工作提示函 with correct Chinese glyphs: Noto Sans SC (SIL OFL) embedded by jsPDF, which keeps only
 * the glyphs the letter uses. (pdf-lib's subsetter dropped most CJK glyphs of this font; pdfkit does not bundle.)
 * A character outside GB 2312 prints blank.
 */
let fontBase64: Promise<string> | undefined;

const A4 = { w: 595.28, h: 841.89 };
const MARGIN = 72;
const LINE = 22;

/** Break text into lines that fit `width` at the current font size; Chinese breaks between any two characters. */
function wrap(doc: jsPDF, text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const ch of paragraph) {
      if (doc.getTextWidth(line + ch) > width && line) {
        lines.push(line);
        line = ch;
      } else line += ch;
    }
    lines.push(line);
  }
  return lines;
}

async function renderLetterPdf(l: {
  no: string;
  recipient: string;
  text: string;
  issuedAt: string;
  issuer: string;
}): Promise<Buffer> {
  // The loader's path is relative to the bundle, not to the working directory (/var/task on Lambda).
  fontBase64 ??= readFile(isAbsolute(fontPath) ? fontPath : join(__dirname, fontPath)).then((b) =>
    brotliDecompressSync(b).toString('base64'),
  );
  const doc = new jsPDF({ unit: 'pt', format: 'a4' });
  doc.setProperties({ title: `工作提示函 ${l.no}`, creator: '码上监督' });
  doc.addFileToVFS('NotoSansSC-Regular.ttf', await fontBase64);
  doc.addFont('NotoSansSC-Regular.ttf', 'NotoSansSC', 'normal');
  doc.setFont('NotoSansSC');

  let y = MARGIN + 18;
  doc
    .setFontSize(26)
    .setTextColor(190, 13, 13)
    .text('工作提示函', A4.w / 2, y, { align: 'center' });
  y += 28;
  doc
    .setFontSize(12)
    .setTextColor(0)
    .text(l.no, A4.w / 2, y, { align: 'center' });
  y += 12;
  doc
    .setDrawColor(190, 13, 13)
    .setLineWidth(1.5)
    .line(MARGIN, y, A4.w - MARGIN, y);
  y += 34;
  doc.setFontSize(13);
  for (const line of wrap(doc, l.text, A4.w - 2 * MARGIN)) {
    if (y > A4.h - MARGIN - 60) {
      doc.addPage();
      y = MARGIN;
    }
    doc.text(line, MARGIN, y);
    y += LINE;
  }
  y += 30;
  const date = shanghaiDate(l.issuedAt).replace(
    /^(\d+)-(\d+)-(\d+)$/,
    (_, a, b, c) => `${a}年${Number(b)}月${Number(c)}日`,
  );
  for (const s of ['中共海北州纪委监委', date]) {
    doc.text(s, A4.w - MARGIN, y, { align: 'right' });
    y += LINE;
  }
  doc
    .setFontSize(10)
    .setTextColor(80)
    .text(`受文单位：${l.recipient}`, MARGIN, A4.h - MARGIN);
  return Buffer.from(doc.output('arraybuffer'));
}

/** The PDF of a case's reminder letter, for the handlers and inspectors the case concerns. */
export async function getLetterPdf(
  session: Session,
  caseId: string,
  file: string,
): Promise<{ no: string; pdf: Buffer }> {
  const m = /^(.+)\.pdf$/.exec(file);
  if (!m) throw new AppError('VALIDATION_FAILED', '文件名须以 .pdf 结尾');
  const bundle = await loadCase(caseId);
  if (!bundle.case) throw notFound('督办件');
  if (!actorsOn(session, bundle).some((a) => a === 'inspector' || a === 'handler')) throw notFound('督办件');
  const letter = bundle.letters.find((l) => l.no === m[1]);
  if (!letter) throw notFound('工作提示函');
  return { no: letter.no, pdf: await renderLetterPdf(letter) };
}
