import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { letterIssuerName, PREFECTURE_ID, REASON_GROUPS } from '@mashang/shared';
import { buildDepartments, buildWindows, PREFECTURE, REGIONS } from '../../dev/demo-data';
import { draftReminderText, issuerPrefix, letterNumber } from '../../functions/src/domain/letters';

const FONT = join(__dirname, '../../functions/src/assets/NotoSansSC-GB2312.ttf.br');

/** The code points a TrueType font maps to glyphs (its cmap: format 4 and 12 subtables). */
function cmapCodePoints(ttf: Buffer): Set<number> {
  const tables = ttf.readUInt16BE(4);
  let cmap = -1;
  for (let i = 0; i < tables; i++) {
    const rec = 12 + i * 16;
    if (ttf.toString('latin1', rec, rec + 4) === 'cmap') cmap = ttf.readUInt32BE(rec + 8);
  }
  if (cmap < 0) throw new Error('no cmap table');
  const out = new Set<number>();
  const subtables = ttf.readUInt16BE(cmap + 2);
  for (let i = 0; i < subtables; i++) {
    const at = cmap + ttf.readUInt32BE(cmap + 4 + i * 8 + 4);
    const format = ttf.readUInt16BE(at);
    if (format === 12) {
      const groups = ttf.readUInt32BE(at + 12);
      for (let g = 0; g < groups; g++) {
        const p = at + 16 + g * 12;
        const [start, end, glyph] = [ttf.readUInt32BE(p), ttf.readUInt32BE(p + 4), ttf.readUInt32BE(p + 8)];
        for (let c = start; c <= end; c++) if (glyph + c - start > 0) out.add(c);
      }
    } else if (format === 4) {
      const segs = ttf.readUInt16BE(at + 6) / 2;
      const ends = at + 14;
      const starts = ends + segs * 2 + 2;
      const deltas = starts + segs * 2;
      const offsets = deltas + segs * 2;
      for (let s = 0; s < segs; s++) {
        const [end, start] = [ttf.readUInt16BE(ends + s * 2), ttf.readUInt16BE(starts + s * 2)];
        const [delta, rangeOffset] = [ttf.readInt16BE(deltas + s * 2), ttf.readUInt16BE(offsets + s * 2)];
        for (let c = start; c <= end && c !== 0xffff; c++) {
          const glyph =
            rangeOffset === 0
              ? (c + delta) & 0xffff
              : ttf.readUInt16BE(offsets + s * 2 + rangeOffset + (c - start) * 2);
          if (glyph !== 0) out.add(c);
        }
      }
    }
  }
  return out;
}

describe('the reminder letter font subset', () => {
  const covered = cmapCodePoints(brotliDecompressSync(readFileSync(FONT)));

  test('when unpacked, then it is a TrueType font of GB 2312 size, far smaller than the original', () => {
    expect(covered.size).toBeGreaterThan(7000);
    expect(covered.size).toBeLessThan(9000);
    expect(readFileSync(FONT).length).toBeLessThan(1.5 * 1024 * 1024);
  });

  test('when a letter names any demo department, window or county with any reason, then every character has a glyph', () => {
    const departments = buildDepartments();
    const windows = buildWindows();
    const texts = [
      '工作提示函',
      '中共海北州纪委监委',
      '受文单位：',
      '2026年12月1日',
      // The letter fit to send: the case box, the seal area, each commission's own name.
      '督办件编号：来源：受理时间：涉及单位：反映问题：（盖章处）督办件：群众评价投诉举报干部访企评价',
      ...['', '/zhou', '/menyuan', '/qilian', '/haiyan', '/gangcha'].map((s) =>
        letterIssuerName(`${PREFECTURE_ID}${s}`),
      ),
      PREFECTURE.name,
      ...REGIONS.map((r) => r.name),
      ...departments.map((d) => d.name),
      ...windows.map((w) => w.name),
      ...REASON_GROUPS.flatMap((g) => [g.dimension, ...g.reasons]),
      ...['', '/zhou', '/menyuan', '/qilian', '/haiyan', '/gangcha'].map((s) =>
        letterNumber(issuerPrefix(`${PREFECTURE_ID}${s}`), 2026, 12),
      ),
      ...(['callback', 'rectify'] as const).map((lapsed) =>
        draftReminderText(
          {
            id: '20261201-K7Q3XM',
            createdAt: '2026-12-01T02:00:00Z',
            summary: '态度生硬、多次跑腿：窗口让我改天再来',
            department: { id: 'd', name: departments[0].name },
            window: { id: 'w', name: windows[0].name },
          } as Parameters<typeof draftReminderText>[0],
          lapsed,
          new Date('2026-12-03T02:00:00Z'),
        ),
      ),
    ];
    const missing = [...new Set(texts.join(''))].filter((ch) => !/\s/.test(ch) && !covered.has(ch.codePointAt(0)!));
    expect(texts.length).toBeGreaterThan(100);
    expect(missing).toEqual([]);
  });
});
