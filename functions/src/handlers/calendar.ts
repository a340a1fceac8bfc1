import '../domain/grants';
import { getCalendarYear, updateCalendarYear } from '../domain/calendar';
import { httpWrite } from '../domain/idempotency';
import { http } from '../lib/http';

/** GET /v1/calendar/{year} (officials): the year's holidays and 调休 working days, their source and versions. */
export const get = http(async (req) => ({
  body: await getCalendarYear(await req.session(), req.params.year ?? ''),
}));

/** POST /v1/calendar/{year} (operators of the prefecture): store a new version of the year, audited. */
export const update = httpWrite(
  200,
  async (req, ticket) => updateCalendarYear(await req.session(), req.params.year ?? '', req.body, new Date(), ticket),
  { keepRequestId: true },
);
