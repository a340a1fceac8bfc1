import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { jsPDF } from 'jspdf';
import { chineseDate, letterIssuerName } from '@mashang/shared';
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
export function wrap(doc: jsPDF, text: string, width: number): string[] {
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

/** What the letter says of its case: reference and facts (read from the case when the PDF is made). */
interface LetterCase {
  id: string;
  source?: 'rating' | 'complaint' | 'visit' | 'inspection';
  createdAt: string;
  summary: string;
  department?: { name: string };
  window?: { name: string };
}

const SOURCE_NAME: Record<string, string> = {
  rating: '群众评价',
  complaint: '投诉举报',
  visit: '干部访企评价',
  inspection: '监督检查发现问题',
};

/**
 * The letter as it is sent: title and number, the addressee line, the case reference and a summary of the facts, the
 * body the inspector issued, the issuing commission's own name with the issue date in Chinese, and a seal area over
 * them (GB/T 9704-2012 layout, simplified). A body that repeats the addressee line (older drafts) is not doubled.
 */
async function renderLetterPdf(
  l: { no: string; recipient: string; text: string; issuedAt: string; issuer: string },
  c: LetterCase,
): Promise<Buffer> {
  // The loader's path is relative to the bundle, not to the working directory (/var/task on Lambda).
  fontBase64 ??= readFile(isAbsolute(fontPath) ? fontPath : join(__dirname, fontPath)).then((b) =>
    brotliDecompressSync(b).toString('base64'),
  );
  // jsPDF (and html2canvas under it) loads with the first PDF, not with the bundle (cold init, issue 9).
  const { jsPDF } = await import('jspdf');
  const doc = new jsPDF({ unit: 'pt', format: 'a4' });
  doc.setProperties({ title: `工作提示函 ${l.no}`, creator: '码上监督' });
  doc.addFileToVFS('NotoSansSC-Regular.ttf', await fontBase64);
  doc.addFont('NotoSansSC-Regular.ttf', 'NotoSansSC', 'normal');
  doc.setFont('NotoSansSC');
  const width = A4.w - 2 * MARGIN;
  const issuer = letterIssuerName(l.issuer);

  let y = MARGIN + 18;
  doc
    .setFontSize(26)
    .setTextColor(190, 13, 13)
    .text(`${issuer}`, A4.w / 2, y, { align: 'center' });
  y += 34;
  doc.setFontSize(22).text('工作提示函', A4.w / 2, y, { align: 'center' });
  y += 26;
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

  const newPageIfNeeded = (room: number) => {
    if (y > A4.h - MARGIN - room) {
      doc.addPage();
      y = MARGIN;
    }
  };

  // Addressee line (主送机关).
  doc.setFontSize(14).text(`${l.recipient}：`, MARGIN, y);
  y += LINE + 6;

  // The case reference and the facts, in a box.
  doc.setFontSize(11).setTextColor(60);
  const facts = [
    `督办件编号：${c.id}`,
    `来源：${SOURCE_NAME[c.source ?? 'rating']}\u3000受理时间：${chineseDate(c.createdAt)}`,
    `涉及单位：${[c.department?.name, c.window?.name].filter(Boolean).join(' · ') || l.recipient}`,
    ...wrap(doc, `反映问题：${c.summary}`, width - 20),
  ];
  const boxTop = y - 14;
  for (const line of facts) {
    doc.text(line, MARGIN + 10, y);
    y += 18;
  }
  doc
    .setDrawColor(160)
    .setLineWidth(0.6)
    .rect(MARGIN, boxTop, width, y - boxTop - 6);
  y += 16;

  // The body as issued (an older draft's own addressee line is dropped: it stands above).
  const body = l.text.replace(new RegExp(`^\\s*${escapeRegExp(l.recipient)}[：:]\\s*\\n`), '');
  doc.setFontSize(13).setTextColor(0);
  for (const line of wrap(doc, body, width)) {
    newPageIfNeeded(60);
    doc.text(line, MARGIN, y);
    y += LINE;
  }

  // Issuer and date, right-aligned, under a seal area (印章) the size of an official seal (4.2 cm).
  y += 40;
  newPageIfNeeded(120);
  const right = A4.w - MARGIN;
  const issuerWidth = doc.getTextWidth(issuer);
  const sealX = right - issuerWidth / 2;
  doc
    .setDrawColor(190, 13, 13)
    .setLineWidth(1)
    .setLineDashPattern([3, 3], 0)
    .circle(sealX, y - 6, 60, 'S')
    .setLineDashPattern([], 0);
  doc
    .setFontSize(9)
    .setTextColor(190, 13, 13)
    .text('（盖章处）', sealX, y - 46, { align: 'center' });
  doc.setFontSize(13).setTextColor(0);
  doc.text(issuer, right, y, { align: 'right' });
  y += LINE;
  doc.text(chineseDate(l.issuedAt), right, y, { align: 'right' });

  doc
    .setFontSize(10)
    .setTextColor(80)
    .text(`受文单位：${l.recipient}\u3000\u3000督办件：${c.id}`, MARGIN, A4.h - MARGIN);
  return Buffer.from(doc.output('arraybuffer'));
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

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
  return { no: letter.no, pdf: await renderLetterPdf(letter, bundle.case) };
}
