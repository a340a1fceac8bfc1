import { randomUUID } from 'node:crypto';
import { shanghaiDate } from '@mashang/shared';
import { log, mapLimit, ms, percentile, routeFunction, section, type SectionResult } from './common';
import { deliver, inProcess, invoke, loadHandler, StreamTap, streamFunctions } from './inproc';
import type { System } from './system';
import type { BenchTable } from './table';

const CONNECTIONS = Math.max(50, Number(process.env.BENCH_CONTENTION_CONNECTIONS ?? 50));
const RATINGS = Number(process.env.BENCH_CONTENTION_RATINGS ?? 400);
/** Every 10th rating is sent twice at once (a client retry racing its original): it must be stored once. */
const TWIN_EVERY = 10;

interface Win {
  id: string;
  code: string;
  county: { id: string };
  department: { id: string };
}

/** What DynamoDB refused during a load, read on the document client (no product code involved). */
function watchRefusals(
  stack: any,
  sink: { conflicts: number; conditionFailures: number; throttles: number; other: Map<string, number> },
): () => void {
  const name = 'benchWatchRefusals';
  stack.add(
    (next: any) => async (args: any) => {
      try {
        return await next(args);
      } catch (e: any) {
        const reasons: string[] = (e?.CancellationReasons ?? []).map((r: { Code?: string }) => r.Code ?? 'None');
        if (e?.name === 'TransactionConflictException' || reasons.includes('TransactionConflict')) sink.conflicts++;
        else if (e?.name === 'ConditionalCheckFailedException' || reasons.includes('ConditionalCheckFailed'))
          sink.conditionFailures++;
        else if (/Throttl|ProvisionedThroughputExceeded/.test(e?.name ?? '') || reasons.some((r) => /Throttl/.test(r)))
          sink.throttles++;
        else sink.other.set(e?.name ?? 'Error', (sink.other.get(e?.name ?? 'Error') ?? 0) + 1);
        throw e;
      }
    },
    { step: 'initialize', name, priority: 'high', override: true },
  );
  return () => stack.remove(name);
}

/**
 * Contention: CONNECTIONS callers at once, each rating a different window, every rating by a different citizen —
 * first all windows of one county (they share the prefecture's and the county's counters, and a department's), then
 * the same load spread round-robin over every county (they share only the prefecture's). The handlers run in the
 * bench's process (so CONNECTIONS requests are really in flight together on this 2-core machine; serverless-offline
 * would serialise them on worker threads), against the bench table in the system's DynamoDB Local.
 */
