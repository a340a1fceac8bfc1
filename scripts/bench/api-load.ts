import { request as httpRequest } from 'node:http';
import { randomUUID } from 'node:crypto';
// autocannon ships no types; the programmatic API is documented in its README.
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<AutocannonResult> & {
  on(event: 'response', fn: (client: unknown, status: number, bytes: number, responseTimeMs: number) => void): void;
};
import { alertProbe } from './alerts';
import { log, mapLimit, ms, percentile, ratio, section, type SectionResult } from './common';
import type { System } from './system';
import type { BenchTable } from './table';

interface AutocannonResult {
  latency: { p50: number; p90: number; p97_5: number; p99: number; max: number; mean: number; average: number };
  requests: { average: number; mean: number; total: number; sent: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  statusCodeStats?: Record<string, { count: number }>;
}

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const AMOUNT = Number(process.env.BENCH_RATINGS ?? 1000);
/** Every 50th rating is a 差评 (level 2, one reason, no phone): the case path runs too, at a realistic share. */
const BAD_EVERY = 50;

async function post<T>(url: string, body: unknown, token?: string): Promise<{ status: number; body: T }> {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json()) as T };
}

let logins = 0;

/**
 * Log a bench user in. The API allows 60 logins a minute per source address (a service hall's shared network stays far
 * below it), and the bench logs in over a thousand citizens in a few minutes: every 50 logins come from another
 * loopback address (127.0.x.y; Linux routes all of 127/8 to lo), as citizens on their own phones would.
 */
export async function login(apiBase: string, code: string): Promise<string> {
  const n = Math.floor(logins++ / 50);
  const from = `127.0.${Math.floor(n / 254) % 256}.${(n % 254) + 1}`;
  const url = new URL(`${apiBase}/v1/auth/wechat`);
  const text = JSON.stringify({ code });
  const r = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: url.hostname === '127.0.0.1' ? from : undefined,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(text);
  });
  if (r.status !== 200) throw new Error(`login ${code} → ${r.status} ${r.body.slice(0, 300)}`);
  return (JSON.parse(r.body) as { token: string }).token;
}

/** Every window's supervision code, as the operator lists them (GET /v1/windows, paged). */
export async function allWindowCodes(apiBase: string): Promise<{ id: string; code: string }[]> {
  const token = await login(apiBase, 'demo-operator');
  const out: { id: string; code: string }[] = [];
  let cursor: string | undefined;
  do {
    const r = await fetch(`${apiBase}/v1/windows?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const text = await r.text();
    const page = (r.status === 200 ? JSON.parse(text) : {}) as {
      items?: { id: string; code: string }[];
      cursor?: string;
    };
    if (!page.items) throw new Error(`GET /v1/windows → ${r.status} ${text.slice(0, 300)}`);
    out.push(...page.items.map(({ id, code }) => ({ id, code })));
    cursor = page.cursor;
  } while (cursor);
  return out;
}

function ratingBody(i: number, code: string) {
  const bad = i % BAD_EVERY === BAD_EVERY - 1;
  return bad
    ? { requestId: `bench-${randomUUID()}`, code, level: 2, reasons: ['排队时间长'] }
    : { requestId: `bench-${randomUUID()}`, code, level: [5, 4, 5, 3, 5][i % 5] };
}

/** Run autocannon and keep every response time, so percentiles are exact (its own histogram has no p95). */
async function load(opts: Record<string, unknown>) {
  const times: number[] = [];
  const job = autocannon(opts);
  job.on('response', (_c, _s, _b, t) => times.push(t));
  const result = await job;
  return summarize(
    result,
    times.sort((a, b) => a - b),
  );
}

function summarize(r: AutocannonResult, times: number[]) {
  return {
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    max: times[times.length - 1],
    samples: times.length,
    mean: r.latency.mean,
    rps: r.requests.total / r.duration,
    total: r.requests.total,
    durationS: r.duration,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count])),
  };
}

/** A DynamoDB JSON-protocol request, signed with a dummy key (DynamoDB Local checks the header's shape only). */
function dynamoRequest(target: string, payload: unknown) {
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${target}`,
      'x-amz-date': '20261126T000000Z',
      authorization:
        'AWS4-HMAC-SHA256 Credential=local/20261126/cn-northwest-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0',
    },
    body: JSON.stringify(payload),
  };
}

