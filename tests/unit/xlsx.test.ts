import ExcelJS from 'exceljs';
import { readCsv, readXlsx, xlsxBuffer } from '../../functions/src/domain/xlsx';

// exceljs (a test dependency only) is the independent reader and writer the module is checked against.
describe('xlsx: the small OOXML writer and reader the import and export jobs use', () => {
  test('when a workbook is written, then exceljs reads its sheets, text, numbers, widths and bold header back', async () => {
    const data = await xlsxBuffer([
      {
        name: '窗口',
        widths: [14, 20],
        boldHeader: true,
        rows: [
          ['窗口编号', '名称'],
          ['w-1', ' 前后空格 '],
          ['<&>"\'', 42],
          ['控制\u0001字符', 3.5],
        ],
      },
      { name: '说明', rows: [['填写说明']] },
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(data as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['窗口', '说明']);
    const ws = wb.getWorksheet('窗口')!;
    expect(ws.getRow(1).values).toEqual([undefined, '窗口编号', '名称']);
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(ws.getRow(2).getCell(1).font?.bold).toBeFalsy();
    expect(ws.getRow(2).values).toEqual([undefined, 'w-1', ' 前后空格 ']);
    expect(ws.getRow(3).values).toEqual([undefined, '<&>"\'', 42]);
    expect(ws.getRow(4).values).toEqual([undefined, '控制字符', 3.5]);
    expect(ws.getColumn(2).width).toBe(20);
    expect(wb.getWorksheet('说明')!.getRow(1).getCell(1).text).toBe('填写说明');
  });

  test('when exceljs writes a workbook with shared strings, gaps and numbers, then every cell text is read by sheet name', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('企业 & 部门');
    ws.addRow(['编号', '', '电话']);
    ws.getCell('A3').value = 'ent-1';
    ws.getCell('C3').value = 13912345678;
    ws.getCell('AB3').value = { richText: [{ text: '富' }, { text: '文本' }] };
    wb.addWorksheet('空表');
    const sheets = readXlsx(Buffer.from(await wb.xlsx.writeBuffer()));
    expect([...sheets.keys()]).toEqual(['企业 & 部门', '空表']);
    const rows = sheets.get('企业 & 部门')!;
    expect(rows.get(1)).toEqual(['编号', '', '电话']);
    expect(rows.has(2)).toBe(false);
    expect(rows.get(3)![0]).toBe('ent-1');
    expect(rows.get(3)![2]).toBe('13912345678');
    expect(rows.get(3)![27]).toBe('富文本');
    expect(sheets.get('空表')!.size).toBe(0);
  });

  test('when the bytes are no xlsx, then reading throws', () => {
    expect(() => readXlsx(Buffer.from('hello'))).toThrow();
  });

  test('when a CSV has quotes, commas, line breaks in cells and CRLF, then the cells come back as written', () => {
    const rows = readCsv('编号,名称\r\n"w-1","a ""b"", c"\r\n\r\nw-2,"两\n行"\nw-3,');
    expect([...rows]).toEqual([
      [1, ['编号', '名称']],
      [2, ['w-1', 'a "b", c']],
      [4, ['w-2', '两\n行']],
      [5, ['w-3', '']],
    ]);
    expect(() => readCsv('a,"b\n')).toThrow();
  });
});
