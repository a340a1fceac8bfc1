import '../domain/grants';
import * as z from 'zod/mini';
import { myComplaints, submitComplaint, trackComplaint } from '../domain/complaints';
import { CONDUCT_LISTS } from '../domain/conduct-lists';
import { httpWrite } from '../domain/idempotency';
import { http } from '../lib/http';
import { parseWith } from '../lib/validate';

/** POST /v1/complaints */
export const submit = httpWrite(
  201,
  async (req, ticket) => submitComplaint(await req.session(), req.body, new Date(), ticket),
  { keepRequestId: true },
);

/** GET /v1/complaints/{trackingNo}?queryCode= (no login: anonymous complainants follow their case with the code) */
export const track = http(async (req) => {
  const p = parseWith(z.object({ trackingNo: z.string().check(z.maxLength(40)) }), req.params);
  const q = parseWith(z.object({ queryCode: z.optional(z.string().check(z.maxLength(40))) }), req.query);
  const session = await req.optionalSession().catch(() => undefined);
  return {
    body: await trackComplaint(
      p.trackingNo,
      q.queryCode,
      { sourceIp: req.sourceIp, userId: session?.userId },
      new Date(),
    ),
  };
});

/** GET /v1/me/complaints */
export const mine = http(async (req) => ({ body: await myComplaints(await req.session()) }));

/** GET /v1/lists: the positive and negative lists (明白卡) */
export const lists = http(async () => ({ body: CONDUCT_LISTS }));
