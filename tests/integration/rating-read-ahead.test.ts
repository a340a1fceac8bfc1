import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { scanAndRate } from '../../functions/src/handlers/scan';
import { forgetReadAheads, READ_AHEAD_TTL_SECONDS } from '../../functions/src/domain/rating-limit';
import { forgetResolvedCodes } from '../../functions/src/domain/codes';
import { call, loginAs, requestId, uniq, type Res } from '../support/api';
import { aWindow, ratingsEarlierThisHour, ratingsOfWindow } from '../support/builders';

/** The scan-and-rate function as API Gateway invokes it: one function, its route picked by the route key. */
const route =
  (routeKey: string) =>
  (e: APIGatewayProxyEventV2): ReturnType<typeof scanAndRate> =>
    scanAndRate({ ...e, routeKey });
const lookup = route('GET /v1/codes/{code}');
const rate = route('POST /v1/ratings');

/** Every DynamoDB command sent while `fn` runs, by name. */
async function commandsOf(fn: () => Promise<unknown>): Promise<string[]> {
  const { db } = await import('../../functions/src/data/client');
  const seen: string[] = [];
  const name = 'readAheadCommands';
  db().middlewareStack.add((next, ctx) => async (args) => (seen.push(String(ctx.commandName)), next(args)), {
    step: 'initialize',
    name,
  });
  try {
    await fn();
  } finally {
    db().middlewareStack.remove(name);
  }
  return seen;
}

/**
 * The rate page's signed-in lookup reads the caller's ratings of the last hour ahead, in the function that then takes
 * the rating (domain/rating-limit): the 好评 after it is its PutItem alone.
 */
describe('the scan and the rating in one function: the hourly count read ahead', () => {
  beforeEach(() => {
    forgetReadAheads();
    forgetResolvedCodes();
  });

  test('when a citizen looks a window up signed in and then rates it, then the rating sends one PutItem and nothing else', async () => {
    const { code, window: w } = await aWindow();
    const { token } = await loginAs(uniq('citizen-'));

    const looked = await commandsOf(() => call(lookup, { token, params: { code } }));
    let res: Res | undefined;
    const rated = await commandsOf(async () => {
      res = await call(rate, { token, body: { requestId: requestId(), code, level: 5 } });
    });

    expect(looked.filter((c) => c === 'QueryCommand')).toHaveLength(1); // the read ahead, beside the 一次一评 GetItem
    expect(res!.status).toBe(201);
    expect(rated).toEqual(['PutItemCommand']); // the low-level command: its condition failure returns the item
    expect(await ratingsOfWindow(w.id)).toHaveLength(1);
    // Used once: the next rating (another window, no new lookup) reads the count itself.
    const other = await aWindow();
    const next = await commandsOf(() =>
      call(rate, { token, body: { requestId: requestId(), code: other.code, level: 4 } }),
    );
    expect(next).toContain('QueryCommand');
  });

  test('when the count read ahead already reaches the limit, then the rating is refused before anything is stored', async () => {
    const { code, window: w } = await aWindow();
    const me = await loginAs(uniq('citizen-'));
    await ratingsEarlierThisHour(me.userId, 30);
    await call(lookup, { token: me.token, params: { code } });

    let res: Res | undefined;
    const rated = await commandsOf(async () => {
      res = await call(rate, { token: me.token, body: { requestId: requestId(), code, level: 5 } });
    });

    expect(res!.status).toBe(429);
    expect(res!.body.error.code).toBe('RATE_LIMITED');
    expect(rated).toEqual([]);
    expect(await ratingsOfWindow(w.id)).toHaveLength(0);
  });

  test('when the rating comes after the read ahead has expired, then it reads the count again', async () => {
    const { code } = await aWindow();
    const me = await loginAs(uniq('citizen-'));
    await call(lookup, { token: me.token, params: { code } });
    const { takeReadAhead } = await import('../../functions/src/domain/rating-limit');

    expect(takeReadAhead(me.userId, new Date(Date.now() + READ_AHEAD_TTL_SECONDS * 1000 + 1))).toBeUndefined();
    const rated = await commandsOf(() =>
      call(rate, { token: me.token, body: { requestId: requestId(), code, level: 5 } }),
    );
    expect(rated).toContain('QueryCommand');
  });

  test('when a route the function does not serve reaches it, then it answers NOT_FOUND', async () => {
    const res = await call(route('GET /v1/me/ratings'), {});
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});
