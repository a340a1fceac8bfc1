import '../domain/grants';
import { getCalendarYear, updateCalendarYear } from '../domain/calendar';
import { http } from '../lib/http';

/** GET /v1/calendar/{year} (officials): the year's holidays and 调休 working days, their source and versions. */
export const get = http(async (req) => ({
  body: await getCalendarYear(await req.session(), req.params.year ?? ''),
}));

/** POST /v1/calendar/{year} (operators of the prefecture): store a new version of the year, audited. */
export const update = http(async (req) => ({
  body: await updateCalendarYear(await req.session(), req.params.year ?? '', req.body, new Date()),
}));
