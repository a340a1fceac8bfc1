import { stripJpegMetadata } from '../../functions/src/domain/photos';

const seg = (marker: number, payload: Buffer) => {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(payload.length + 2);
  return Buffer.concat([Buffer.from([0xff, marker]), len, payload]);
};

describe('photo metadata (EXIF location stripped)', () => {
  test('when a JPEG carries EXIF with a GPS position, XMP and a comment, then they are dropped and the image data is kept byte for byte', () => {
    const jfif = seg(0xe0, Buffer.from('JFIF\0\x01\x01'));
    const exif = seg(0xe1, Buffer.from('Exif\0\0GPSLatitude 37.37 N GPSLongitude 101.62 E'));
    const xmp = seg(0xe1, Buffer.from('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>exif:GPSLatitude</x:xmpmeta>'));
    const comment = seg(0xfe, Buffer.from('taken at 门源县'));
    const dqt = seg(0xdb, Buffer.alloc(65, 1));
    const scan = Buffer.concat([seg(0xda, Buffer.alloc(10, 2)), Buffer.from([1, 2, 3, 0xff, 0x00, 4, 0xff, 0xd9])]);
    const photo = Buffer.concat([Buffer.from([0xff, 0xd8]), jfif, exif, xmp, comment, dqt, scan]);

    const out = stripJpegMetadata(photo);

    expect(out.toString('latin1')).not.toMatch(/Exif|GPS|xmpmeta/);
    expect(out.includes(Buffer.from('taken at'))).toBe(false);
    expect(out).toEqual(Buffer.concat([Buffer.from([0xff, 0xd8]), jfif, dqt, scan]));
  });

  test('when the file is not a JPEG (a PNG), then it is returned unchanged', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    expect(stripJpegMetadata(png)).toBe(png);
  });
});
