import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * Serves a build (the H5 app, the console) on 127.0.0.1; unknown paths get index.html (the router is client-side).
 * `generated` answers some paths with content made at start (the console's /config.js with the API address).
 */
export function serveStatic(
  dir: string,
  port: number,
  generated: Record<string, { type: string; body: string }> = {},
): Promise<Server> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(
      /^(\.\.[/\\])+/,
      '',
    );
    const made = generated[path];
    if (made) {
      res.writeHead(200, { 'content-type': made.type, 'cache-control': 'no-cache' });
      res.end(made.body);
      return;
    }
    let file = join(dir, path);
    try {
      if (!file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory()) file = join(dir, 'index.html');
    } catch {
      file = join(dir, 'index.html');
    }
    const stream = createReadStream(file);
    // A rebuild may empty the folder under a running server: answer 503, never crash the whole local system.
    stream.on('error', () => {
      if (!res.headersSent) res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('H5 应用正在重新构建，请稍后刷新');
    });
    stream.on('open', () => {
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-cache',
      });
      stream.pipe(res);
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}
