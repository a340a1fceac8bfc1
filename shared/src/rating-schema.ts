import * as z from 'zod/mini';
import { PHOTO_KEY_MESSAGE, PHOTO_KEY_PATTERN, PHOTO_KEYS_MESSAGE, PHOTO_RULES } from './photos';
import { PHONE_MESSAGE, PHONE_PATTERN } from './rating';
import { WriteRequestId } from './rating-request';

// zod/mini like every shared schema: a function bundle carries ~25 KB of zod and no classic API (issue 9).

/** The requestId rule of every write route. */
export const RequestId = WriteRequestId;

export const Phone = z.string().check(z.regex(PHONE_PATTERN, PHONE_MESSAGE));

/** Up to 3 photos, by the keys of the caller's own uploads (POST /v1/uploads): complaints, rectification reports. */
export const PhotoKeys = z
  .array(z.string().check(z.regex(PHOTO_KEY_PATTERN, PHOTO_KEY_MESSAGE)))
  .check(z.maxLength(PHOTO_RULES.maxPerItem, PHOTO_KEYS_MESSAGE));
