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

/** Upload keys a submission attaches (rating, complaint, rectification report): at most 3, each named once. */
export const PHOTO_KEY_PATTERN = /^uploads\/u[A-Za-z0-9_-]{20}\/\d{8}-[0-9a-f-]{36}\.(jpg|png)$/;
export const PHOTO_KEYS_MESSAGE = `最多上传 ${PHOTO_RULES.maxPerItem} 张照片`;
export const PHOTO_KEY_MESSAGE = '照片未上传成功，请重新选择';

/** A photo kept as evidence: its id and its key in storage (`photos/<id>.jpg`: neither names who took it). */
export interface PhotoRef {
  id: string;
  key: string;
}

/** WeChat's media_check_async verdict when it is not "pass", or no verdict because the check could not start. */
export type PhotoFlag = 'risky' | 'review' | 'unchecked';

export const PHOTO_FLAG_LABELS: Record<PhotoFlag, string> = {
  risky: '疑似违规图片',
  review: '图片待人工复核',
  unchecked: '图片未经安全检测',
};

/** A photo as officials see it on a case: an expiring link, who attached it, and the content check's flag. */
export interface PhotoView {
  id: string;
  url: string;
  expiresAt: string;
  /** The filer's evidence (rating or complaint), or a rectification report's. */
  by: 'filer' | 'rectification';
  /** Set while WeChat's verdict is pending (`checking`) or when it is not "pass"; the photo is shown either way. */
  flag?: PhotoFlag;
  checking?: boolean;
}
