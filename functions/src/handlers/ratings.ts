import '../domain/grants';
import * as z from 'zod/mini';
import { myRatings, submitRating } from '../domain/ratings';
import { httpWrite } from '../domain/idempotency';
import { http } from '../lib/http';
import { parseWith } from '../lib/validate';

/** POST /v1/ratings: the rating's own (user, window, day) item is its idempotency record (domain/ratings). */
export const submit = httpWrite(201, async (req) => submitRating(await req.session(), req.body, new Date()), {
  keepRequestId: true,
  recordedByUseCase: true,
});

/** GET /v1/me/ratings?cursor= */
export const mine = http(async (req) => ({
  body: await myRatings(
    await req.session(),
    parseWith(z.object({ cursor: z.optional(z.string().check(z.maxLength(512))) }), req.query).cursor,
  ),
}));
