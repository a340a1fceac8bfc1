import ExcelJS from 'exceljs';
import { IMPORT_COLUMNS, IMPORT_SHEETS, type ImportKind } from '@mashang/shared';

/** Build an import workbook (sheets 部门 / 窗口 / 企业) from rows keyed by column key. */
export async function aWorkbook(sheets: Partial<Record<ImportKind, Record<string, string>[]>>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [kind, rows] of Object.entries(sheets) as [ImportKind, Record<string, string>[]][]) {
    const ws = wb.addWorksheet(IMPORT_SHEETS[kind]);
    ws.addRow(IMPORT_COLUMNS[kind].map((c) => c.header));
    for (const r of rows) ws.addRow(IMPORT_COLUMNS[kind].map((c) => r[c.key] ?? ''));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function aCsv(kind: ImportKind, rows: Record<string, string>[]): Buffer {
  const cols = IMPORT_COLUMNS[kind];
  return Buffer.from(
    [cols.map((c) => c.header).join(','), ...rows.map((r) => cols.map((c) => r[c.key] ?? '').join(','))].join('\n'),
  );
}
