/**
 * The little of OOXML spreadsheets the product needs, on fflate (the zip part, ~10 KB) instead of exceljs (~1.1 MB
 * with its dependencies in a bundle): writing sheets of text and number cells, streamed row by row into a zip so an
 * export of any size keeps memory flat; reading the cell text of an uploaded workbook's sheets by name; and reading a
 * CSV. Styles: one bold font for header rows and column widths, nothing else.
 */
import { unzipSync, Zip, ZipDeflate, strFromU8, strToU8 } from 'fflate';

export type XlsxCell = string | number;

export interface XlsxSheet {
  name: string;
  /** Column widths in characters, by column from A. */
  widths?: number[];
  /** Row 1 in bold. */
  boldHeader?: boolean;
  rows: Iterable<XlsxCell[]> | AsyncIterable<XlsxCell[]>;
}

/** Where the zip's bytes go: `write` may buffer; `ready` resolves when the sink wants more (backpressure). */
export interface ByteSink {
  write(chunk: Uint8Array): void;
  ready(): Promise<void>;
  end(): Promise<void>;
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

// The characters XML 1.0 cannot carry (C0 controls other than tab and line breaks, U+FFFE, U+FFFF), built from
// code points because a control character in a regex literal is a lint error (no-control-regex).
const INVALID_XML = new RegExp(
  `[${[
    [0, 8],
    [11, 12],
    [14, 31],
    [0xfffe, 0xffff],
  ]
    .map(([a, b]) => `\\u{${a.toString(16)}}-\\u{${b.toString(16)}}`)
    .join('')}]`,
  'gu',
);

/** XML text: escaped, and without the control characters XML 1.0 cannot carry. */
function esc(s: string): string {
  return s
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** Column letters of a 0-based column index: 0 → A, 26 → AA. */
function colName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function cellXml(v: XlsxCell, ref: string, style: string): string {
  if (typeof v === 'number' && Number.isFinite(v)) return `<c r="${ref}"${style}><v>${v}</v></c>`;
  const s = String(v);
  if (s === '') return '';
  const space = /^\s|\s$/.test(s) ? ' xml:space="preserve"' : '';
  return `<c r="${ref}"${style} t="inlineStr"><is><t${space}>${esc(s)}</t></is></c>`;
}

function rowXml(cells: XlsxCell[], n: number, bold: boolean): string {
  const style = bold ? ' s="1"' : '';
  return `<row r="${n}">${cells.map((v, i) => cellXml(v, `${colName(i)}${n}`, style)).join('')}</row>`;
}

const STYLES =
  `${HEAD}<styleSheet xmlns="${MAIN}">` +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>' +
  '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>';

/**
 * Write a workbook into `sink`, one sheet after the other, each streamed row by row: a page of rows is compressed and
 * handed on before the next is asked for, and the sink's backpressure is awaited every 500 rows.
 */
export async function writeXlsx(sink: ByteSink, sheets: XlsxSheet[]): Promise<void> {
  let failure: Error | undefined;
  const zip = new Zip((err, chunk) => {
    if (err) failure = err;
    else sink.write(chunk);
  });
  const file = (name: string, text: string) => {
    const f = new ZipDeflate(name, { level: 6 });
    zip.add(f);
    f.push(strToU8(text), true);
  };
  const overrides = sheets
    .map(
      (_, i) =>
        `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
    )
    .join('');
  file(
    '[Content_Types].xml',
    `${HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
      '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
      `${overrides}</Types>`,
  );
  file(
    '_rels/.rels',
    `${HEAD}<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  );
  file(
    'xl/workbook.xml',
    `${HEAD}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets>${sheets
      .map((s, i) => `<sheet name="${esc(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
      .join('')}</sheets></workbook>`,
  );
  file(
    'xl/_rels/workbook.xml.rels',
    `${HEAD}<Relationships xmlns="${PKG_REL}">${sheets
      .map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`)
      .join('')}<Relationship Id="rId${sheets.length + 1}" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
  );
  file('xl/styles.xml', STYLES);
  await sink.ready();

  for (const [i, sheet] of sheets.entries()) {
    const f = new ZipDeflate(`xl/worksheets/sheet${i + 1}.xml`, { level: 6 });
    zip.add(f);
    const cols = sheet.widths?.length
      ? `<cols>${sheet.widths.map((w, c) => `<col min="${c + 1}" max="${c + 1}" width="${w}" customWidth="1"/>`).join('')}</cols>`
      : '';
    f.push(strToU8(`${HEAD}<worksheet xmlns="${MAIN}" xmlns:r="${REL}">${cols}<sheetData>`));
    let n = 0;
    let pending: string[] = [];
    for await (const cells of sheet.rows) {
      n++;
      pending.push(rowXml(cells, n, n === 1 && !!sheet.boldHeader));
      if (pending.length >= 500) {
        f.push(strToU8(pending.join('')));
        pending = [];
        if (failure) throw failure;
        await sink.ready();
      }
    }
    f.push(strToU8(`${pending.join('')}</sheetData></worksheet>`), true);
    if (failure) throw failure;
    await sink.ready();
  }
  zip.end();
  if (failure) throw failure;
  await sink.end();
}

/** A workbook in memory (small ones: the import template). */
export async function xlsxBuffer(sheets: XlsxSheet[]): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  await writeXlsx({ write: (c) => chunks.push(c), ready: async () => undefined, end: async () => undefined }, sheets);
  return Buffer.concat(chunks);
}

// ---- reading ----

function decode(s: string): string {
  return s.replace(/&(?:#(\d+)|#x([0-9a-f]+)|(amp|lt|gt|quot|apos));/gi, (_, dec, hex, name) => {
    if (dec) return String.fromCodePoint(Number(dec));
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[String(name).toLowerCase() as 'amp'];
  });
}

function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
    const value = decode(m[3] ?? m[4] ?? '');
    out[m[1]] = value;
    // Prefixed names also under their local name (r:id → id), unless the element has that name unprefixed.
    const local = m[1].replace(/^[\w.-]+:/, '');
    if (!(local in out)) out[local] = value;
  }
  return out;
}

