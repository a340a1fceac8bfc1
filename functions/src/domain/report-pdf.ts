import type { jsPDF as JsPdf } from 'jspdf';
import { chineseDate, chineseMonth, REPORT_COLUMNS, reportCell, type ReportRow } from '@mashang/shared';
import type { ReportRecord } from '../data/reports';
import { useCjkFont } from './cjk-font';
import { wrap } from './letter-pdf';

/** A4 landscape: the tables have 15 figure columns. */
const PAGE = { w: 841.89, h: 595.28 };
const MARGIN = 36;
const NAME_WIDTH = 170;
const ROW = 15;

/**
 * The monthly report as a printable PDF (A4 landscape, the letters' CJK font): title, the report text, then the table
 * by county (prefecture reports) and by department, repeating the header row on each new page.
 */
export async function renderReportPdf(r: ReportRecord): Promise<Buffer> {
  // jsPDF loads with the first PDF, not with the bundle (cold init, as the letters do).
  const { jsPDF } = await import('jspdf');
  const doc: JsPdf = new jsPDF({ unit: 'pt', format: 'a4', orientation: 'landscape', compress: true });
  doc.setProperties({ title: `${r.scopeName}监督评议月度报告 ${r.month}`, creator: '码上监督' });
  await useCjkFont(doc);
  const width = PAGE.w - 2 * MARGIN;
  let y = MARGIN + 16;

  doc
    .setFontSize(20)
    .setTextColor(190, 13, 13)
    .text(`${r.scopeName}政务服务监督评议月度报告`, PAGE.w / 2, y, { align: 'center' });
  y += 24;
  doc
    .setFontSize(11)
    .setTextColor(80)
    .text(
      `${chineseMonth(r.month)}（统计期 ${r.from} 至 ${r.to}）\u3000第 ${r.version} 版，生成于${chineseDate(r.generatedAt)}`,
      PAGE.w / 2,
      y,
      { align: 'center' },
    );
  y += 26;
  doc.setFontSize(13).setTextColor(0);
  for (const line of wrap(doc, `\u3000\u3000${r.text}`, width)) {
    doc.text(line, MARGIN, y);
    y += 20;
  }

  const colWidth = (width - NAME_WIDTH) / REPORT_COLUMNS.length;
  const header = (title: string) => {
    doc.setFontSize(12).setTextColor(0).text(title, MARGIN, y);
    y += 14;
    doc.setFontSize(8).setTextColor(60);
    doc.setFillColor(240, 240, 240).rect(MARGIN, y - 10, width, ROW, 'F');
    doc.text('单位', MARGIN + 4, y);
    REPORT_COLUMNS.forEach((c, i) =>
      doc.text(c.title, MARGIN + NAME_WIDTH + (i + 1) * colWidth - 4, y, { align: 'right' }),
    );
    y += ROW;
  };
  const table = (title: string, rows: ReportRow[]) => {
    if (!rows.length) return;
    y += 10;
    if (y > PAGE.h - MARGIN - 3 * ROW) {
      doc.addPage();
      y = MARGIN + 10;
    }
    header(title);
    doc.setFontSize(8).setTextColor(0);
    for (const row of rows) {
      if (y > PAGE.h - MARGIN) {
        doc.addPage();
        y = MARGIN + 10;
        header(`${title}（续）`);
        doc.setFontSize(8).setTextColor(0);
      }
      doc.text(wrap(doc, row.name, NAME_WIDTH - 8)[0], MARGIN + 4, y);
      REPORT_COLUMNS.forEach((c, i) =>
        doc.text(reportCell(row, c), MARGIN + NAME_WIDTH + (i + 1) * colWidth - 4, y, { align: 'right' }),
      );
      doc
        .setDrawColor(225)
        .setLineWidth(0.4)
        .line(MARGIN, y + 4, MARGIN + width, y + 4);
      y += ROW;
    }
  };
  table('分区县情况', r.counties);
  table('分部门情况', r.departments);
  return Buffer.from(doc.output('arraybuffer'));
}
