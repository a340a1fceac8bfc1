import * as z from 'zod/mini';

/**
 * Photos as evidence (issue 15 item 7): up to 3 on a rating, a complaint or a rectification report, JPEG or PNG,
 * compressed on the device and uploaded straight to object storage with a presigned POST whose policy enforces the
 * size and the type (the API never carries the bytes).
 */
export const PHOTO_RULES = {
  maxPerItem: 3,
  /** After on-device compression a phone photo is ~200–600 KB; the policy refuses anything above this. */
  maxBytes: 2 * 1024 * 1024,
  types: ['image/jpeg', 'image/png'] as const,
  /** How long the upload form stays valid. */
  ticketSeconds: 600,
} as const;

export const PhotoUploadRequest = z.strictObject({
  contentType: z.enum(PHOTO_RULES.types, { error: '照片须为 JPEG 或 PNG 格式' }),
});
export type PhotoUploadRequest = z.infer<typeof PhotoUploadRequest>;

/** A presigned POST: send `fields` plus the file (last) as multipart/form-data to `url`; `key` names it afterwards. */
export interface PhotoUploadTicket {
  url: string;
  fields: Record<string, string>;
  key: string;
  maxBytes: number;
  expiresAt: string;
}