/** The text of every <t> inside a fragment (a shared string or an inline string), phonetic runs left out. */
function texts(xml: string): string {
  const body = xml.replace(/<(?:\w+:)?rPh\b[\s\S]*?<\/(?:\w+:)?rPh>/g, '');
  let s = '';
  for (const m of body.matchAll(/<(?:\w+:)?t(?:\s[^>]*)?>([\s\S]*?)<\/(?:\w+:)?t>/g)) s += decode(m[1]);
  return s;
}

/** "AB12" → 27 (0-based column index). */
function colIndex(ref: string): number {
  let n = 0;
  for (const ch of /^[A-Z]+/i.exec(ref)?.[0].toUpperCase() ?? '') n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** A sheet's rows that hold anything, by row number; each row's cell texts by 0-based column. */
export type SheetRows = Map<number, string[]>;

function readSheetXml(xml: string, shared: string[]): SheetRows {
  const rows: SheetRows = new Map();
  let rowNo = 0;
  for (const rm of xml.matchAll(/<(?:\w+:)?row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?row>)/g)) {
    const ra = attrs(rm[1]);
    rowNo = ra.r ? Number(ra.r) : rowNo + 1;
    const cells: string[] = [];
    let col = -1;
    for (const cm of (rm[2] ?? '').matchAll(/<(?:\w+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?c>)/g)) {
      const ca = attrs(cm[1]);
      col = ca.r ? colIndex(ca.r) : col + 1;
      const inner = cm[2] ?? '';
      const v = /<(?:\w+:)?v(?:\s[^>]*)?>([\s\S]*?)<\/(?:\w+:)?v>/.exec(inner)?.[1];
      let text: string;
      switch (ca.t) {
        case 's':
          text = shared[Number(v)] ?? '';
          break;
        case 'inlineStr':
          text = texts(inner);
          break;
        case 'b':
          text = v === undefined ? '' : v.trim() === '1' ? 'true' : 'false';
          break;
        case 'str':
        case 'e':
          text = v === undefined ? '' : decode(v);
          break;
        default:
          text = v === undefined || v.trim() === '' ? '' : String(parseFloat(v));
      }
      if (text !== '') cells[col] = text;
    }
    if (cells.length)
      rows.set(
        rowNo,
        Array.from(cells, (c) => c ?? ''),
      );
  }
  return rows;
}

