import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { uploadConsole } from '../../scripts/deploy-console';
import { uniq } from '../support/api';

/** `npm run deploy:console` against the local S3 server: what CloudFront will serve from the console bucket. */
describe('deploying the console to its bucket', () => {
  const client = new S3Client({ forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' });

  test('when a build is deployed, then every file is there with its type, config.js names the API and WeChat app, and index.html and config.js are not cached', async () => {
    const bucket = uniq('console')
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-');
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    const dir = mkdtempSync(join(tmpdir(), 'console-dist-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><script src="/config.js"></script>');
    writeFileSync(join(dir, 'assets/index-abc123.js'), 'console.log(1)');
    writeFileSync(join(dir, 'config.js'), 'window.__MASHANG_CONFIG__ = {"apiBase":"http://127.0.0.1:3000"};');

    const keys = await uploadConsole({
      client,
      bucket,
      dir,
      config: { apiBase: 'https://api.example.org', wechatWebAppId: 'wxweb0000000000001' },
    });

    expect(keys.sort()).toEqual(['assets/index-abc123.js', 'config.js', 'index.html']);
    const get = async (Key: string) => {
      const o = await client.send(new GetObjectCommand({ Bucket: bucket, Key }));
      return { type: o.ContentType, cache: o.CacheControl, text: await o.Body!.transformToString() };
    };
    const config = await get('config.js');
    expect(config.text).toBe(
      'window.__MASHANG_CONFIG__ = {"apiBase":"https://api.example.org","wechatWebAppId":"wxweb0000000000001"};\n',
    );
    expect(config.cache).toContain('no-cache');
    expect(await get('index.html')).toMatchObject({ type: 'text/html; charset=utf-8', cache: 'no-cache, max-age=0' });
    expect(await get('assets/index-abc123.js')).toMatchObject({
      type: 'application/javascript; charset=utf-8',
      cache: 'public, max-age=31536000, immutable',
    });
  });
});
