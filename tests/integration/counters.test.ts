import { marshall } from '@aws-sdk/util-dynamodb';
import { shanghaiDate } from '@mashang/shared';
import { onStream } from '../../functions/src/handlers/counters';
import { submit } from '../../functions/src/handlers/scan';
import { K } from '../../functions/src/data/keys';
import { call, loginAs, requestId, uniq } from '../support/api';
import { aDepartment, aWindow, getItem, ratingsEarlierThisHour } from '../support/builders';
import { StreamTap } from '../support/stream';

type CountEvent = Parameters<typeof onStream>[0];

const aGood = (code: string) => ({ requestId: requestId(), code, level: 5 });

/** A stream INSERT of a rating item as DynamoDB delivers it (sequence numbers are per shard, increasing). */
function ratingInsert(seq: number, image: { path: string; date: string; level: number; caseId?: string | null }) {
  return {
    eventName: 'INSERT',
    dynamodb: {
      SequenceNumber: String(1000000 + seq).padStart(21, '0'),
      NewImage: marshall({ type: 'rating', caseId: null, ...image }),
    },
  };
}
const deliver = (shardId: string, records: unknown[]) =>
  onStream({ Records: records, shardId } as unknown as CountEvent);

describe('day counters from the table stream (countersFromStream)', () => {
  test('when a batch of real ratings is delivered twice, then every rating is counted in every scope exactly once', async () => {
    const department = await aDepartment();
    const windows = [await aWindow({ department }), await aWindow({ department })];
    const tap = await new StreamTap().start();
    const levels = [5, 4, 1, 5];
    for (const [i, level] of levels.entries()) {
      const { token } = await loginAs(uniq('citizen-'));
      const body = {
        requestId: requestId(),
        code: windows[i % 2].code,
        level,
        ...(level < 3 ? { reasons: ['态度生硬'] } : {}),
      };
      expect((await call(submit, { token, body })).status).toBe(201);
    }
    const records = (await tap.read()).filter((r) => r.eventName === 'INSERT');
    const shardId = 'real-' + uniq();
    expect(records.length).toBeGreaterThanOrEqual(levels.length);

    await deliver(shardId, records);
    await deliver(shardId, records); // Lambda redelivers a batch whose function failed after its write
    await Promise.all([deliver(shardId, records), deliver(shardId, records)]); // and concurrently, after a timeout

    const date = shanghaiDate(new Date());
    const region = department.path.split('/').slice(0, 2).join('/');
    for (const path of [department.path, region]) {
      expect(await getItem(K.statDay(path, date))).toMatchObject({
        ratings: 4,
        l5: 2,
        l4: 1,
        l1: 1,
        good: 3,
        bad: 1,
        cases: 1,
      });
    }
    expect(await getItem(K.statDay(windows[0].window.path, date))).toMatchObject({ ratings: 2, l5: 1, l1: 1 });
    expect(await getItem(K.streamMark('counters', shardId))).toMatchObject({
      seq: records.at(-1)!.dynamodb!.SequenceNumber,
    });
  });

  test('when a redelivered batch overlaps the counted one, then only the new records are added', async () => {
    const root = uniq('t');
    const date = '2026-11-30';
    const shardId = uniq('shard-');
    const path = (w: number) => `${root}/r/d/w${w}`;
    const batch1 = [1, 2, 3].map((n) => ratingInsert(n, { path: path(n % 2), date, level: 5 }));
    const batch2 = [2, 3, 4, 5].map((n) => ratingInsert(n, { path: path(n % 2), date, level: n === 5 ? 1 : 4 }));

    await deliver(shardId, batch1);
    await deliver(shardId, batch2); // records 2 and 3 again, 4 and 5 new
    await deliver(shardId, batch1.slice(0, 1)); // an old record alone

    expect(await getItem(K.statDay(root, date))).toMatchObject({ ratings: 5, l5: 3, l4: 1, l1: 1, good: 4, bad: 1 });
    expect(await getItem(K.statDay(path(1), date))).toMatchObject({ ratings: 3 });
    expect(await getItem(K.statDay(path(0), date))).toMatchObject({ ratings: 2 });
  });

  test('when one batch touches more counter items than a transaction holds, then it is applied in slices, each moving the mark, and redelivery adds nothing', async () => {
    const root = uniq('t');
    const date = '2026-11-30';
    const shardId = uniq('shard-');
    // 70 windows in 70 departments: 70 + 70 + region + root = 142 counter items.
    const batch = Array.from({ length: 70 }, (_, n) =>
      ratingInsert(n + 1, { path: `${root}/r/d${n}/w${n}`, date, level: 3 }),
    );

    await deliver(shardId, batch);
    await deliver(shardId, batch);
    await deliver(shardId, batch.slice(35));

    expect(await getItem(K.statDay(root, date))).toMatchObject({ ratings: 70, l3: 70, good: 0, bad: 0 });
    expect(await getItem(K.statDay(`${root}/r`, date))).toMatchObject({ ratings: 70 });
    expect(await getItem(K.statDay(`${root}/r/d69`, date))).toMatchObject({ ratings: 1 });
    expect(await getItem(K.streamMark('counters', shardId))).toMatchObject({
      seq: batch.at(-1)!.dynamodb.SequenceNumber,
    });
  });

  test('when a 好评 over the hourly limit is stored and withdrawn, then its INSERT and REMOVE count nothing, delivered twice or not', async () => {
    const department = await aDepartment();
    const { window, code } = await aWindow({ department });
    const me = await loginAs(uniq('citizen-'));
    const counted = await aWindow({ department });
    await ratingsEarlierThisHour(me.userId, 30);
    const tap = await new StreamTap().start();
    const ok = await call(submit, { token: (await loginAs(uniq('citizen-'))).token, body: aGood(counted.code) });
    expect(ok.status).toBe(201);
    const refused = await call(submit, { token: me.token, body: aGood(code) });
    expect(refused.status).toBe(429);

    const records = (await tap.read()).filter((r) => ['INSERT', 'REMOVE'].includes(r.eventName!));
    const ofRefused = records.filter((r) => (r.dynamodb?.NewImage ?? r.dynamodb?.OldImage)?.windowId?.S === window.id);
    expect(ofRefused.map((r) => r.eventName)).toEqual(['INSERT', 'REMOVE']);
    const shardId = uniq('shard-');
    await deliver(shardId, records);
    await deliver(shardId, records);

    const date = shanghaiDate(new Date());
    expect((await getItem(K.statDay(window.path, date)))?.ratings ?? 0).toBe(0);
    expect(await getItem(K.statDay(department.path, date))).toMatchObject({ ratings: 1, l5: 1, good: 1 });
  });

  test('when the stream holds items of other types or MODIFY records, then nothing is counted for them', async () => {
    const root = uniq('t');
    const shardId = uniq('shard-');
    const other = {
      eventName: 'INSERT',
      dynamodb: {
        SequenceNumber: '000000000000001000001',
        NewImage: marshall({ type: 'event', path: `${root}/r`, date: '2026-11-30' }),
      },
    };
    const modify = { ...ratingInsert(2, { path: `${root}/r`, date: '2026-11-30', level: 5 }), eventName: 'MODIFY' };

    await deliver(shardId, [other, modify]);

    expect(await getItem(K.statDay(root, '2026-11-30'))).toBeUndefined();
  });
});