/** A rating-sized item (~0.5 KB, the attributes a stored rating has). */
function ratingItem(id: string) {
  const now = new Date().toISOString();
  return {
    pk: { S: `RATING#${id}` },
    sk: { S: 'META' },
    gsi1pk: { S: 'RATINGS#bench-window' },
    gsi1sk: { S: now },
    type: { S: 'rating' },
    id: { S: id },
    level: { N: '5' },
    reasons: { L: [] },
    windowId: { S: 'menyuan-scjg-w01' },
    windowName: { S: '登记注册窗口1号' },
    department: { M: { id: { S: 'menyuan-scjg' }, name: { S: '门源县市场监督管理局' } } },
    county: { M: { id: { S: 'menyuan' }, name: { S: '门源县' } } },
    path: { S: 'haibei/menyuan/menyuan-scjg/menyuan-scjg-w01' },
    createdAt: { S: now },
    date: { S: now.slice(0, 10) },
  };
}

export async function apiLoad(system: System, bench: BenchTable): Promise<SectionResult> {
  const s = section(
    'api',
    `3. API: POST /v1/ratings, ${CONNECTIONS} connections, ${AMOUNT} requests, each a different citizen and window`,
  );
  const run = Date.now().toString(36);
  log('listing windows as demo-operator ...');
  const windows = await allWindowCodes(system.apiBase);
  const users = AMOUNT + CONNECTIONS * 12; // the warm-up takes at most ~9 rounds of CONNECTIONS
  log(`logging in ${users} citizens (bench-citizen-${run}-N) ...`);
  const tokens = await mapLimit(
    Array.from({ length: users }, (_, i) => i),
    8,
    (i) => login(system.apiBase, `bench-citizen-${run}-${i}`),
  );
  // citizen i rates window i mod W: with distinct citizens every (citizen, window, day) is new, so 一次一评 never refuses.
  let next = 0;
  const take = () => {
    const i = next++;
    return { token: tokens[i % tokens.length], body: ratingBody(i, windows[i % windows.length].code) };
  };

  // Warm-up: ramp the concurrency up (1, 2, 4, ... connections) and repeat full-concurrency rounds until one passes
  // without a failure, so serverless-offline has as many warm function instances as the load uses, as Lambda would
  // after the first minutes of office hours. Cold starts are section 2's subject; twenty at once on a loaded 2-core
  // machine time out (serverless-offline starts one worker thread per concurrent request, each loading the bundle).
  let warmed = 0;
  const round = async (n: number) => {
    const results = await mapLimit(Array.from({ length: n }), n, async () => {
      const t = take();
      warmed++;
      return (await post<{ rating?: { id: string } }>(`${system.apiBase}/v1/ratings`, t.body, t.token)).body?.rating?.id
        ? 1
        : 0;
    });
    return results.reduce<number>((a, b) => a + b, 0);
  };
  for (let c = 1; c < CONNECTIONS; c *= 2) await round(c);
  let clean = false;
  for (let i = 0; i < 6 && !clean; i++) clean = (await round(CONNECTIONS)) === CONNECTIONS;
  log(`warm-up: ${warmed} ratings, ${clean ? 'last round clean' : 'still failing at full concurrency'}`);

  // A rating counts only as a 201 whose body carries the rating: serverless-offline answers a crashed handler with
  // 200 and an errorMessage, which autocannon would count as a success.
  const failures = new Map<string, number>();
  const onResponse = (status: number, body: string) => {
    let parsed: any;
    try {
      parsed = JSON.parse(body);
    } catch {
      /* not JSON */
    }
    if (status === 201 && parsed?.rating?.id) return;
    const code = `${status} ${parsed?.error?.code ?? String(parsed?.errorMessage ?? body).slice(0, 60)}`;
    failures.set(code, (failures.get(code) ?? 0) + 1);
  };
  // Alert latency while the load runs: a 差评 every 1.5 s from citizens of their own, timed to the first message.
  const probeTokens = await mapLimit(
    Array.from({ length: 60 }, (_, i) => i),
    8,
    (i) => login(system.apiBase, `bench-probe-${run}-${i}`),
  );
  let loadDone = false;
  const probe = alertProbe(system, windows, probeTokens, () => loadDone);
  log(`load: ${AMOUNT} ratings over ${CONNECTIONS} connections, alert probe alongside ...`);
  const a = await load({
    url: `${system.apiBase}/v1/ratings`,
    connections: CONNECTIONS,
    amount: AMOUNT,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        onResponse,
        setupRequest: (req: Record<string, unknown>) => {
          const t = take();
          return {
            ...req,
            onResponse,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${t.token}` },
            body: JSON.stringify(t.body),
          };
        },
      },
    ],
  });

  loadDone = true;
  const alerts = await probe;

  // Floors: the same load, the same tool, straight at the same DynamoDB Local.
  const table = await bench.ensure();
  log('floor: bare PutItem ...');
  let n = 0;
  const putFailures = new Map<string, number>();
  const putResponse = (status: number) => {
    if (status !== 200) putFailures.set(String(status), (putFailures.get(String(status)) ?? 0) + 1);
  };
  const p = await load({
    url: system.dynamodbEndpoint,
    connections: CONNECTIONS,
    amount: AMOUNT,
    requests: [
      {
        ...dynamoRequest('PutItem', {}),
        onResponse: putResponse,
        setupRequest: (req: Record<string, unknown>) => ({
          ...req,
          ...dynamoRequest('PutItem', { TableName: table, Item: ratingItem(`put-${run}-${n++}`) }),
          onResponse: putResponse,
        }),
      },
    ],
  });
  log("floor: bare TransactWriteItems of a rating's 8 items ...");
  let m = 0;
  const txBody = (i: number) => {
    const id = `tx-${run}-${i}`;
    const date = new Date().toISOString().slice(0, 10);
    const put = (Item: Record<string, unknown>) => ({
      Put: { TableName: table, Item, ConditionExpression: 'attribute_not_exists(pk)' },
    });
    const add = (path: string) => ({
      Update: {
        TableName: table,
        Key: { pk: { S: `STAT#${path}` }, sk: { S: `D#${date}` } },
        UpdateExpression: 'ADD ratings :one, l5 :one, good :one, bad :zero',
        ExpressionAttributeValues: { ':one': { N: '1' }, ':zero': { N: '0' } },
      },
    });
    const w = ['haibei', 'haibei/menyuan', 'haibei/menyuan/menyuan-scjg', `haibei/menyuan/menyuan-scjg/w${i % 1200}`];
    return {
      TransactItems: [
        put({ pk: { S: `REQ#${id}` }, sk: { S: 'REQ' }, status: { N: '201' } }),
        put({ pk: { S: `ONCE#${id}` }, sk: { S: 'ONCE' } }),
        put(ratingItem(id)),
        put({ pk: { S: `RATING#${id}` }, sk: { S: 'RATER' }, gsi2pk: { S: `MINE#${id}` }, gsi2sk: { S: `R#${id}` } }),
        ...w.map(add),
      ],
    };
  };
  const txFailures = new Map<string, number>();
  const txResponse = (status: number, body: string) => {
    if (status !== 200) {
      const reason = /TransactionConflict|ConditionalCheckFailed|Throttl\w+/.exec(body)?.[0] ?? String(status);
      txFailures.set(reason, (txFailures.get(reason) ?? 0) + 1);
    }
  };
  const t = await load({
    url: system.dynamodbEndpoint,
    connections: CONNECTIONS,
    amount: AMOUNT,
    requests: [
      {
        ...dynamoRequest('TransactWriteItems', {}),
        setupRequest: (req: Record<string, unknown>) => ({
          ...req,
          ...dynamoRequest('TransactWriteItems', txBody(m++)),
          onResponse: txResponse,
        }),
        onResponse: txResponse,
      },
    ],
  });

  const failed = [...failures.values()].reduce((x, y) => x + y, 0);
  const errorCount = Math.max(failed, a.non2xx) + a.errors + a.timeouts;
  const failureText = [...failures].map(([k, v]) => `${k} ×${v}`).join(', ');
  s.rows.push(
    {
      measure: 'POST /v1/ratings p50',
      value: ms(a.p50),
      floor: `${ms(p.p50)} PutItem`,
      ratio: ratio(a.p50, p.p50),
      note: putFailures.size ? `PutItem refused: ${[...putFailures].map(([k, v]) => `${k} ×${v}`).join(', ')}` : '',
    },
    { measure: 'POST /v1/ratings p95', value: ms(a.p95), floor: `${ms(p.p95)} PutItem`, ratio: ratio(a.p95, p.p95) },
    { measure: 'POST /v1/ratings p99', value: ms(a.p99), floor: `${ms(p.p99)} PutItem`, ratio: ratio(a.p99, p.p99) },
    {
      measure: 'POST /v1/ratings throughput',
      value: `${a.rps.toFixed(0)} req/s`,
      floor: `${p.rps.toFixed(0)} PutItem/s`,
      ratio: ratio(a.rps, p.rps),
    },
    {
      measure: 'POST /v1/ratings errors',
      value: errorCount === 0 ? `0 of ${a.total}` : `!!! ${errorCount} of ${a.total} FAILED !!!`,
      note: errorCount === 0 ? 'all 201 with the stored rating' : failureText || JSON.stringify(a.statusCodes),
    },
    {
      measure: 'bare TransactWriteItems (the former rating transaction, 8 items)',
      value: `p50 ${ms(t.p50)}, p95 ${ms(t.p95)}, p99 ${ms(t.p99)}, ${t.rps.toFixed(0)}/s`,
      floor: `${ms(p.p50)} PutItem`,
      ratio: ratio(t.p50, p.p50),
      note: txFailures.size
        ? `refused: ${[...txFailures].map(([k, v]) => `${k} ×${v}`).join(', ')} (same 4 counter items in every transaction)`
        : 'no refusals',
    },
  );
  const a95 = alerts.firstMs.length ? percentile(alerts.firstMs, 95) : NaN;
  s.rows.push({
    measure: 'alert latency during the load, p50 / p95',
    value: alerts.firstMs.length ? `${ms(percentile(alerts.firstMs, 50))} / ${ms(a95)}` : 'none',
    floor: 'goal 2 s',
    ratio: alerts.firstMs.length ? ratio(a95, 2000) : '',
    note: `${alerts.sent} 差评 probes (one every 1.5 s), ${alerts.firstMs.length} alerted within 15 s, ${alerts.missing} not${alerts.failed.length ? `, ${alerts.failed.length} refused (${alerts.failed.join(', ')})` : ''}; goal p95 ≤ 2 s: ${a95 <= 2000 ? 'met' : 'NOT met'}`,
  });
  if (errorCount > 0) {
    s.status = 'failed';
    s.notes.push(
      `!!! ${errorCount} of ${a.total} ratings did not get 201: ${failureText}. Zero errors is required. !!!`,
    );
  }
  s.notes.push(
    `Local system: serverless-offline + DynamoDB Local on this machine, ${a.total} measured ratings after ${warmed} warm-up ratings (concurrency ramped 1→${CONNECTIONS}, then full rounds until one had no failure), 1 in ${BAD_EVERY} a 差评 (opens a case). Floors: the same autocannon load (${CONNECTIONS} connections, ${AMOUNT} requests) straight at the same DynamoDB Local, on a table of the bench's own (same keys and indexes, no stream): a bare PutItem of a rating-sized item, and the TransactWriteItems a rating makes (its 4 puts + 4 counter ADDs) without Lambda, HTTP API emulation, JWT or code checks.`,
  );
  s.notes.push(
    "Alert probe: while the measured load runs, a 差评 every 1.5 s from citizens of its own (not counted in the load figures); the time from its 201 to the stand-in's stamp on the first WeChat/SMS message of its case. The load's records share the stream with the alert function (its local poller reads up to 1000 records every 100 ms and filters them after reading), so this is the figure a backlog shows in.",
  );
  s.data = {
    alertsDuringLoad: alerts,
    api: a,
    failures: Object.fromEntries(failures),
    putItem: { ...p, refusals: Object.fromEntries(putFailures) },
    transactWrite: { ...t, refusals: Object.fromEntries(txFailures) },
    connections: CONNECTIONS,
    amount: AMOUNT,
    warmup: warmed,
    badEvery: BAD_EVERY,
  };
  return s;
}
