import type { DbRequestRecord } from './meter';
import { randomUUID } from 'node:crypto';
import { deliver, inProcess, invoke, loadHandler, StreamTap, streamFunctions, type Handler } from './inproc';
import { log, median, ms, routeFunction, section, type SectionResult } from './common';
import type { System } from './system';
import type { BenchTable } from './table';

/**
 * List prices used for the $ figures: AWS us-east-1 (N. Virginia), USD, on-demand, as published after the
 * November 2024 DynamoDB price cut. The product's default region, cn-northwest-1 (Ningxia, operated by NWCD), bills in
 * CNY at its own prices (https://www.amazonaws.cn/en/dynamodb/pricing/): multiply by that price list's ratio.
 */
export const PRICES = {
  region: 'us-east-1 (USD list prices, on-demand)',
  dynamoWriteRequestUnit: 0.625 / 1e6,
  dynamoReadRequestUnit: 0.125 / 1e6,
  lambdaRequest: 0.2 / 1e6,
  /** arm64, as serverless.yml deploys. */
  lambdaGbSecond: 0.0000133334,
  httpApiRequest: 1.0 / 1e6,
  /** GetRecords by a Lambda trigger is free (https://aws.amazon.com/dynamodb/pricing/on-demand/). */
  streamReadRequest: 0,
};

const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);

type Req = DbRequestRecord;

/**
 * Capacity units as AWS bills them. DynamoDB Local undercounts a transaction's table part (checked here: it reported 2
 * units for transactions of 1, 4 and 8 small items alike); AWS charges every item, rounded up to 1 KB, twice
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-capacity-handling).
 * So the table part of a TransactWriteItems is recomputed per item from the request (an Update, Delete or
 * ConditionCheck counted as one item ≤ 1 KB); index units are taken as DynamoDB Local reports them.
 */
function awsUnits(r: Req): number {
  if (r.command === 'TransactWriteItems' && r.transactItemBytes && !r.error) {
    return r.transactItemBytes.reduce((a, b) => a + 2 * Math.max(1, Math.ceil(b / 1024)), 0) + r.indexUnits;
  }
  return r.capacityUnits;
}

export interface Cost {
  requests: number;
  breakdown: string;
  rcu: number;
  wcu: number;
  /** What DynamoDB Local itself reported for the writes (undercounts transactions, see awsUnits). */
  localWcu: number;
  indexUnits: number;
  lambdaMs: number;
  invocations: number;
  errors: string[];
}

let active: Req[] | undefined;

export function summarizeCost(reqs: Req[], lambdaMs: number, invocations: number): Cost {
  const counts = new Map<string, number>();
  for (const r of reqs) counts.set(r.command, (counts.get(r.command) ?? 0) + 1);
  return {
    requests: reqs.length,
    breakdown: [...counts].map(([c, n]) => `${c}×${n}`).join(' '),
    rcu: reqs.filter((r) => READS.has(r.command)).reduce((a, r) => a + r.capacityUnits, 0),
    wcu: reqs.filter((r) => !READS.has(r.command)).reduce((a, r) => a + awsUnits(r), 0),
    localWcu: reqs.filter((r) => !READS.has(r.command)).reduce((a, r) => a + r.capacityUnits, 0),
    indexUnits: reqs.reduce((a, r) => a + r.indexUnits, 0),
    lambdaMs,
    invocations,
    errors: reqs.filter((r) => r.error).map((r) => `${r.command}:${r.error}`),
  };
}

