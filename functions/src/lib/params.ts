import * as z from 'zod';

/** Path parameters shared by several routes. */
export const CaseIdParams = z.object({ id: z.string().regex(/^\d{8}-[0-9A-Z]{6}$/, '督办件编号格式不正确') });
