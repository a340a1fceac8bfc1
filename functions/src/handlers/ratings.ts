import '../domain/grants';
import * as z from 'zod/mini';
import { myRatings, submitRating } from '../domain/ratings';
import { http } from '../lib/http';
import { parseWith } from '../lib/validate';

/** POST /v1/ratings */
export const submit = http(async (req) => ({
  status: 201,
  body: await submitRating(await req.session(), req.body, new Date()),
}));

/** GET /v1/me/ratings?cursor= */
export const mine = http(async (req) => ({
  body: await myRatings(
    await req.session(),
    parseWith(z.object({ cursor: z.optional(z.string().check(z.maxLength(512))) }), req.query).cursor,
  ),
}));
