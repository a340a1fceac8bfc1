import { db } from '../../functions/src/data/client';
import { queryPartition } from '../../functions/src/data/table';
import { onStream } from '../../functions/src/handlers/alerts';
import { standinOpenid } from '../../dev/standin/identity';
import { aBadRating, aScene } from '../support/flows';
import { smsMessages, wechatMessages } from '../support/standin';
import { StreamTap } from '../support/stream';

/**
 * How many DynamoDB requests a case event's alerts make, and how many of them come one after another before the
 * first message leaves (issue 9: under load every DynamoDB Local request is slow, so that depth is the latency).
 */
interface DbRequest {
  command: string;
  key: string;
  /** Wall clock, to compare with the stand-in's stamp on a message. */
  startedAt: number;
  /** Monotonic, to tell which requests ran one after another. */
  start: number;
  end: number;
}

/** Every DynamoDB request this process makes until the returned function is called, with its start and end. */
function recordDbRequests(requests: DbRequest[]): () => void {
  const name = 'alert-request-recorder';
  db().middlewareStack.add(
    (next, context) => async (args: any) => {
      const input = args.input ?? {};
      const r: DbRequest = {
        command: (context.commandName ?? 'unknown').replace(/Command$/, ''),
        key: input.Key
          ? `${input.Key.pk} ${input.Key.sk}`
          : (input.IndexName ?? (input.RequestItems ? 'batch' : input.TransactItems ? 'transaction' : '')),
        startedAt: Date.now(),
        start: performance.now(),
        end: Infinity,
      };
      requests.push(r);
      try {
        return await next(args);
      } finally {
        r.end = performance.now();
      }
    },
    { step: 'initialize', name, priority: 'high', override: true },
  );
  return () => {
    db().middlewareStack.remove(name);
  };
}

/** The longest chain of requests each started after the one before it had ended. */
function sequentialDepth(requests: DbRequest[]): number {
  const depth = new Map<DbRequest, number>();
  for (const r of [...requests].sort((a, b) => a.start - b.start)) {
    const before = requests.filter((q) => q.end <= r.start).map((q) => depth.get(q) ?? 1);
    depth.set(r, 1 + Math.max(0, ...before));
  }
  return Math.max(0, ...depth.values());
}

describe('DynamoDB requests of a case event’s alerts', () => {
  test('when a 差评 opens a case, then its first alert leaves after three requests in a row (the grant queries, one BatchGet of the officials, the create-and-claim of the alert), and the event makes no other reads', async () => {
    const scene = await aScene();
    const tap = await new StreamTap().start();
    const caseId = await aBadRating(scene);
    const records = await tap.read();

    const requests: DbRequest[] = [];
    const stop = recordDbRequests(requests);
    let result;
    try {
      result = await onStream({ Records: records } as any);
    } finally {
      stop();
    }

    expect(result.batchItemFailures).toEqual([]);
    const wechat = await wechatMessages(caseId);
    // The scene's department handler and county inspector (both subscribed); prefecture inspectors other test files
    // made hear of it too, by WeChat, SMS, or a failed alert if they have neither.
    expect(wechat.map((m) => m.recipient)).toEqual(
      expect.arrayContaining([standinOpenid(scene.handler.loginCode), standinOpenid(scene.countyInspector.loginCode)]),
    );
    const alerts = await queryPartition(`CASE#${caseId}`, { skPrefix: 'ALERT#' });
    const n = alerts.length;
    // The stand-in stamps each message as it arrives; a request that started before the first stamp came before it.
    const firstSend = Math.min(...[...wechat, ...(await smsMessages(caseId))].map((m) => Date.parse(m.time)));
    const shown = requests.map((r) => `${r.command} ${r.key}`).join('\n');
    // An alert that fails at once (a recipient with neither consent nor phone) is settled without a message: its
    // settling is no step towards the first message, even if it comes before it.
    const failedAt = new Set(alerts.filter((a) => a.status === 'failed').map((a) => `CASE#${caseId} ${a.sk}`));
    const settledFailed = (r: DbRequest) =>
      failedAt.has(r.key) && requests.some((q) => q.key === r.key && q.start < r.start);
    const beforeSend = requests.filter((r) => r.startedAt < firstSend && !settledFailed(r));
    // Before the first message: three grant queries (prefecture, county, department) at once, one BatchGet of their
    // officials, then each recipient's alert created and claimed in one UpdateItem — three deep.
    expect({ depth: sequentialDepth(beforeSend), requests: shown }).toEqual({ depth: 3, requests: shown });
    expect(beforeSend.map((r) => r.command).sort()).toEqual(
      [...Array(n).fill('UpdateItem'), 'BatchGetItem', 'Query', 'Query', 'Query'].sort(),
    );
    // In all: the same, plus each alert settled as sent. No recipient is read again (no GetItem), nothing is Put.
    expect(requests.map((r) => r.command).sort()).toEqual(
      [...Array(2 * n).fill('UpdateItem'), 'BatchGetItem', 'Query', 'Query', 'Query'].sort(),
    );
  });
});
