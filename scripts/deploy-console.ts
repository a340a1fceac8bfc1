import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

/**
 * Deploy the web console (README "Deploying the console"): build console/dist, then put every file and a generated
 * config.js into the console bucket of the stack (output ConsoleBucketName), which CloudFront serves. index.html and
 * config.js are sent with no-cache (CloudFront's behaviours for them keep nothing either), the hashed assets for a
 * year.
 *
 *   npm run deploy:console -- --bucket <ConsoleBucketName> --api https://api.example.org [--wechat-web-appid wx…]
 */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** The console's runtime settings, read by console/src/config.ts (the same file `npm start` serves). */
export function consoleConfigJs(cfg: { apiBase: string; wechatWebAppId?: string }): string {
  const c = { apiBase: cfg.apiBase, ...(cfg.wechatWebAppId ? { wechatWebAppId: cfg.wechatWebAppId } : {}) };
  return `window.__MASHANG_CONFIG__ = ${JSON.stringify(c)};\n`;
}

/** Upload a built console and its config.js; answers the keys written. */
export async function uploadConsole(opts: {
  client: S3Client;
  bucket: string;
  dir: string;
  config: { apiBase: string; wechatWebAppId?: string };
}): Promise<string[]> {
  const noCache = 'no-cache, max-age=0';
  const uploads = filesUnder(opts.dir)
    .filter((f) => relative(opts.dir, f) !== 'config.js')
    .map((f) => {
      const key = relative(opts.dir, f).split('\\').join('/');
      return {
        key,
        body: readFileSync(f),
        type: TYPES[extname(f)] ?? 'application/octet-stream',
        cache: key === 'index.html' ? noCache : 'public, max-age=31536000, immutable',
      };
    });
  uploads.push({
    key: 'config.js',
    body: Buffer.from(consoleConfigJs(opts.config)),
    type: TYPES['.js'],
    cache: noCache,
  });
  // index.html last: a visitor never gets a page whose assets are not there yet.
  uploads.sort((a, b) => Number(a.key === 'index.html') - Number(b.key === 'index.html'));
  for (const u of uploads)
    await opts.client.send(
      new PutObjectCommand({
        Bucket: opts.bucket,
        Key: u.key,
        Body: u.body,
        ContentType: u.type,
        CacheControl: u.cache,
      }),
    );
  return uploads.map((u) => u.key);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      bucket: { type: 'string' },
      api: { type: 'string' },
      'wechat-web-appid': { type: 'string' },
      'skip-build': { type: 'boolean', default: false },
    },
  });
  if (!values.bucket || !values.api || !/^https?:\/\//.test(values.api)) {
    console.error(
      'usage: npm run deploy:console -- --bucket <ConsoleBucketName> --api https://<API domain> [--wechat-web-appid wx…]',
    );
    process.exit(2);
  }
  const root = join(__dirname, '..');
  if (!values['skip-build']) execFileSync('npm', ['run', 'build:console'], { cwd: root, stdio: 'inherit' });
  const keys = await uploadConsole({
    client: new S3Client({}),
    bucket: values.bucket,
    dir: join(root, 'console/dist'),
    config: { apiBase: values.api.replace(/\/$/, ''), wechatWebAppId: values['wechat-web-appid'] },
  });
  console.log(`uploaded ${keys.length} files to s3://${values.bucket}`);
}

if (require.main === module)
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
