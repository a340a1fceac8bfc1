import * as z from 'zod';
import { PHOTO_KEY_MESSAGE, PHOTO_KEY_PATTERN, PHOTO_KEYS_MESSAGE, PHOTO_RULES } from './photos';
import { PHONE_MESSAGE, PHONE_PATTERN } from './rating';

export const RequestId = z
  .string({ error: 'requestId 必须是字符串' })
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'requestId 须为 8–64 位字母、数字、- 或 _');

export const Phone = z.string().regex(PHONE_PATTERN, PHONE_MESSAGE);

/** Up to 3 photos, by the keys of the caller's own uploads (POST /v1/uploads): complaints, rectification reports. */
export const PhotoKeys = z
  .array(z.string().regex(PHOTO_KEY_PATTERN, PHOTO_KEY_MESSAGE))
  .max(PHOTO_RULES.maxPerItem, PHOTO_KEYS_MESSAGE);
