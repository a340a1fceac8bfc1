import type { S3Client } from '@aws-sdk/client-s3';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { config } from '../config';

/**
 * Object storage for generated and uploaded files (posters, import files, exports): S3 in production, s3rver
 * locally (`npm start` and the integration tests start it at `S3_PORT`, default 4569), reached through the same
 * SDK calls. `AWS_ENDPOINT_URL_S3` points the SDK at the local server (the SDK reads it itself); path-style
 * addressing is needed there because s3rver has no per-bucket host names.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 */
let client: S3Client | undefined;
/**
 * The S3 SDK (client, presigner, presigned POST) is loaded at the first file operation, not with the bundle: most
 * requests of the functions that carry it never touch a file, and loading it costs a cold start about as much as the
 * DynamoDB client itself (issue 9, bench section 2).
 */
const sdk = () => import('@aws-sdk/client-s3');
async function s3(): Promise<S3Client> {
  const { S3Client } = await sdk();
  client ??= new S3Client({
    forcePathStyle: !!process.env.AWS_ENDPOINT_URL_S3,
    // A streamed body (putFile) would otherwise be sent aws-chunked with a trailing CRC32, which s3rver stores
    // verbatim (framing and all). Checksums are sent only where an operation requires them; TLS and Content-Length
    // still guard the upload.
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  return client;
}

function bucket(): string {
  const b = config().FILES_BUCKET;
  if (!b)
    throw new Error(
      'Invalid configuration: FILES_BUCKET is not set (serverless.yml sets it; locally dev/local-env.ts)',
    );
  return b;
}

/** HEAD has no body, so a missing object is known only by its 404 status. */
const isMissing = (e: unknown) =>
  ['NotFound', 'NoSuchKey'].includes((e as Error).name) ||
  (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;

export interface StoredObject {
  key: string;
  size: number;
  contentType?: string;
}

/** Store a file (private: the bucket blocks public access; it is read only through presigned links). */
export async function putObject(
  key: string,
  body: Buffer | Uint8Array | string,
  contentType: string,
): Promise<StoredObject> {
  const { PutObjectCommand } = await sdk();
  await (await s3()).send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: body, ContentType: contentType }));
  return { key, size: typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength, contentType };
}

/** Store a file from local disk as a stream (large exports: the file is never held in memory). */
export async function putFile(key: string, path: string, contentType: string): Promise<StoredObject> {
  const { size } = await stat(path);
  const { PutObjectCommand } = await sdk();
  await (
    await s3()
  ).send(
    new PutObjectCommand({
      Bucket: bucket(),
      Key: key,
      Body: createReadStream(path),
      ContentLength: size,
      ContentType: contentType,
    }),
  );
  return { key, size, contentType };
}

/** Read a whole object (files the API itself stored: an uploaded import, a generated page). */
export async function getObjectBytes(key: string): Promise<Buffer | undefined> {
  const { GetObjectCommand, NotFound } = await sdk();
  try {
    const r = await (await s3()).send(new GetObjectCommand({ Bucket: bucket(), Key: key }));
    return Buffer.from(await r.Body!.transformToByteArray());
  } catch (e) {
    if (e instanceof NotFound || isMissing(e)) return undefined;
    throw e;
  }
}

/** Size and type of an object, or undefined when there is none (check an upload before accepting it). */
export async function headObject(key: string): Promise<StoredObject | undefined> {
  const { HeadObjectCommand, NotFound } = await sdk();
  try {
    const r = await (await s3()).send(new HeadObjectCommand({ Bucket: bucket(), Key: key }));
    return { key, size: r.ContentLength ?? 0, contentType: r.ContentType };
  } catch (e) {
    if (e instanceof NotFound || isMissing(e)) return undefined;
    throw e;
  }
}

/**
 * A download link that expires (default 15 minutes). `filename` sets the name the browser saves it under.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/ShareObjectPreSignedURL.html
 */
export async function downloadUrl(
  key: string,
  opts: { expiresInSeconds?: number; filename?: string } = {},
): Promise<{ url: string; expiresAt: string }> {
  const expiresIn = opts.expiresInSeconds ?? 900;
  const [{ GetObjectCommand }, { getSignedUrl }] = await Promise.all([sdk(), import('@aws-sdk/s3-request-presigner')]);
  const url = await getSignedUrl(
    await s3(),
    new GetObjectCommand({
      Bucket: bucket(),
      Key: key,
      ...(opts.filename
        ? { ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(opts.filename)}` }
        : {}),
    }),
    { expiresIn },
  );
  return { url, expiresAt: new Date(Date.now() + expiresIn * 1000).toISOString() };
}

/**
 * A browser/mini-program upload straight to storage: a presigned POST whose policy pins the key, the content type and
 * the size range, so S3 itself refuses another file, type or size (the API never carries the bytes).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
 */
export async function presignedUpload(
  key: string,
  opts: { contentType: string; maxBytes: number; expiresInSeconds: number },
): Promise<{ url: string; fields: Record<string, string>; expiresAt: string }> {
  const { createPresignedPost } = await import('@aws-sdk/s3-presigned-post');
  const { url, fields } = await createPresignedPost(await s3(), {
    Bucket: bucket(),
    Key: key,
    Conditions: [
      ['content-length-range', 1, opts.maxBytes],
      ['eq', '$Content-Type', opts.contentType],
    ],
    Fields: { 'Content-Type': opts.contentType },
    Expires: opts.expiresInSeconds,
  });
  return { url, fields, expiresAt: new Date(Date.now() + opts.expiresInSeconds * 1000).toISOString() };
}
