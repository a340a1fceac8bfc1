import { randomUUID } from 'node:crypto';
import { allWindowCodes, login } from './api-load';
import { functionDefs, log, ms, percentile, section, type SectionResult } from './common';
import type { System } from './system';

const CASES = Number(process.env.BENCH_ALERT_CASES ?? 20);
const WAIT_MS = 15000;

interface Delivered {
  recipient: string;
  template: string;
  data: unknown;
  time: string;
}

async function delivered(system: System): Promise<(Delivered & { channel: string })[]> {
  const [w, s] = await Promise.all(
    ['wechat', 'sms'].map(async (ch) =>
      ((await (await fetch(`${system.standinBase}/__dev/${ch}/messages`)).json()) as Delivered[]).map((m) => ({
        ...m,
        channel: ch,
      })),
    ),
  );
  return [...w, ...s];
}

/**
 * From a 差评's 201 to the stand-in receiving the first alert of its case (the stand-in stamps each delivery), over
 * the running system: serverless-offline, its DynamoDB stream poller and the alert function, as `npm start` runs them.
 */
export async function alertLatency(system: System): Promise<SectionResult> {
  const s = section(
    'alerts',
    `5. Alert latency: 差评 201 → first WeChat/SMS message for its case at the stand-in, ${CASES} cases, one at a time`,
  );
  const streamFn = functionDefs().find((f) => f.stream);
  if (!streamFn) {
    s.status = 'not available yet';
    s.notes.push('serverless.yml declares no stream-triggered function yet (alerts land with the case workflow).');
    return s;
  }
  const run = Date.now().toString(36);
  const windows = await allWindowCodes(system.apiBase);
  const tokens: string[] = [];
  for (let i = 0; i < CASES; i++) tokens.push(await login(system.apiBase, `bench-alert-${run}-${i}`));

  // One 差评 first, waited for up to a minute: it warms the stream function and proves the pipeline is idle (a stream
  // backlog from earlier load would otherwise be measured as latency).
  const warmToken = await login(system.apiBase, `bench-alert-${run}-warm`);
  const warm = await fetch(`${system.apiBase}/v1/ratings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${warmToken}` },
    body: JSON.stringify({
      requestId: `bench-${randomUUID()}`,
      code: windows[windows.length - 1 - CASES].code,
      level: 1,
      reasons: ['办事效率低'],
    }),
  });
  const warmCase = ((await warm.json()) as { caseId?: string }).caseId;
  const warmStart = Date.now();
  let warmMs: number | undefined;
  while (warmCase && Date.now() - warmStart < 60000) {
    if ((await delivered(system)).some((m) => JSON.stringify(m.data).includes(warmCase))) {
      warmMs = Date.now() - warmStart;
      break;
    }
    await new Promise((res) => setTimeout(res, 100));
  }
  if (warmMs === undefined) {
    s.status = 'failed';
    s.notes.push(
      `!!! the warm-up 差评 (${warm.status}, case ${warmCase ?? 'none'}) got no alert within 60 s: no stream function running, or a stream backlog !!!`,
    );
    return s;
  }
  log(`alert warm-up: first alert after ${warmMs} ms`);

  const first: number[] = [];
  const caseIds: { caseId: string; t201: number }[] = [];
  let missing = 0;
  for (let i = 0; i < CASES; i++) {
    const w = windows[windows.length - 1 - (i % windows.length)];
    const r = await fetch(`${system.apiBase}/v1/ratings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[i]}` },
      body: JSON.stringify({ requestId: `bench-${randomUUID()}`, code: w.code, level: 1, reasons: ['办事效率低'] }),
    });
    const t201 = Date.now();
    const body = (await r.json()) as { caseId?: string };
    if (r.status !== 201 || !body.caseId) throw new Error(`差评 → ${r.status} ${JSON.stringify(body)}`);
    caseIds.push({ caseId: body.caseId, t201 });
    let found: number | undefined;
    while (Date.now() - t201 < WAIT_MS) {
      const hit = (await delivered(system)).filter((m) => JSON.stringify(m.data).includes(body.caseId!));
      if (hit.length) {
        found = Math.min(...hit.map((m) => Date.parse(m.time))) - t201;
        break;
      }
      await new Promise((res) => setTimeout(res, 25));
    }
    if (found === undefined) missing++;
    else first.push(found);
    log(`alert ${i + 1}/${CASES}: ${found === undefined ? 'none' : `${found} ms`}`);
  }
  // Every alert of every case: wait until deliveries settle, then read the stand-in once.
  await new Promise((res) => setTimeout(res, 3000));
  const all = await delivered(system);
  const last: number[] = [];
  const perCase: number[] = [];
  for (const c of caseIds) {
    const hit = all.filter((m) => JSON.stringify(m.data).includes(c.caseId));
    if (hit.length) {
      last.push(Math.max(...hit.map((m) => Date.parse(m.time))) - c.t201);
      perCase.push(hit.length);
    }
  }
  first.sort((a, b) => a - b);
  last.sort((a, b) => a - b);
  const channels = new Map<string, number>();
  for (const m of all.filter((m) => caseIds.some((c) => JSON.stringify(m.data).includes(c.caseId))))
    channels.set(m.channel, (channels.get(m.channel) ?? 0) + 1);
  s.rows.push(
    {
      measure: 'first alert of the case, p50',
      value: first.length ? ms(percentile(first, 50)) : 'none',
      floor: 'stream poll 100 ms',
      note: 'the alert poller: serverless.yml custom.offlineStreamReadInterval',
    },
    { measure: 'first alert of the case, p95', value: first.length ? ms(percentile(first, 95)) : 'none' },
    {
      measure: 'last alert of the case, p50 / p95',
      value: last.length ? `${ms(percentile(last, 50))} / ${ms(percentile(last, 95))}` : 'none',
      note: `${median(perCase)} recipients per case; ${[...channels].map(([k, v]) => `${k} ${v}`).join(', ')}`,
    },
    {
      measure: 'cases without any alert within 15 s',
      value: missing === 0 ? `0 of ${CASES}` : `!!! ${missing} of ${CASES} !!!`,
    },
  );
  if (missing) s.status = 'failed';
  s.notes.push(
    "Local figure: the alert function's poller reads the stream every 100 ms and waits as long again before it hands a batch over (serverless.yml custom.offlineStreamReadInterval, dev/offline-stream-polling.js): ≈ 150 ms on average, no less than on AWS, where Lambda polls a DynamoDB stream shard about four times a second (≈ 125 ms). The stand-in answers at once; WeChat adds its own delivery time.",
  );
  s.data = {
    firstMs: first,
    lastMs: last,
    recipientsPerCase: perCase,
    missing,
    channels: Object.fromEntries(channels),
  };
  return s;
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : 0;
}

