import { downloadUrl, getObjectBytes, headObject, putObject } from '../../functions/src/gateways/storage';
import { uniq } from '../support/api';

describe('object storage (s3rver locally, S3 in production, one SDK path)', () => {
  test('when a file is stored, then its size and type are known and an expiring link downloads the same bytes under the given name', async () => {
    const key = `tests/${uniq('f')}.pdf`;
    const body = Buffer.from('%PDF-1.4 码上监督 test file');

    const stored = await putObject(key, body, 'application/pdf');
    const head = await headObject(key);
    const link = await downloadUrl(key, { expiresInSeconds: 60, filename: '海报.pdf' });
    const res = await fetch(link.url);

    expect(stored).toEqual({ key, size: body.byteLength, contentType: 'application/pdf' });
    expect(head).toMatchObject({ key, size: body.byteLength, contentType: 'application/pdf' });
    expect(link.url).toContain('X-Amz-Expires=60');
    expect(link.url).toContain('X-Amz-Signature=');
    expect(Date.parse(link.expiresAt) - Date.now()).toBeLessThanOrEqual(60000);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(body);
    expect(decodeURIComponent(res.headers.get('content-disposition') ?? '')).toContain('海报.pdf');
    expect(await getObjectBytes(key)).toEqual(body);
  });

  test('when an object does not exist, then head and get answer undefined', async () => {
    const key = `tests/${uniq('missing')}`;
    expect(await headObject(key)).toBeUndefined();
    expect(await getObjectBytes(key)).toBeUndefined();
  });
});
