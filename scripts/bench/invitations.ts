import { randomUUID } from 'node:crypto';
import type { DbRequestRecord } from './meter';
import { signRequest } from '../../dev/machine-client';
import { log, median, ms, percentile, routeFunction, section, type SectionResult } from './common';
import { PRICES, summarizeCost, type Cost } from './cost';
import { BENCH_SMS_RATE, inProcess, invoke, loadHandler } from './inproc';
import type { System } from './system';
import type { BenchTable } from './table';

/** How many services the section reports, and in what batches (issue 13: 10 000 in batches of 500). */
const SERVICES = Number(process.env.BENCH_SERVICES ?? 10000);
const BATCH = 500;

/**
 * 一事一评 throughput and cost: a department's system posts SERVICES completed services in signed batches of 500
 * (POST /v1/services, the production handler in this process), then the schedule's sender sends their SMS through
 * the Tencent Cloud SMS stand-in with the provider's rate limit configured on both sides, then the receipts are
 * pulled. Every DynamoDB request is metered (scripts/bench/meter.ts), so the cost per invitation is what the code did.
 */
export async function invitationThroughput(system: System, bench: BenchTable): Promise<SectionResult> {
  const s = section(
    'invitations',
    `7. 一事一评: ${SERVICES.toLocaleString('en')} services in batches of ${BATCH}, their SMS (provider limit ${BENCH_SMS_RATE}/s), receipts`,
  );
  const { standinBase } = await inProcess(system, bench);
  const { instrumentDb } = await import('./meter');
  let active: DbRequestRecord[] | undefined;
  const unhook = instrumentDb((r) => active?.push(r));
  const metered = async <T>(fn: () => Promise<T>) => {
    const reqs: DbRequestRecord[] = [];
    active = reqs;
    const t0 = process.hrtime.bigint();
    try {
      const value = await fn();
      return { value, reqs, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
    } finally {
      active = undefined;
    }
  };
  try {
    const login = await loadHandler(routeFunction('POST', '/v1/auth/wechat'));
    const windowsRoute = await loadHandler(routeFunction('GET', '/v1/windows'));
    const createKey = await loadHandler(routeFunction('POST', '/v1/api-keys'));
    const services = await loadHandler(routeFunction('POST', '/v1/services'));
    if (!login || !windowsRoute || !createKey || !services) {
      s.status = 'not available yet';
      s.notes.push('needs POST /v1/auth/wechat, GET /v1/windows, POST /v1/api-keys and POST /v1/services');
      return s;
    }
    const { sendDueInvitations, pullReceiptsAndReplies } =
      await import('../../functions/src/domain/invitation-sending');

    const operator = (await invoke(login, { body: { code: 'demo-operator' } })).body.token as string;
    const windows: { id: string; department: { id: string } }[] = (
      await invoke(windowsRoute, { token: operator, query: { limit: '100' } })
    ).body.items;
    // The department with the most windows among the first 100: its key reports services of all of them.
    const byDept = new Map<string, string[]>();
    for (const w of windows) byDept.set(w.department.id, [...(byDept.get(w.department.id) ?? []), w.id]);
    const [departmentId, deptWindows] = [...byDept].sort((a, b) => b[1].length - a[1].length)[0];
    const key = await invoke(createKey, {
      token: operator,
      body: { requestId: `bench-${randomUUID()}`, departmentId, name: 'bench 青松办' },
    });
    if (key.status !== 201) throw new Error(`api key: ${key.status} ${JSON.stringify(key.body)}`);

    const cfg = await fetch(`${standinBase}/__dev/sms/config`, {
      method: 'POST',
      body: JSON.stringify({ ratePerSecond: BENCH_SMS_RATE }),
    });
    if (!cfg.ok) throw new Error(`stand-in rate limit: ${cfg.status}`);

    // 1. Post the services.
    log(`invitations: posting ${SERVICES} services in batches of ${BATCH} ...`);
    const run = Date.now().toString(36);
    const matters = ['营业执照办理', '社保卡补办', '不动产登记', '医保报销', '食品经营许可', '居住证办理'];
    const batchMs: number[] = [];
    const postReqs: DbRequestRecord[] = [];
    let accepted = 0;
    const postStart = Date.now();
    for (let b = 0; b * BATCH < SERVICES; b++) {
      const rows = Array.from({ length: Math.min(BATCH, SERVICES - b * BATCH) }, (_, j) => {
        const i = b * BATCH + j;
        return {
          serviceId: `BENCH-${run}-${i}`,
          windowId: deptWindows[i % deptWindows.length],
          matter: matters[i % matters.length],
          completedAt: new Date(Date.now() - 30 * 60000).toISOString(),
          phone: `139${String(i).padStart(8, '0')}`,
        };
      });
      const raw = JSON.stringify({ services: rows });
      const signed = signRequest(key.body, 'POST', '/v1/services', raw);
      const m = await metered(() =>
        invoke(services, {
          method: 'POST',
          path: '/v1/services',
          rawBody: raw,
          headers: { authorization: signed.authorization },
        }),
      );
      if (m.value.status !== 200) throw new Error(`batch ${b}: ${m.value.status} ${JSON.stringify(m.value.body)}`);
      accepted += m.value.body.accepted;
      batchMs.push(m.ms);
      if ((b + 1) % 5 === 0) log(`invitations: ${(b + 1) * BATCH} posted`);
      postReqs.push(...m.reqs);
    }
    const postWall = Date.now() - postStart;
    if (accepted !== SERVICES) throw new Error(`accepted ${accepted} of ${SERVICES}`);
    const batches = batchMs.length;
    const postCost = summarizeCost(
      postReqs,
      batchMs.reduce((a, b) => a + b, 0),
      batches,
    );

    // 2. Send their SMS as the schedule does (every minute, 45 s budget, a few senders at once).
    log(`invitations: sending ${SERVICES} SMS ...`);
    const sendReqs: DbRequestRecord[] = [];
    const counts: Record<string, number> = {};
    let invocations = 0;
    let sendMs = 0;
    const sendStart = Date.now();
    for (let i = 0; i < 100; i++) {
      const m = await metered(() => sendDueInvitations(() => new Date()));
      invocations++;
      sendMs += m.ms;
      sendReqs.push(...m.reqs);
      const n = Object.values(m.value).reduce((a, b) => a + b, 0);
      for (const [k, v] of Object.entries(m.value)) counts[k] = (counts[k] ?? 0) + v;
      log(`invitations: ${JSON.stringify(counts)} after ${((Date.now() - sendStart) / 1000).toFixed(0)} s`);
      if (n === 0) break;
    }
    const sendWall = Date.now() - sendStart;
    const sendCost = summarizeCost(sendReqs, sendMs, invocations);
    const stats = (await (await fetch(`${standinBase}/__dev/sms/stats`)).json()) as {
      sent: number;
      rateLimited: number;
    };

    // 3. Pull the receipts (each SMS's 状态报告) as the receipts schedule does.
    log('invitations: pulling receipts ...');
    const receiptReqs: DbRequestRecord[] = [];
    let delivered = 0;
    let receiptMs = 0;
    let receiptCalls = 0;
    const receiptStart = Date.now();
    for (let i = 0; i < 100; i++) {
      const m = await metered(() => pullReceiptsAndReplies());
      receiptCalls++;
      receiptMs += m.ms;
      receiptReqs.push(...m.reqs);
      delivered += m.value.delivered;
      if (m.value.receipts === 0) break;
    }
    const receiptWall = Date.now() - receiptStart;
    const receiptCost = summarizeCost(receiptReqs, receiptMs, receiptCalls);

    const sent = counts.sent ?? 0;
    const sorted = [...batchMs].sort((a, b) => a - b);
    const fmt = (c: Cost, per: number, what: string) =>
      `${(c.requests / per).toFixed(2)} req, ${(c.rcu / per).toFixed(2)} RCU, ${(c.wcu / per).toFixed(2)} WCU per ${what}`;
    s.rows.push(
      {
        measure: `post ${SERVICES.toLocaleString('en')} services (${batches} signed batches of ${BATCH})`,
        value: `${(postWall / 1000).toFixed(1)} s, ${((SERVICES / postWall) * 1000).toFixed(0)} services/s`,
        note: `batch p50 ${ms(median(batchMs))}, p95 ${ms(percentile(sorted, 95))}; all ${accepted} accepted`,
      },
      {
        measure: '  DynamoDB per batch of 500',
        value: `${(postCost.requests / batches).toFixed(0)} req (${postCost.breakdown.replace(/×(\d+)/g, (_, n) => `×${(Number(n) / batches).toFixed(1)}`)}); ${(postCost.rcu / batches).toFixed(1)} RCU, ${(postCost.wcu / batches).toFixed(0)} WCU`,
        note: fmt(postCost, SERVICES, 'service'),
      },
      {
        measure: `send their SMS (provider limit ${BENCH_SMS_RATE}/s on the stand-in and SMS_RATE_PER_SECOND)`,
        value: `${(sendWall / 1000).toFixed(1)} s, ${((sent / sendWall) * 1000).toFixed(1)} SMS/s (${(((sent / sendWall) * 1000 * 100) / BENCH_SMS_RATE).toFixed(0)}% of the limit)`,
        note: `${sent} sent${Object.entries(counts)
          .filter(([k]) => k !== 'sent')
          .map(([k, v]) => `, ${v} ${k}`)
          .join(
            '',
          )}; ${invocations} schedule run(s); the provider refused ${stats.rateLimited} request(s) for its rate limit`,
      },
      {
        measure: '  DynamoDB per invitation sent',
        value: fmt(sendCost, Math.max(1, sent), 'invitation'),
        note: sendCost.breakdown,
      },
      {
        measure: 'delivery receipts (PullSmsSendStatus, 100 per call)',
        value: `${(receiptWall / 1000).toFixed(1)} s for ${delivered} delivered`,
        note: `${fmt(receiptCost, Math.max(1, delivered), 'receipt')}; ${receiptCost.breakdown}`,
      },
    );
    const perInvitation = {
      rcu: (postCost.rcu + sendCost.rcu + receiptCost.rcu) / SERVICES,
      wcu: (postCost.wcu + sendCost.wcu + receiptCost.wcu) / SERVICES,
      requests: (postCost.requests + sendCost.requests + receiptCost.requests) / SERVICES,
      lambdaMs: (postCost.lambdaMs + sendCost.lambdaMs + receiptCost.lambdaMs) / SERVICES,
      invocations: (batches + invocations + receiptCalls) / SERVICES,
    };
    const dynamo = perInvitation.wcu * PRICES.dynamoWriteRequestUnit + perInvitation.rcu * PRICES.dynamoReadRequestUnit;
    const lambda =
      perInvitation.invocations * PRICES.lambdaRequest + (perInvitation.lambdaMs / 1000) * 0.5 * PRICES.lambdaGbSecond;
    const api = (batches / SERVICES) * PRICES.httpApiRequest;
    const M = 1e6;
    s.rows.push(
      {
        measure: 'DynamoDB per invitation (report + send + receipt)',
        value: `${perInvitation.requests.toFixed(2)} req, ${perInvitation.rcu.toFixed(2)} RCU, ${perInvitation.wcu.toFixed(2)} WCU`,
      },
      {
        measure: '$ per million invitations',
        value: `$${((dynamo + lambda + api) * M).toFixed(2)} (DynamoDB $${(dynamo * M).toFixed(2)}, Lambda $${(lambda * M).toFixed(2)}, HTTP API $${(api * M).toFixed(2)})`,
        note: 'SMS provider fees not included (Tencent Cloud SMS bills per message)',
      },
    );
    s.notes.push(
      `The production handlers and use cases in this process against the bench's own table (demo data seeded, stream on) in the system's DynamoDB Local and a WeChat/SMS stand-in of the bench's own; the phones are ${SERVICES} distinct numbers, so no per-phone cap applies. Sending is the schedule's sendDueInvitations (45 s budget, min(8, limit) senders) called until nothing is due; its time is wall time on this machine, so the Lambda figure is an upper bound.`,
      `Capacity units as in section 4 (transactions recomputed as AWS bills them). Prices: ${PRICES.region}. BENCH_SERVICES and BENCH_SMS_RATE change the size and the limit.`,
    );
    s.data = {
      services: SERVICES,
      batch: BATCH,
      rateLimit: BENCH_SMS_RATE,
      postWallMs: postWall,
      batchMs,
      sendWallMs: sendWall,
      counts,
      providerRefusals: stats.rateLimited,
      receiptWallMs: receiptWall,
      delivered,
      cost: { post: postCost, send: sendCost, receipts: receiptCost, perInvitation },
      perMillionUsd: { dynamo: dynamo * M, lambda: lambda * M, api: api * M },
    };
    return s;
  } finally {
    unhook();
  }
}
