import '../domain/grants';
import { lookupCode } from '../domain/codes';
import { httpWrite } from '../domain/idempotency';
import { submitRating } from '../domain/ratings';
import { byRoute, http } from '../lib/http';
import { CodeParam, parseWith } from '../lib/validate';

/** GET /v1/codes/{code} (no login needed; with a valid token it also says whether the caller rated it today) */
export const lookup = http(async (req) => ({
  body: await lookupCode(parseWith(CodeParam, req.params).code, new Date(), await req.optionalSession()),
}));

/** POST /v1/ratings: the rating's own (user, window, day) item is its idempotency record (domain/ratings). */
export const submit = httpWrite(201, async (req) => submitRating(await req.session(), req.body, new Date()), {
  keepRequestId: true,
  recordedByUseCase: true,
});

/**
 * The scan and the rating, one Lambda function (serverless.yml `scanAndRate`). The rate page's signed-in lookup of the
 * code leaves this instance holding the resolved code (domain/codes, 60 s) and the caller's ratings of the last hour
 * (domain/rating-limit, read ahead beside the lookup's 一次一评 read), so the rating the page sends next is one PutItem.
 * As two functions, the rating's instance had neither.
 */
export const scanAndRate = byRoute({
  'GET /v1/codes/{code}': lookup,
  'POST /v1/ratings': submit,
});