/**
 * Alert latency while another load runs: a 差评 every `everyMs` from a fresh citizen (tokens given), each timed from
 * its 201 to the stand-in's stamp on the first message carrying its case number; stops when `done()` turns true.
 */
export async function alertProbe(
  system: System,
  windows: { code: string }[],
  tokens: string[],
  done: () => boolean,
  everyMs = 1500,
): Promise<{ firstMs: number[]; missing: number; failed: string[]; sent: number }> {
  const firstMs: number[] = [];
  const failed: string[] = [];
  let missing = 0;
  let sent = 0;
  const pending: Promise<void>[] = [];
  for (let i = 0; i < tokens.length && !done(); i++) {
    const w = windows[windows.length - 1 - CASES - 2 - i];
    sent++;
    pending.push(
      (async () => {
        const r = await fetch(`${system.apiBase}/v1/ratings`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[i]}` },
          body: JSON.stringify({ requestId: `bench-${randomUUID()}`, code: w.code, level: 1, reasons: ['办事效率低'] }),
        });
        const t201 = Date.now();
        const body = (await r.json().catch(() => ({}))) as { caseId?: string };
        if (r.status !== 201 || !body.caseId) {
          failed.push(`${r.status}`);
          return;
        }
        while (Date.now() - t201 < WAIT_MS) {
          const hit = (await delivered(system)).filter((m) => JSON.stringify(m.data).includes(body.caseId!));
          if (hit.length) {
            firstMs.push(Math.min(...hit.map((m) => Date.parse(m.time))) - t201);
            return;
          }
          await new Promise((res) => setTimeout(res, 100));
        }
        missing++;
      })(),
    );
    await new Promise((res) => setTimeout(res, everyMs));
  }
  await Promise.all(pending);
  return { firstMs: firstMs.sort((a, b) => a - b), missing, failed, sent };
}
