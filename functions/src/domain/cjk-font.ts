import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import type { jsPDF } from 'jspdf';
// esbuild's `file` loader copies the font beside the bundle and gives its path (serverless.yml custom.esbuild.loader).
// Noto Sans SC cut to GB 2312 (levels 1 and 2) and brotli-compressed by scripts/subset-letter-font.ts: 1.2 MB
// instead of the 10 MB original.
import fontPath from '../assets/NotoSansSC-GB2312.ttf.br';

let fontBase64: Promise<string> | undefined;

/**
 * Give a jsPDF document the CJK font (Noto Sans SC, SIL OFL) and select it: jsPDF embeds only the glyphs the document
 * uses. The font is read and decompressed once per process. A character outside GB 2312 prints blank.
 */
export async function useCjkFont(doc: jsPDF): Promise<jsPDF> {
  // The loader's path is relative to the bundle, not to the working directory (/var/task on Lambda).
  fontBase64 ??= readFile(isAbsolute(fontPath) ? fontPath : join(__dirname, fontPath)).then((b) =>
    brotliDecompressSync(b).toString('base64'),
  );
  doc.addFileToVFS('NotoSansSC-Regular.ttf', await fontBase64);
  doc.addFont('NotoSansSC-Regular.ttf', 'NotoSansSC', 'normal');
  return doc.setFont('NotoSansSC');
}
