import '../domain/grants';
import { statsRanking, statsSummary, statsTrend } from '../domain/stats';
import { http } from '../lib/http';

/** GET /v1/stats/summary?scope=&from=&to= */
export const summary = http(async (req) => ({ body: await statsSummary(await req.session(), req.query, new Date()) }));

/** GET /v1/stats/trend?scope=&from=&to=&bucket=day|week|month */
export const trend = http(async (req) => ({ body: await statsTrend(await req.session(), req.query, new Date()) }));

/** GET /v1/stats/ranking?scope=&from=&to=&unit=department|window&by=goodRate|bad|overdue&minRatings=&limit=&cursor= */
export const ranking = http(async (req) => ({ body: await statsRanking(await req.session(), req.query, new Date()) }));
