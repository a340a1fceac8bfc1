import { publicSatisfaction } from '../domain/public-stats';
import { http } from '../lib/http';

/** GET /v1/public/satisfaction?month=&cursor= (公示, no login): cacheable aggregates by department. */
export const satisfaction = http(async (req) => {
  const r = await publicSatisfaction(req.query, req.sourceIp, new Date());
  return { body: r.body, headers: { 'cache-control': r.cacheControl } };
});