export async function contention(system: System, bench: BenchTable): Promise<SectionResult> {
  const s = section(
    'contention',
    `3c. Contention: ${CONNECTIONS} callers at once, ${RATINGS} 好评/中评 each load, different windows of one prefecture`,
  );
  await inProcess(system, bench);
  const h = {
    rating: await loadHandler(routeFunction('POST', '/v1/ratings')),
    login: await loadHandler(routeFunction('POST', '/v1/auth/wechat')),
    windows: await loadHandler(routeFunction('GET', '/v1/windows')),
    mine: await loadHandler(routeFunction('GET', '/v1/me/ratings')),
    stats: await loadHandler(routeFunction('GET', '/v1/stats/summary')),
  };
  if (!h.rating || !h.login || !h.windows || !h.mine || !h.stats)
    throw new Error('the rating, login, window list, my ratings and stats routes are required');
  const { db } = await import('../../functions/src/data/client');
  const streams = await streamFunctions();
  const tap = new StreamTap(system.dynamodbEndpoint, (await inProcess(system, bench)).table);

  const login = async (code: string) => (await invoke(h.login!, { body: { code } })).body.token as string;
  const operator = await login('demo-operator');
  const inspector = await login('demo-inspector');
  const all: Win[] = [];
  let cursor: string | undefined;
  do {
    const r = await invoke(h.windows, { token: operator, query: { limit: '100', ...(cursor ? { cursor } : {}) } });
    all.push(...r.body.items);
    cursor = r.body.cursor;
  } while (cursor);
  const byCounty = new Map<string, Win[]>();
  for (const w of all) byCounty.set(w.county.id, [...(byCounty.get(w.county.id) ?? []), w]);
  const counties = [...byCounty.keys()].sort();
  // The hot load: the county with the most windows (one prefecture, one county: the widest shared counters).
  const hotCounty = counties.reduce((a, b) =>
    (byCounty.get(a)?.length ?? 0) >= (byCounty.get(b)?.length ?? 0) ? a : b,
  );
  const hot = byCounty.get(hotCounty)!;
  const spread: Win[] = [];
  for (let i = 0; spread.length < RATINGS && i < 10000; i++) {
    const c = byCounty.get(counties[i % counties.length])!;
    const w = c[Math.floor(i / counties.length) % c.length];
    spread.push(w);
  }
  const today = shanghaiDate(new Date());
  const prefectureTotal = async () => {
    const r = await invoke(h.stats!, { token: inspector, query: { from: today, to: today } });
    if (r.status !== 200) throw new Error(`stats: ${r.status} ${JSON.stringify(r.body)}`);
    return Number(r.body.ratings?.total ?? 0);
  };

  const runLoad = async (label: string, windows: Win[]) => {
    const run = `${label}-${Date.now().toString(36)}`;
    log(`contention ${label}: logging in ${RATINGS} citizens ...`);
    const tokens = await mapLimit(
      Array.from({ length: RATINGS }, (_, i) => i),
      8,
      (i) => login(`bench-contend-${run}-${i}`),
    );
    await tap.start();
    const before = await prefectureTotal();
    const refusals = { conflicts: 0, conditionFailures: 0, throttles: 0, other: new Map<string, number>() };
    const unhook = watchRefusals(db().middlewareStack, refusals);
    const statuses = new Map<string, number>();
    const times: number[] = [];
    const stored: { i: number; id: string }[] = [];
    let twinMismatch = 0;
    const t0 = Date.now();
    try {
      await mapLimit(
        Array.from({ length: RATINGS }, (_, i) => i),
        CONNECTIONS,
        async (_x, i) => {
          const w = windows[i % windows.length];
          const body = { requestId: `bench-${randomUUID()}`, code: w.code, level: [5, 4, 5, 3][i % 4] };
          const once = async () => {
            const a = process.hrtime.bigint();
            const r = await invoke(h.rating!, { token: tokens[i], body });
            times.push(Number(process.hrtime.bigint() - a) / 1e6);
            const key = r.status === 201 ? '201' : `${r.status} ${r.body?.error?.code ?? ''}`.trim();
            statuses.set(key, (statuses.get(key) ?? 0) + 1);
            return r;
          };
          const rs = i % TWIN_EVERY === 0 ? await Promise.all([once(), once()]) : [await once()];
          const ids = new Set(rs.filter((r) => r.status === 201).map((r) => r.body.rating.id as string));
          if (ids.size > 1) twinMismatch++;
          if (ids.size) stored.push({ i, id: [...ids][0] });
        },
      );
    } finally {
      unhook();
    }
    const seconds = (Date.now() - t0) / 1000;
    // Counters: whatever the stream functions aggregate lands before the count is read (as the event source mapping
    // would deliver it within seconds).
    for (let round = 0; round < 20; round++) {
      const records = await tap.read();
      if (!records.length) break;
      await deliver(records, streams);
    }
    const after = await prefectureTotal();
    // Lost: a 201 whose rating the citizen does not see in 我的评价; duplicated: a citizen who sees more than one.
    let lost = 0;
    let duplicated = 0;
    await mapLimit(stored, 8, async ({ i, id }) => {
      const r = await invoke(h.mine!, { token: tokens[i] });
      const ids = (r.body.items ?? []).map((x: { id: string }) => x.id);
      if (!ids.includes(id)) lost++;
      if (ids.length > 1) duplicated += ids.length - 1;
    });
    duplicated += twinMismatch;
    const ok = statuses.get('201') ?? 0;
    const requests = [...statuses.values()].reduce((a, b) => a + b, 0);
    const fiveXx = [...statuses].filter(([k]) => k.startsWith('5')).reduce((a, [, v]) => a + v, 0);
    const errors = requests - ok;
    const counted = after - before;
    const conflictAnswers = statuses.get('409 CONFLICT') ?? 0;
    times.sort((a, b) => a - b);
    return {
      label,
      ratings: RATINGS,
      requests,
      stored: stored.length,
      ok,
      errors,
      statuses: Object.fromEntries(statuses),
      conflicts: refusals.conflicts,
      retries: Math.max(0, refusals.conflicts - conflictAnswers),
      conditionFailures: refusals.conditionFailures,
      throttles: refusals.throttles,
      otherRefusals: Object.fromEntries(refusals.other),
      lost,
      duplicated,
      countedInPrefecture: counted,
      counterDrift: counted - stored.length,
      fiveXx,
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      rps: requests / seconds,
    };
  };

  const results = [
    await runLoad(`one county (${hotCounty}, ${hot.length} windows)`, hot),
    await runLoad(`spread over ${counties.length} counties`, spread),
  ];
  for (const r of results) {
    const bad = r.errors > 0 || r.lost > 0 || r.duplicated > 0 || r.fiveXx > 0 || r.counterDrift !== 0;
    s.rows.push({
      measure: r.label,
      value: `${r.stored} stored of ${r.ratings}; errors ${r.errors}, conflicts ${r.conflicts}, retries ${r.retries}, lost ${r.lost}, duplicated ${r.duplicated}, 5xx ${r.fiveXx}`,
      note: `${bad ? '!!! ' : ''}prefecture counter +${r.countedInPrefecture} (drift ${r.counterDrift}); answers ${JSON.stringify(r.statuses)}; p50 ${ms(r.p50)}, p95 ${ms(r.p95)}, ${r.rps.toFixed(0)} req/s${r.throttles ? `; throttled ${r.throttles}` : ''}`,
    });
    if (bad) s.status = 'failed';
  }
  s.notes.push(
    `${CONNECTIONS} callers with a request in flight at all times, the rating handler called in the bench's process; every ${TWIN_EVERY}th rating sent twice at once with the same requestId (both must get the same 201). conflicts = DynamoDB refusals for TransactionConflict seen on the document client; retries = conflicts the use case retried (conflicts minus 409 CONFLICT answers); lost = a 201 whose rating its citizen does not see in GET /v1/me/ratings; duplicated = a citizen seeing more than one rating, or twins answered with different ratings; the prefecture counter is GET /v1/stats/summary for today before and after (stream functions given the load's stream records first) and must grow by exactly the number stored. Goal: 0 errors, 0 lost, 0 duplicated, 0 5xx.`,
  );
  s.data = { connections: CONNECTIONS, ratings: RATINGS, twinEvery: TWIN_EVERY, results };
  return s;
}
