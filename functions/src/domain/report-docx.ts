import {
  AlignmentType,
  Document,
  Packer,
  PageOrientation,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx';
import type { ReportRecord } from '../data/reports';
import { reportContent } from './report-content';

/** A4 in twentieths of a point (portrait figures: docx swaps them for landscape), the PDF's half-inch margin. */
const PAGE = { w: 11906, h: 16838 };
const MARGIN = 720;
/** The name column as wide as the PDF's (170 pt); the figure columns share the rest of the landscape width. */
const NAME_WIDTH = 3400;

/**
 * A .docx embeds no font: the file names them and Word (or WPS) takes them from the machine. 宋体 for the text and 黑体
 * for the title come with Chinese Windows (and with Office and WPS elsewhere); `eastAsia` is the slot Word reads for
 * CJK characters, so a machine without them still falls back to a CJK font, never to boxes.
 */
const BODY_FONT = { ascii: 'SimSun', hAnsi: 'SimSun', eastAsia: 'SimSun', hint: 'eastAsia' };
const TITLE_FONT = { ascii: 'SimHei', hAnsi: 'SimHei', eastAsia: 'SimHei', hint: 'eastAsia' };

/**
 * The monthly report as a Word file, for offices that edit and forward it: the same title, text and tables as the PDF
 * (`reportContent`), A4 landscape, the header row repeated on each page.
 *
 * This module imports docx statically and is itself loaded with `import()` by `reports.ts`, at the first Word file: the
 * bundle carries docx (≈ 240 KB minified) but a cold start does not run it, and esbuild keeps only the parts of docx
 * named here (≈ 60 KB less than `await import('docx')`, whose whole namespace is kept).
 */
export async function renderReportDocx(r: ReportRecord): Promise<Buffer> {
  const content = reportContent(r);
  const width = PAGE.h - 2 * MARGIN;
  const cell = (text: string, i: number, head: boolean) =>
    new TableCell({
      children: [
        new Paragraph({
          alignment: i === 0 ? AlignmentType.LEFT : AlignmentType.RIGHT,
          children: [new TextRun({ text, size: 16, ...(head ? { color: '3C3C3C' } : {}) })],
        }),
      ],
      verticalAlign: VerticalAlign.CENTER,
      margins: { left: 60, right: 60, top: 30, bottom: 30 },
      ...(head ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'F0F0F0' } } : {}),
    });
  const tables = content.tables.flatMap((t) => {
    const figureWidth = Math.floor((width - NAME_WIDTH) / (t.header.length - 1));
    return [
      new Paragraph({
        spacing: { before: 240, after: 120 },
        keepNext: true,
        children: [new TextRun({ text: t.title, size: 24, bold: true })],
      }),
      new Table({
        width: { size: width, type: WidthType.DXA },
        columnWidths: [NAME_WIDTH, ...t.header.slice(1).map(() => figureWidth)],
        layout: TableLayoutType.FIXED,
        rows: [
          new TableRow({
            tableHeader: true,
            cantSplit: true,
            children: t.header.map((text, i) => cell(text, i, true)),
          }),
          ...t.rows.map(
            (row) => new TableRow({ cantSplit: true, children: row.map((text, i) => cell(text, i, false)) }),
          ),
        ],
      }),
    ];
  });

  const doc = new Document({
    title: content.documentTitle,
    creator: '码上监督',
    styles: { default: { document: { run: { font: BODY_FONT, language: { value: 'zh-CN', eastAsia: 'zh-CN' } } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: PAGE.w, height: PAGE.h, orientation: PageOrientation.LANDSCAPE },
            margin: { top: MARGIN, right: MARGIN, bottom: MARGIN, left: MARGIN },
          },
        },
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { after: 120 },
            children: [new TextRun({ text: content.title, font: TITLE_FONT, size: 40, color: 'BE0D0D' })],
          }),
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { after: 240 },
            children: [new TextRun({ text: content.subtitle, size: 22, color: '505050' })],
          }),
          ...content.paragraphs.map(
            (text) =>
              new Paragraph({
                // Two characters: Word reads the characters, other readers the width (2 × 13 pt).
                indent: { firstLineChars: 200, firstLine: 520 },
                spacing: { line: 400 },
                children: [new TextRun({ text, size: 26 })],
              }),
          ),
          ...tables,
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
