import { z } from 'zod';
import { windowPoster } from '../domain/posters';
import { http } from '../lib/http';
import { parseWith } from '../lib/validate';

const IdParam = z.object({ id: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, '编号格式不正确') });

/** POST /v1/windows/{id}/poster (operators): the window's A4 poster PDF → {url (expiring), expiresAt}. */
export const windowPosterPdf = http(async (req) => ({
  status: 201,
  body: await windowPoster(await req.session(), parseWith(IdParam, req.params).id, new Date()),
}));
