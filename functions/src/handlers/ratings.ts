import '../domain/grants';
import * as z from 'zod/mini';
import { myRatings } from '../domain/ratings';
import { http } from '../lib/http';
import { parseWith } from '../lib/validate';

/** GET /v1/me/ratings?cursor= */
export const mine = http(async (req) => ({
  body: await myRatings(
    await req.session(),
    parseWith(z.object({ cursor: z.optional(z.string().check(z.maxLength(512))) }), req.query).cursor,
  ),
}));
