import * as z from 'zod/mini';

/** Path parameters shared by several routes. */
export const CaseIdParams = z.object({
  id: z.string().check(z.regex(/^\d{8}-[0-9A-Z]{6}$/, '督办件编号格式不正确')),
});
