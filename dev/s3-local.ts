import { mkdirSync } from 'node:fs';
import type { Server } from 'node:net';

/**
 * The local S3-compatible store (s3rver, a Node S3 server) on 127.0.0.1. The functions reach it through
 * `@aws-sdk/client-s3` exactly as they reach S3 in production (AWS_ENDPOINT_URL_S3, path-style). s3rver does not
 * verify signatures nor enforce POST policies (shared/TOOLCHAIN.md): tests check the links and the API re-checks
 * uploads itself.
 */
export async function startS3Local(opts: {
  port: number;
  directory: string;
  buckets: string[];
  /**
   * Browser origins that may POST uploads straight to the bucket and read the answer (the H5 app, the console),
   * like the bucket's CorsConfiguration in serverless.yml.
   */
  corsOrigins?: string[];
}): Promise<{ endpoint: string; close: () => Promise<void> }> {
  mkdirSync(opts.directory, { recursive: true });
  // s3rver is CommonJS without types.
  const S3rver = require('s3rver');
  const server = new S3rver({
    port: opts.port,
    address: '127.0.0.1',
    silent: true,
    directory: opts.directory,
    configureBuckets: opts.buckets.map((name) => ({
      name,
      configs: opts.corsOrigins?.length ? [corsXml(opts.corsOrigins)] : [],
    })),
  });
  const addr = (await server.run()) as { port: number } | ReturnType<Server['address']>;
  const port = typeof addr === 'object' && addr && 'port' in addr ? addr.port : opts.port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => server.close(),
  };
}

/** The same rule as the bucket's CorsConfiguration in serverless.yml: presigned POST uploads and GET links. */
function corsXml(origins: string[]): string {
  return [
    '<CORSConfiguration>',
    '<CORSRule>',
    ...origins.map((o) => `<AllowedOrigin>${o}</AllowedOrigin>`),
    '<AllowedMethod>POST</AllowedMethod>',
    '<AllowedMethod>GET</AllowedMethod>',
    '<AllowedHeader>*</AllowedHeader>',
    '<ExposeHeader>ETag</ExposeHeader>',
    '<MaxAgeSeconds>3000</MaxAgeSeconds>',
    '</CORSRule>',
    '</CORSConfiguration>',
  ].join('');
}
