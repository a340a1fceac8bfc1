import {
  IMPORT_COLUMNS,
  IMPORT_KINDS,
  IMPORT_SHEETS,
  REGIONS,
  type ImportKind,
  type ImportRowError,
} from '@mashang/shared';
import { readCsv, readXlsx, xlsxBuffer, type SheetRows } from './xlsx';

/** One data row of an import file: its sheet, its spreadsheet row number and its cells by column key. */
export interface FileRow {
  kind: ImportKind;
  sheet: string;
  row: number;
  values: Record<string, string>;
}

export interface ParsedFile {
  rows: FileRow[];
  errors: ImportRowError[];
}

function readSheet(rows: SheetRows, kind: ImportKind, sheetName: string, out: ParsedFile) {
  const columns = IMPORT_COLUMNS[kind];
  const index = new Map<string, number>();
  (rows.get(1) ?? []).forEach((text, col) => {
    if (text.trim() !== '') index.set(text.trim(), col);
  });
  const missing = columns.filter((c) => !index.has(c.header) && !['contactName', 'contactPhone'].includes(c.key));
  if (missing.length) {
    out.errors.push({
      sheet: sheetName,
      row: 1,
      message: `缺少列：${missing.map((c) => c.header).join('、')}（请使用下载的模板）`,
    });
    return;
  }
  for (const [n, cells] of [...rows].sort((a, b) => a[0] - b[0])) {
    if (n === 1) continue;
    const values: Record<string, string> = {};
    for (const c of columns) {
      const col = index.get(c.header);
      values[c.key] = col === undefined ? '' : (cells[col] ?? '').trim();
    }
    if (Object.values(values).every((v) => v === '')) continue;
    out.rows.push({ kind, sheet: sheetName, row: n, values });
  }
}

/**
 * Read an xlsx (sheets named 部门 / 窗口 / 企业, any of them) or a csv of one kind. Unreadable files and wrong
 * headers become errors of row 1, never exceptions.
 */
export async function parseImportFile(fileName: string, data: Buffer, csvKind?: ImportKind): Promise<ParsedFile> {
  const out: ParsedFile = { rows: [], errors: [] };
  if (/\.csv$/i.test(fileName)) {
    if (!csvKind)
      return { rows: [], errors: [{ sheet: fileName, row: 1, message: 'CSV 文件须选择类别（部门、窗口或企业）' }] };
    try {
      // A UTF-8 BOM (Excel's "CSV UTF-8") is dropped; GBK-encoded files are not supported.
      const text = data.toString('utf8').replace(/^\uFEFF/, '');
      readSheet(readCsv(text), csvKind, IMPORT_SHEETS[csvKind], out);
    } catch {
      out.errors.push({ sheet: fileName, row: 1, message: '无法读取 CSV 文件，请确认为 UTF-8 编码' });
    }
    return out;
  }
  let sheets: Map<string, SheetRows>;
  try {
    sheets = readXlsx(data);
  } catch {
    return {
      rows: [],
      errors: [{ sheet: fileName, row: 1, message: '无法读取 Excel 文件，请使用 .xlsx 格式（不支持 .xls）' }],
    };
  }
  let found = 0;
  for (const kind of IMPORT_KINDS) {
    const ws = sheets.get(IMPORT_SHEETS[kind]);
    if (!ws) continue;
    found++;
    readSheet(ws, kind, IMPORT_SHEETS[kind], out);
  }
  if (found === 0)
    out.errors.push({
      sheet: fileName,
      row: 1,
      message: '文件中没有名为“部门”“窗口”或“企业”的工作表（请使用下载的模板）',
    });
  return out;
}

/** The downloadable template: one sheet per kind with its columns and an example row, plus notes. */
export async function importTemplate(format: 'xlsx' | 'csv', kind: ImportKind = 'windows'): Promise<Buffer> {
  if (format === 'csv') {
    const cols = IMPORT_COLUMNS[kind];
    const line = (xs: string[]) => xs.map((x) => (/[",\n]/.test(x) ? `"${x.replace(/"/g, '""')}"` : x)).join(',');
    return Buffer.from(`\uFEFF${line(cols.map((c) => c.header))}\n${line(cols.map((c) => c.example))}\n`, 'utf8');
  }
  const notes = [
    '填写说明',
    '1. 每个工作表第一行为列名，请勿修改；示例行可删除。',
    '2. 编号（外部编号）为小写字母、数字和短横线，导入后即系统编号；重复导入同一编号会被识别。',
    `3. 区县填写名称（如 ${REGIONS[1].name}）或编号（${REGIONS.map((r) => r.id).join('、')}）。`,
    '4. 层级为 州、县、乡、村；窗口类型为 审批科室 或 服务窗口。',
    '5. 窗口的部门编号须为系统中已有的部门，或本文件“部门”表中的部门。',
    '6. 统一社会信用代码按 GB 32100-2015 校验第 18 位校验码。',
    '7. 先“预检”查看逐行错误，全部通过后再“提交”；提交要么全部导入，要么一条都不导入。',
  ];
  return xlsxBuffer([
    ...IMPORT_KINDS.map((k) => ({
      name: IMPORT_SHEETS[k],
      widths: IMPORT_COLUMNS[k].map((c) => Math.max(14, c.example.length * 2 + 4)),
      boldHeader: true,
      rows: [IMPORT_COLUMNS[k].map((c) => c.header), IMPORT_COLUMNS[k].map((c) => c.example)],
    })),
    { name: '说明', widths: [90], rows: notes.map((t) => [t]) },
  ]);
}
