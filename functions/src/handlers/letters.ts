import '../domain/grants';
import * as z from 'zod/mini';
import { getLetterPdf } from '../domain/letter-pdf';
import { http } from '../lib/http';
import { parseWith } from '../lib/validate';
import { CaseIdParams } from '../lib/params';

/**
 * GET /v1/cases/{id}/letters/{file}: the reminder letter as a printable PDF. A function of its own: only this
 * bundle carries the CJK font.
 */
export const letter = http(async (req) => {
  const p = parseWith(z.extend(CaseIdParams, { file: z.string().check(z.minLength(5), z.maxLength(80)) }), req.params);
  const { no, pdf } = await getLetterPdf(await req.session(), p.id, p.file);
  return { binary: { contentType: 'application/pdf', data: pdf, filename: `工作提示函-${no}.pdf` } };
});
