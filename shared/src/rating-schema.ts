import * as z from 'zod';
import { PHONE_MESSAGE, PHONE_PATTERN } from './rating';

export const RequestId = z
  .string({ error: 'requestId 必须是字符串' })
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'requestId 须为 8–64 位字母、数字、- 或 _');

export const Phone = z.string().regex(PHONE_PATTERN, PHONE_MESSAGE);
