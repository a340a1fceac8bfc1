import type { jsPDF as JsPdf } from 'jspdf';
import type { ReportRecord } from '../data/reports';
import { useCjkFont } from './cjk-font';
import { wrap } from './letter-pdf';
import { reportContent, type ReportTable } from './report-content';

/** A4 landscape: the tables have 15 figure columns. */
const PAGE = { w: 841.89, h: 595.28 };
const MARGIN = 36;
const NAME_WIDTH = 170;
const ROW = 15;

/**
 * The monthly report as a printable PDF (A4 landscape, the letters' CJK font): title, the report text, then the table
 * by county (prefecture reports) and by department, repeating the header row on each new page. The words and cells
 * are those of `reportContent`, which the Word file prints too.
 */
export async function renderReportPdf(r: ReportRecord): Promise<Buffer> {
  const content = reportContent(r);
  // jsPDF loads with the first PDF, not with the bundle (cold init, as the letters do).
  const { jsPDF } = await import('jspdf');
  const doc: JsPdf = new jsPDF({ unit: 'pt', format: 'a4', orientation: 'landscape', compress: true });
  doc.setProperties({ title: content.documentTitle, creator: '码上监督' });
  await useCjkFont(doc);
  const width = PAGE.w - 2 * MARGIN;
  let y = MARGIN + 16;

  doc
    .setFontSize(20)
    .setTextColor(190, 13, 13)
    .text(content.title, PAGE.w / 2, y, { align: 'center' });
  y += 24;
  doc
    .setFontSize(11)
    .setTextColor(80)
    .text(content.subtitle, PAGE.w / 2, y, { align: 'center' });
  y += 26;
  doc.setFontSize(13).setTextColor(0);
  for (const paragraph of content.paragraphs)
    for (const line of wrap(doc, `\u3000\u3000${paragraph}`, width)) {
      doc.text(line, MARGIN, y);
      y += 20;
    }

  /** The name column, then the figures right-aligned in equal columns. */
  const cells = (line: string[]) => {
    const colWidth = (width - NAME_WIDTH) / (line.length - 1);
    line.forEach((cell, i) =>
      i === 0
        ? doc.text(wrap(doc, cell, NAME_WIDTH - 8)[0], MARGIN + 4, y)
        : doc.text(cell, MARGIN + NAME_WIDTH + i * colWidth - 4, y, { align: 'right' }),
    );
  };
  const header = (title: string, t: ReportTable) => {
    doc.setFontSize(12).setTextColor(0).text(title, MARGIN, y);
    y += 14;
    doc.setFontSize(8).setTextColor(60);
    doc.setFillColor(240, 240, 240).rect(MARGIN, y - 10, width, ROW, 'F');
    cells(t.header);
    y += ROW;
  };
  for (const t of content.tables) {
    y += 10;
    if (y > PAGE.h - MARGIN - 3 * ROW) {
      doc.addPage();
      y = MARGIN + 10;
    }
    header(t.title, t);
    doc.setFontSize(8).setTextColor(0);
    for (const row of t.rows) {
      if (y > PAGE.h - MARGIN) {
        doc.addPage();
        y = MARGIN + 10;
        header(`${t.title}（续）`, t);
        doc.setFontSize(8).setTextColor(0);
      }
      cells(row);
      doc
        .setDrawColor(225)
        .setLineWidth(0.4)
        .line(MARGIN, y + 4, MARGIN + width, y + 4);
      y += ROW;
    }
  }
  return Buffer.from(doc.output('arraybuffer'));
}
