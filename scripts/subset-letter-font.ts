/**
 * Builds the font the reminder-letter PDF embeds: Noto Sans SC (SIL OFL 1.1) cut down to the characters of
 * GB 2312 (its 682 symbols and the 6 763 hanzi of levels 1 and 2), printable ASCII and the CJK punctuation and
 * full-width forms a letter uses. The result is committed (functions/src/assets/), so neither the build nor the
 * function carries the 10 MB original. Run after changing the character set:
 *
 *   npx tsx scripts/subset-letter-font.ts
 *
 * Characters outside the set (rare names in a comment) print as blanks in the PDF; the letter's own text (department,
 * window and county names of the registry) is checked against the set by tests/integration/letter-font.test.ts.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
// subset-font: harfbuzz's hb-subset compiled to wasm (devDependency; only this script uses it).
import subsetFont from 'subset-font';

const ROOT = join(__dirname, '..');
const SOURCE = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
/** Brotli-compressed (Node's zlib reads it back at the first letter): 2.2 MB of TrueType ship as 1.2 MB. */
export const LETTER_FONT = join(ROOT, 'functions', 'src', 'assets', 'NotoSansSC-GB2312.ttf.br');

/** Every character of GB 2312 (rows 0xA1–0xA9 symbols, 0xB0–0xF7 hanzi), decoded with the WHATWG GBK decoder. */
export function gb2312Characters(): string {
  const decoder = new TextDecoder('gbk', { fatal: false });
  let out = '';
  const rows = [...range(0xa1, 0xa9), ...range(0xb0, 0xf7)];
  for (const hi of rows) {
    for (let lo = 0xa1; lo <= 0xfe; lo++) {
      const ch = decoder.decode(new Uint8Array([hi, lo]));
      if (ch !== '\ufffd') out += ch;
    }
  }
  return out;
}

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

export function letterCharacters(): string {
  let ascii = '';
  for (let c = 0x20; c < 0x7f; c++) ascii += String.fromCharCode(c);
  // CJK punctuation (〔〕《》「」…), full-width forms, and the year bracket style of letter numbers.
  let extra = '';
  for (let c = 0x3000; c <= 0x303f; c++) extra += String.fromCharCode(c);
  for (let c = 0xff01; c <= 0xff5e; c++) extra += String.fromCharCode(c);
  return [...new Set(ascii + gb2312Characters() + extra + '·—…‘’“”')].join('');
}

async function main() {
  const chars = letterCharacters();
  const source = readFileSync(SOURCE);
  // jsPDF draws glyphs by cmap without shaping or hinting: hinting, layout features and their closure glyphs go.
  // (noHinting is in subset-font 2.4+, newer than its @types package.)
  const options = { targetFormat: 'truetype', noHinting: true, noLayoutClosure: true, keepFeatures: [] } as Parameters<
    typeof subsetFont
  >[2];
  const subset = await subsetFont(source, chars, options);
  const packed = brotliCompressSync(subset, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: subset.length },
  });
  writeFileSync(LETTER_FONT, packed);
  console.log(
    `${[...chars].length} characters; ${SOURCE} ${(statSync(SOURCE).size / 1e6).toFixed(1)} MB → subset ${(subset.length / 1e6).toFixed(2)} MB → ${LETTER_FONT} ${(packed.length / 1e6).toFixed(2)} MB`,
  );
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