async function metered<T>(fn: () => Promise<T>): Promise<{ value: T; reqs: Req[]; ms: number }> {
  const reqs: Req[] = [];
  active = reqs;
  const t0 = process.hrtime.bigint();
  try {
    const value = await fn();
    return { value, reqs, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
  } finally {
    active = undefined;
  }
}

export async function costPerOperation(system: System, bench: BenchTable): Promise<SectionResult> {
  const s = section(
    'cost',
    '4. Cost per operation (DynamoDB requests and capacity units as DynamoDB Local reports them, ReturnConsumedCapacity: INDEXES)',
  );
  // The functions' code, in this process, against the bench's own table in the system's DynamoDB Local and the
  // system's stand-ins: the production code path, metered by the opt-in hook in scripts/bench/meter.ts.
  const { table } = await inProcess(system, bench);
  const { instrumentDb } = await import('./meter');
  const unhook = instrumentDb((r) => active?.push(r));
  try {
    return await measureAll(s, system, table);
  } finally {
    unhook();
  }
}

async function measureAll(s: SectionResult, system: System, table: string): Promise<SectionResult> {
  const h = {
    login: await loadHandler(routeFunction('POST', '/v1/auth/wechat')),
    windows: await loadHandler(routeFunction('GET', '/v1/windows')),
    rating: await loadHandler(routeFunction('POST', '/v1/ratings')),
    complaint: await loadHandler(routeFunction('POST', '/v1/complaints')),
    action: await loadHandler(routeFunction('POST', '/v1/cases/{id}/actions')),
    cases: await loadHandler(routeFunction('GET', '/v1/cases')),
    stats: await loadHandler(routeFunction('GET', '/v1/stats/summary')),
    enterprises: await loadHandler(routeFunction('GET', '/v1/enterprises')),
    visit: await loadHandler(routeFunction('POST', '/v1/visits')),
    rateVisit: await loadHandler(routeFunction('POST', '/v1/visits/{id}/rating')),
  };
  const allStreams = await streamFunctions();
  // The counter aggregation works on batches (up to 1000 records): it is measured on a batch of 100 ratings below and
  // charged per rating, not once per single-rating delivery as the per-operation follow-on would.
  const isCounter = (name: string) => /counter/i.test(name);
  const streams = allStreams.filter((f) => !isCounter(f.def.name));
  const counterStreams = allStreams.filter((f) => isCounter(f.def.name));
  const streamNames = streams.map((f) => f.def.name).join(' + ') || 'stream';
  if (!h.login || !h.windows || !h.rating) throw new Error('the login, window list and rating routes are required');

  // Sign-in asks the WeChat stand-in, whose answer can time out on a loaded shared machine (500): tried 3 times.
  const login = async (code: string) => {
    for (let attempt = 1; ; attempt++) {
      const r = await invoke(h.login!, { body: { code } });
      if (r.status === 200) return r.body.token as string;
      if (r.status < 500 || attempt >= 3) throw new Error(`login ${code}: ${r.status} ${JSON.stringify(r.body)}`);
      await new Promise((res) => setTimeout(res, 500 * attempt));
    }
  };
  const operator = await login('demo-operator');
  const inspector = await login('demo-inspector');
  const windowsPage = await invoke(h.windows, { token: operator, query: { limit: '100' } });
  const windows: { id: string; code: string; department: { id: string } }[] = windowsPage.body.items;

  const tap = new StreamTap(system.dynamodbEndpoint, table);
  /** Records an operation's writes put on the stream, delivered to the stream function as its trigger would. */
  const followOn = async (): Promise<{ reqs: Req[]; ms: number; invocations: number }> => {
    const reqs: Req[] = [];
    let total = 0;
    let invocations = 0;
    for (let round = 0; round < 4; round++) {
      await new Promise((r) => setTimeout(r, 150));
      const records = await tap.read();
      if (!records.length || !streams.length) break;
      invocations += await deliver(records, streams, async (_fn, run) => {
        const m = await metered(run);
        reqs.push(...m.reqs);
        total += m.ms;
      });
    }
    return { reqs, ms: total, invocations };
  };

  const results: Record<string, Cost & { followOn?: Cost; samples: number }> = {};
  let counterBatch: { cost: Cost; ratings: number } | undefined;
  let citizen = 0;
  const newCitizen = () => login(`bench-cost-citizen-${Date.now().toString(36)}-${citizen++}`);

  /** Run an operation n times (fresh data each time) and keep the median of each figure. */
  const op = async (name: string, n: number, fn: (i: number) => Promise<void>, withStream: boolean) => {
    const samples: Cost[] = [];
    const follow: Cost[] = [];
    for (let i = 0; i < n; i++) {
      if (withStream) await tap.start();
      let reqs: Req[] = [];
      const t0 = process.hrtime.bigint();
      active = reqs;
      try {
        await fn(i);
      } finally {
        active = undefined;
      }
      const dt = Number(process.hrtime.bigint() - t0) / 1e6;
      samples.push(summarizeCost(reqs, dt, 1));
      if (withStream) {
        const f = await followOn();
        follow.push(summarizeCost(f.reqs, f.ms, f.invocations));
      }
      reqs = [];
    }
    const med = (pick: (c: Cost) => number, list: Cost[]) => median(list.map(pick));
    const agg = (list: Cost[]): Cost => ({
      requests: med((c) => c.requests, list),
      breakdown: list[list.length - 1].breakdown,
      rcu: med((c) => c.rcu, list),
      wcu: med((c) => c.wcu, list),
      localWcu: med((c) => c.localWcu, list),
      indexUnits: med((c) => c.indexUnits, list),
      lambdaMs: med((c) => c.lambdaMs, list),
      invocations: med((c) => c.invocations, list),
      errors: [...new Set(list.flatMap((c) => c.errors))],
    });
    results[name] = { ...agg(samples), ...(withStream && follow.length ? { followOn: agg(follow) } : {}), samples: n };
  };

  const expect = (r: { status: number; body: any }, status: number, what: string) => {
    if (r.status !== status) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };

  // The operations' inputs are prepared outside the meter (logins), so only the operation itself is counted.
  log('cost: ratings ...');
  const goodTokens = await Promise.all(Array.from({ length: 10 }, newCitizen));
  await op(
    'rating (好评, level 5)',
    10,
    async (i) => {
      expect(
        await invoke(h.rating!, {
          token: goodTokens[i],
          body: { requestId: `bench-${randomUUID()}`, code: windows[i].code, level: 5 },
        }),
        201,
        'rating',
      );
    },
    true,
  );
  // The same, with the code already resolved by this function instance within its cache's TTL (domain/codes): a
  // busy window's next rating, or a scan whose lookup reached the same instance.
  const { resolveCode } = await import('../../functions/src/domain/codes');
  const warmTokens = await Promise.all(Array.from({ length: 10 }, newCitizen));
  for (let i = 0; i < 10; i++) await resolveCode(windows[60 + i].code);
  await op(
    'rating (好评, level 5), code cached',
    10,
    async (i) => {
      expect(
        await invoke(h.rating!, {
          token: warmTokens[i],
          body: { requestId: `bench-${randomUUID()}`, code: windows[60 + i].code, level: 5 },
        }),
        201,
        'rating',
      );
    },
    true,
  );
  // The counter aggregation on a realistic batch: 100 好评/中评 of one day by 100 citizens at 50 windows.
  if (counterStreams.length) {
    const tokens = await Promise.all(Array.from({ length: 100 }, newCitizen));
    const counterTap = new StreamTap(system.dynamodbEndpoint, table);
    await counterTap.start();
    for (let i = 0; i < 100; i++) {
      const r = await invoke(h.rating!, {
        token: tokens[i],
        body: { requestId: `bench-${randomUUID()}`, code: windows[i % 50].code, level: [5, 4, 5, 3][i % 4] },
      });
      if (r.status !== 201) throw new Error(`rating for the counter batch: ${r.status} ${JSON.stringify(r.body)}`);
    }
    const records = await counterTap.read();
    const reqs: Req[] = [];
    let total = 0;
    const invocations = await deliver(records, counterStreams, async (_fn, run) => {
      const m = await metered(run);
      reqs.push(...m.reqs);
      total += m.ms;
    });
    counterBatch = {
      cost: summarizeCost(reqs, total, invocations),
      ratings: records.filter((r) => r.eventName === 'INSERT' && r.dynamodb?.NewImage?.type?.S === 'rating').length,
    };
  }
  const badTokens = await Promise.all(Array.from({ length: 20 }, newCitizen));
  const caseIds: string[] = [];
  await op(
    '差评 (level 1, reason, phone)',
    20,
    async (i) => {
      const b = expect(
        await invoke(h.rating!, {
          token: badTokens[i],
          body: {
            requestId: `bench-${randomUUID()}`,
            code: windows[20 + i].code,
            level: 1,
            reasons: ['推诿扯皮'],
            comment: '窗口让我改天再来',
            phone: '13800138000',
          },
        }),
        201,
        '差评',
      );
      caseIds.push(b.caseId);
    },
    true,
  );

  if (h.complaint) {
    log('cost: complaints ...');
    const tokens = await Promise.all(Array.from({ length: 5 }, newCitizen));
    await op(
      'complaint (anonymous)',
      5,
      async (i) => {
        expect(
          await invoke(h.complaint!, {
            token: tokens[i],
            body: {
              requestId: `bench-${randomUUID()}`,
              code: windows[40 + i].code,
              category: '服务意识不强',
              content: '办理营业执照变更时窗口人员态度冷淡，多次推诿，要求补交并不需要的材料。',
              anonymous: true,
            },
          }),
          201,
          'complaint',
        );
      },
      true,
    );
  }

  if (h.action && caseIds.length) {
    log('cost: case actions ...');
    await op(
      'case action (callback, as 纪检监察)',
      5,
      async (i) => {
        expect(
          await invoke(h.action!, {
            token: inspector,
            params: { id: caseIds[i] },
            body: {
              requestId: `bench-${randomUUID()}`,
              type: 'callback',
              reached: true,
              note: '已电话回访评价人，了解情况并致歉',
            },
          }),
          200,
          'callback',
        );
      },
      true,
    );
  }

  if (h.visit && h.rateVisit && h.enterprises) {
    log('cost: visits ...');
    // A visiting official of 刚察县政务服务中心 (demo-cadre-<departmentId>) at five enterprises of 刚察县, each rated
    // by its demo contact (demo-enterprise-<enterpriseId>): one visit per enterprise, so the frequency rule stays quiet.
    const cadre = await login('demo-cadre-gangcha-zwfw');
    const ents: { id: string; code: string }[] = expect(
      await invoke(h.enterprises, { token: operator, query: { county: 'gangcha', limit: '100' } }),
      200,
      'enterprises',
    ).items;
    const picked = ents.slice(-5);
    const contacts = await Promise.all(picked.map((e) => login(`demo-enterprise-${e.id}`)));
    const visitIds: string[] = [];
    await op(
      'visit registration (访企登记)',
      5,
      async (i) => {
        const b = expect(
          await invoke(h.visit!, {
            token: cadre,
            body: { requestId: `bench-${randomUUID()}`, code: picked[i].code, purpose: '送政策', note: '宣讲惠企政策' },
          }),
          201,
          'visit',
        );
        visitIds.push(b.visit.id);
      },
      true,
    );
    await op(
      'visit rating (企业评价走访, 满意)',
      5,
      async (i) => {
        expect(
          await invoke(h.rateVisit!, {
            token: contacts[i],
            params: { id: visitIds[i] },
            body: { requestId: `bench-${randomUUID()}`, level: 4, solved: 'yes' },
          }),
          201,
          'visit rating',
        );
      },
      true,
    );
  }

  if (h.cases) {
    log('cost: case list page ...');
    await op(
      'case list page (open, 20 per page, prefecture)',
      5,
      async () => {
        const b = expect(await invoke(h.cases!, { token: inspector, query: { status: 'open' } }), 200, 'case list');
        if (!b.items?.length) throw new Error('case list came back empty');
      },
      false,
    );
  }

  let statsScopes: Record<string, unknown> | undefined;
  if (h.stats) {
    log('cost: stats summary at 100 and 100 000 ratings ...');
    statsScopes = await statsAtTwoSizes(h, operator, inspector, windows, op, async (write) => {
      // The 100 ratings' stream records, delivered to the counter aggregation as its trigger would.
      const counterTap = new StreamTap(system.dynamodbEndpoint, table);
      await counterTap.start();
      await write();
      await deliver(await counterTap.read(), counterStreams);
    });
  }

  // Rows.
  const fmt = (c: Cost) => `${c.requests} req (${c.breakdown}); ${c.rcu} RCU, ${c.wcu} WCU`;
  for (const [name, c] of Object.entries(results)) {
    s.rows.push({
      measure: name,
      value: fmt(c),
      note: `${c.indexUnits ? `GSI ${c.indexUnits} units; ` : ''}${c.localWcu !== c.wcu ? `Local reported ${c.localWcu} WCU; ` : ''}handler ${ms(c.lambdaMs)}${c.errors.length ? `; refused: ${c.errors.join(', ')}` : ''}`,
    });
    if (c.followOn && (c.followOn.requests > 0 || c.followOn.invocations > 0)) {
      s.rows.push({
        measure: `  + stream follow-on (${streamNames})`,
        value: fmt(c.followOn),
        note: `${c.followOn.invocations} invocation(s), ${ms(c.followOn.lambdaMs)} incl. WeChat/SMS stand-in calls${c.followOn.localWcu !== c.followOn.wcu ? `; Local reported ${c.followOn.localWcu} WCU` : ''}`,
      });
    }
  }
  if (!h.complaint)
    s.rows.push({ measure: 'complaint', value: 'not available yet', note: 'no POST /v1/complaints in serverless.yml' });
  if (!h.action)
    s.rows.push({
      measure: 'case action',
      value: 'not available yet',
      note: 'no POST /v1/cases/{id}/actions in serverless.yml',
    });
  if (!h.cases)
    s.rows.push({ measure: 'case list page', value: 'not available yet', note: 'no GET /v1/cases in serverless.yml' });
  if (!h.stats)
    s.rows.push({
      measure: 'stats summary',
      value: 'not available yet',
      note: 'no GET /v1/stats/summary in serverless.yml',
    });

  // $ per million ratings.
  const dollars = (c: Cost | undefined) =>
    c
      ? {
          dynamo: c.wcu * PRICES.dynamoWriteRequestUnit + c.rcu * PRICES.dynamoReadRequestUnit,
          lambda: c.invocations * PRICES.lambdaRequest + (c.lambdaMs / 1000) * 0.5 * PRICES.lambdaGbSecond,
        }
      : { dynamo: 0, lambda: 0 };
  // The counter aggregation's cost of a batch, shared by the ratings in it.
  const perRatingCounters =
    counterBatch && counterBatch.ratings > 0 ? dollars(counterBatch.cost) : { dynamo: 0, lambda: 0 };
  const share = counterBatch && counterBatch.ratings > 0 ? 1 / counterBatch.ratings : 0;
  if (counterBatch) {
    const c = counterBatch.cost;
    s.rows.push({
      measure: `  + counters from the stream (${counterStreams.map((f) => f.def.name).join(' + ')}), one batch of ${counterBatch.ratings} ratings`,
      value: `${fmt(c)}; per rating ${(c.wcu * share).toFixed(2)} WCU, ${(c.rcu * share).toFixed(3)} RCU`,
      note: `${c.invocations} invocation(s), ${ms(c.lambdaMs)}; 100 ratings of one day at 50 windows: one counter item per scope and day a batch touches, in transactions with the shard's mark (2 WCU per item)`,
    });
  }
  const perRating = (c: Cost & { followOn?: Cost }) => {
    const a = dollars(c);
    const b = dollars(c.followOn);
    return {
      dynamo: a.dynamo + b.dynamo + perRatingCounters.dynamo * share,
      lambda: a.lambda + b.lambda + perRatingCounters.lambda * share,
      api: PRICES.httpApiRequest,
    };
  };
  const good = results['rating (好评, level 5)'];
  const bad = results['差评 (level 1, reason, phone)'];
  const g = perRating(good);
  const b = perRating(bad);
  const M = 1e6;
  const usd = (v: number) => `$${v.toFixed(2)}`;
  const line = (x: { dynamo: number; lambda: number; api: number }) =>
    `${usd((x.dynamo + x.lambda + x.api) * M)} (DynamoDB ${usd(x.dynamo * M)}, Lambda ${usd(x.lambda * M)}, HTTP API ${usd(x.api * M)})`;
  const badShare = 0.01;
  const blended = {
    dynamo: g.dynamo * (1 - badShare) + b.dynamo * badShare,
    lambda: g.lambda * (1 - badShare) + b.lambda * badShare,
    api: PRICES.httpApiRequest,
  };
  s.rows.push(
    { measure: '$ per million 好评', value: line(g) },
    { measure: '$ per million 差评 (with alerts)', value: line(b), note: 'WeChat/SMS provider fees not included' },
    {
      measure: `$ per million ratings (${badShare * 100}% 差评)`,
      value: line(blended),
      note: 'Haibei: 3 差评 in 4500 ratings (0.07%)',
    },
  );
  s.notes.push(
    `Measured in this process by calling the functions' handlers with API Gateway v2 events against the bench's own table (demo data seeded into it) in the system's DynamoDB Local; the meter is the opt-in instrumentDb() hook in scripts/bench/meter.ts. Medians over the samples; each sample uses a fresh citizen and window.`,
    "Capacity units: DynamoDB Local's accounting (1 WCU per KB written per item and per index, 0.5 RCU per 4 KB read eventually consistent, 1 strongly consistent), except the table part of a TransactWriteItems, which DynamoDB Local undercounts (it reported 2 units for transactions of 1, 4 and 8 small items alike) and which is recomputed as AWS bills it: every item rounded up to 1 KB, ×2. A request refused by a condition reports no units here but is billed on AWS.",
    `Prices: ${PRICES.region} — DynamoDB $0.625 per million write request units, $0.125 per million read request units; Lambda arm64 $0.20 per million requests + $0.0000133334 per GB-s at the 512 MB configured in serverless.yml, billed for the handler time measured here; API Gateway HTTP API $1.00 per million requests; stream reads by a Lambda trigger are free. Storage ($0.25/GB-month) is not per operation: see docs/scale.md.`,
    'Stats summary at 100 vs 100 000 ratings: the 100 ratings go through the rating use case (submitRating, over 30 days); the 100 000 are written straight into the per-day counter items the use case maintains (STAT#<scope> / D#<date>: ratings, l1–l5, good, bad), 30 days × each window of the department and its ancestors — the summary reads the same 30 day items either way.',
  );
  s.data = { results, prices: PRICES, badShare, perMillion: { good: g, bad: b, blended }, statsScopes };
  return s;
}

async function statsAtTwoSizes(
  h: Record<string, Handler | undefined>,
  operator: string,
  inspector: string,
  windows: { id: string; code: string; department: { id: string } }[],
  op: (name: string, n: number, fn: (i: number) => Promise<void>, withStream: boolean) => Promise<void>,
  counted: (write: () => Promise<void>) => Promise<void>,
): Promise<Record<string, unknown>> {
  const { submitRating } = await import('../../functions/src/domain/ratings');
  const { db, table } = await import('../../functions/src/data/client');
  const { K } = await import('../../functions/src/data/keys');
  const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
  const { ancestorScopes, shanghaiDate } = await import('@mashang/shared');

  // Two departments of a county the other measurements (the first windows in path order) do not touch.
  const used = new Set(windows.slice(0, 60).map((w) => w.department.id));
  const other = (await invoke(h.windows!, { token: operator, query: { county: 'qilian', limit: '100' } })).body
    .items as typeof windows;
  const depts = [...new Set(other.map((w) => w.department.id))].filter((d) => !used.has(d));
  if (depts.length < 2) throw new Error('need two departments untouched by the other measurements');
  const [small, large] = [depts[0], depts[1]];
  const winsOf = async (departmentId: string) =>
    (await invoke(h.windows!, { token: operator, query: { departmentId, limit: '100' } })).body.items as {
      id: string;
      code: string;
    }[];
  const smallWins = await winsOf(small);
  const largeWins = await winsOf(large);
  const pathOf = async (code: string) => {
    const { resolveCode } = await import('../../functions/src/domain/codes');
    const r = await resolveCode(code);
    if (r.kind !== 'window') throw new Error('not a window code');
    return r.window.path;
  };
  const now = Date.now();
  const day = (i: number) => new Date(now - i * 86400000);
  const from = shanghaiDate(day(29));
  const to = shanghaiDate(day(0));

  // 100 ratings through the use case, spread over the 30 days (levels 5, 4, 3; distinct raters).
  // Their day counters come from the table's stream: `counted` delivers the records to the aggregation.
  await counted(async () => {
    for (let i = 0; i < 100; i++) {
      const w = smallWins[i % smallWins.length];
      await submitRating(
        { userId: `ubench${now.toString(36)}${i}`, grants: [] },
        { requestId: `bench-${randomUUID()}`, code: w.code, level: [5, 4, 3][i % 3] },
        new Date(day(i % 30).getTime()),
      );
    }
  });
  // 100 000 ratings' worth of counters, as the use case would have left them.
  const perCell = Math.ceil(100000 / (30 * largeWins.length));
  let written = 0;
  const paths = await Promise.all(largeWins.map((w) => pathOf(w.code)));
  for (let d = 0; d < 30; d++) {
    for (const path of paths) {
      const n = Math.min(perCell, 100000 - written);
      if (n <= 0) break;
      written += n;
      const l5 = Math.round(n * 0.8);
      const l4 = Math.round(n * 0.15);
      const l1 = Math.round(n * 0.01);
      const l3 = n - l5 - l4 - l1;
      for (const scope of ancestorScopes(path)) {
        await db().send(
          new UpdateCommand({
            TableName: table(),
            Key: K.statDay(scope, shanghaiDate(day(d))),
            UpdateExpression: 'ADD ratings :n, l5 :l5, l4 :l4, l3 :l3, l1 :l1, good :good, bad :bad',
            ExpressionAttributeValues: {
              ':n': n,
              ':l5': l5,
              ':l4': l4,
              ':l3': l3,
              ':l1': l1,
              ':good': l5 + l4,
              ':bad': l1,
            },
          }),
        );
      }
    }
  }
  const smallScope = (await pathOf(smallWins[0].code)).split('/').slice(0, 3).join('/');
  const largeScope = paths[0].split('/').slice(0, 3).join('/');
  const totals: Record<string, number> = {};
  for (const [label, scope] of [
    ['100', smallScope],
    ['100 000', largeScope],
  ] as const) {
    await op(
      `stats summary, 30 days, ${label} ratings in scope`,
      5,
      async () => {
        const r = await invoke(h.stats!, { token: inspector, query: { scope, from, to } });
        if (r.status !== 200) throw new Error(`stats summary: ${r.status} ${JSON.stringify(r.body)}`);
        totals[label] = r.body.ratings?.total;
      },
      false,
    );
  }
  if (totals['100'] !== 100 || totals['100 000'] !== 100000) {
    throw new Error(`stats summary totals were ${JSON.stringify(totals)}, expected 100 and 100000`);
  }
  return { smallScope, largeScope, from, to, totals };
}
