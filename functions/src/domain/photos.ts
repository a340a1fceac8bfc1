import { randomUUID } from 'node:crypto';
import { PHOTO_RULES, PhotoUploadRequest, shanghaiDate, type PhotoUploadTicket } from '@mashang/shared';
import { presignedUpload } from '../gateways/storage';
import { requestFingerprint } from '../lib/crypto';
import type { Session } from '../lib/session';
import { parseWith } from '../lib/validate';
import { enforce } from './limits';

/** Uploads per person per hour: three photos on each of a few submissions, with retries. */
const UPLOADS_PER_HOUR = 30;

/** The caller's own upload folder: a keyed hash of the user id (the key reveals nobody). */
export const uploadFolderOf = (userId: string) => `uploads/u${requestFingerprint(`uploader|${userId}`).slice(0, 20)}/`;

/**
 * POST /v1/uploads: a presigned POST for one photo in the caller's upload folder. Nothing is stored here: the photo
 * is taken (checked, its metadata stripped, copied next to what it proves) when a submission names its key.
 */
export async function issuePhotoUpload(session: Session, input: unknown, now: Date): Promise<PhotoUploadTicket> {
  const body = parseWith(PhotoUploadRequest, input);
  await enforce(`upload#${session.userId}`, UPLOADS_PER_HOUR, 3600, now);
  const ext = body.contentType === 'image/png' ? 'png' : 'jpg';
  const key = `${uploadFolderOf(session.userId)}${shanghaiDate(now).replace(/-/g, '')}-${randomUUID()}.${ext}`;
  const post = await presignedUpload(key, {
    contentType: body.contentType,
    maxBytes: PHOTO_RULES.maxBytes,
    expiresInSeconds: PHOTO_RULES.ticketSeconds,
  });
  return { ...post, key, maxBytes: PHOTO_RULES.maxBytes };
}

/**
 * A JPEG without its metadata: every APP1 segment (EXIF with its GPS position, XMP) and comment is dropped, the image
 * data is kept byte for byte. Not a JPEG (PNG): returned as it is (PNG carries no GPS unless an eXIf chunk is added,
 * which phone cameras do not write).
 * https://www.w3.org/Graphics/JPEG/itu-t81.pdf (B.1.1.4 markers), EXIF 2.32 §4.5.4 (APP1)
 */
export function stripJpegMetadata(bytes: Buffer): Buffer {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return bytes;
  const kept: Buffer[] = [bytes.subarray(0, 2)];
  let i = 2;
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) break; // not a marker: malformed; keep the rest as it is
    const marker = bytes[i + 1];
    if (marker === 0xda) break; // start of scan: the image data follows, kept whole
    const length = bytes.readUInt16BE(i + 2);
    const end = i + 2 + length;
    const drop = marker === 0xe1 || marker === 0xfe; // APP1 (EXIF, XMP), COM
    if (!drop) kept.push(bytes.subarray(i, end));
    i = end;
  }
  kept.push(bytes.subarray(i));
  return Buffer.concat(kept);
}