/** The sheets of an xlsx, by name, in workbook order. Throws on anything that is not a readable xlsx. */
export function readXlsx(data: Uint8Array): Map<string, SheetRows> {
  const files = unzipSync(data, { filter: (f) => /\.(xml|rels)$/i.test(f.name) });
  const text = (name: string) => {
    const key = Object.keys(files).find((k) => k.replace(/^\//, '').toLowerCase() === name.toLowerCase());
    return key ? strFromU8(files[key]) : undefined;
  };
  // The workbook part is where the package's relationship says (xl/workbook.xml from every producer we know).
  const rootRels = text('_rels/.rels') ?? '';
  const wbTarget =
    [...rootRels.matchAll(/<(?:\w+:)?Relationship\b([^>]*)>/g)]
      .map((m) => attrs(m[1]))
      .find((a) => /\/officeDocument$/.test(a.Type ?? ''))
      ?.Target?.replace(/^\//, '') ?? 'xl/workbook.xml';
  const workbook = text(wbTarget);
  if (!workbook) throw new Error('no workbook part');
  const base = wbTarget.includes('/') ? wbTarget.slice(0, wbTarget.lastIndexOf('/') + 1) : '';
  const rels = new Map<string, string>();
  for (const m of (text(`${base}_rels/${wbTarget.slice(base.length)}.rels`) ?? '').matchAll(
    /<(?:\w+:)?Relationship\b([^>]*)>/g,
  )) {
    const a = attrs(m[1]);
    if (a.Id && a.Target) rels.set(a.Id, a.Target.startsWith('/') ? a.Target.slice(1) : base + a.Target);
  }
  const sharedPath = [...rels.values()].find((t) => /sharedStrings\.xml$/i.test(t)) ?? `${base}sharedStrings.xml`;
  const shared = [
    ...(text(sharedPath) ?? '').matchAll(/<(?:\w+:)?si\b[^>]*>([\s\S]*?)<\/(?:\w+:)?si>|<(?:\w+:)?si\b[^>]*\/>/g),
  ].map((m) => texts(m[1] ?? ''));
  const out = new Map<string, SheetRows>();
  for (const m of workbook.matchAll(/<(?:\w+:)?sheet\b([^>]*?)\/?>/g)) {
    const a = attrs(m[1]);
    const rid = a['r:id'] ?? a.id;
    const target = rid ? rels.get(rid) : undefined;
    const xml = target ? text(target) : undefined;
    if (a.name && xml !== undefined) out.set(a.name, readSheetXml(xml, shared));
  }
  return out;
}

/**
 * The rows of a CSV (RFC 4180: comma, double quotes, CRLF or LF), numbered from 1, empty lines kept as empty rows.
 * Throws on a quote left open.
 */
export function readCsv(text: string): SheetRows {
  const rows: SheetRows = new Map();
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let n = 1;
  const endRow = () => {
    row.push(cell);
    if (row.some((c) => c !== '')) rows.set(n, row);
    n++;
    row = [];
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
    } else cell += ch;
  }
  if (quoted) throw new Error('unterminated quote');
  if (cell !== '' || row.length) endRow();
  return rows;
}
