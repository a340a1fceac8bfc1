import '../domain/grants';
import { statsSummary } from '../domain/stats';
import { http } from '../lib/http';

/** GET /v1/stats/summary?scope=&from=&to= */
export const summary = http(async (req) => ({ body: await statsSummary(await req.session(), req.query, new Date()) }));
