import { submitRating } from '../../functions/src/domain/ratings';
import { countersOfInsert } from '../../functions/src/domain/counters';
import { FakeRatingPorts } from '../support/fakes';

const NOW = new Date('2026-03-02T02:00:00.000Z');
const citizen = { userId: 'u-citizen', grants: [] };
const PHONE = '13812345678';
const bad = {
  requestId: 'req-rate-0001',
  code: 'wUnit0001.signature000',
  level: 1,
  reasons: ['办事效率低'],
  comment: '等了两个小时',
  phone: PHONE,
};

describe('submitting a rating (submitRating on in-memory ports)', () => {
  test('when a 差评 is submitted, then the rating, its rater and the case it opens are stored in one write, and the stream counts it', async () => {
    const ports = new FakeRatingPorts();
    const r = await submitRating(citizen, bad, NOW, ports);
    expect(ports.ratings).toHaveLength(1);
    expect(ports.ratings[0]).toMatchObject({
      level: 1,
      reasons: ['办事效率低'],
      comment: '等了两个小时',
      windowId: 'w-unit',
      date: '2026-03-02',
      caseId: r.caseId,
    });
    expect(r).toEqual({
      rating: { id: ports.ratings[0].id, level: 1, createdAt: NOW.toISOString() },
      caseId: expect.stringMatching(/^20260302-[0-9A-Z]{6}$/),
    });
    expect(ports.writes).toBe(1);
    // The day counters follow from the stored item on the table's stream (domain/stream-counters).
    expect(countersOfInsert({ type: 'rating', ...ports.ratings[0] })).toEqual([
      {
        path: 'haibei/r-unit/d-unit/w-unit',
        date: '2026-03-02',
        add: { ratings: 1, l1: 1, good: 0, bad: 1, cases: 1 },
      },
    ]);
    expect(ports.openings).toHaveLength(1);
    const o = ports.openings[0];
    expect(o.case).toMatchObject({
      id: r.caseId,
      source: 'rating',
      status: 'open',
      bucket: 'open',
      hasContact: true,
      summary: '办事效率低：等了两个小时',
      ratingId: r.rating.id,
      level: 1,
    });
    expect(o.case.callbackDueAt).toBe('2026-03-03T15:59:59.000Z');
    expect(o.event).toMatchObject({ caseId: r.caseId, kind: 'opened', at: NOW.toISOString() });
    expect(o.due).toMatchObject({ kind: 'callback', dueAt: '2026-03-03T15:59:59.000Z' });
    // The phone is stored only encrypted, for the rater and the case owner alike.
    expect(ports.raters[0].phone).toMatch(/^v2\.u1\./);
    expect(o.owner.phone).toMatch(/^v2\.u1\./);
    expect(JSON.stringify([ports.raters, o])).not.toContain(PHONE);
  });

  test('when a 好评 is submitted, then no case is opened and it counts as good', async () => {
    const ports = new FakeRatingPorts();
    const r = await submitRating(
      citizen,
      { requestId: 'req-rate-0002', code: 'wUnit0001.signature000', level: 5 },
      NOW,
      ports,
    );
    expect(r.caseId).toBeNull();
    expect(ports.openings).toHaveLength(0);
    expect(countersOfInsert({ type: 'rating', ...ports.ratings[0] })).toEqual([
      { path: 'haibei/r-unit/d-unit/w-unit', date: '2026-03-02', add: { ratings: 1, l5: 1, good: 1, bad: 0 } },
    ]);
  });

  test('when the same request comes again, then it gets the first answer and nothing more is stored', async () => {
    const ports = new FakeRatingPorts();
    const first = await submitRating(citizen, bad, NOW, ports);
    const again = await submitRating(citizen, bad, new Date(NOW.getTime() + 5000), ports);
    expect(again).toEqual(first);
    expect(ports.ratings).toHaveLength(1);
    // No read before the write: the retry's conditional write finds the first one's item and is answered from it.
    expect(ports.writes).toBe(2);
  });

  test('when the request record is kept, then it holds a keyed fingerprint, never the phone or a bare hash of it', async () => {
    const ports = new FakeRatingPorts();
    const r = await submitRating(citizen, bad, NOW, ports);
    const [record] = [...ports.stored.values()];
    expect(record).toMatchObject({
      requestId: 'req-rate-0001',
      response: r,
      fingerprint: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    expect(JSON.stringify(record)).not.toContain('u-citizen');
    expect(JSON.stringify(record)).not.toContain(PHONE);
    const { createHash } = await import('node:crypto');
    const bare = createHash('sha256').update(JSON.stringify(bad)).digest('hex');
    expect(record.fingerprint).not.toBe(bare);
  });

  test('when a requestId is reused with another body, then it is refused and nothing more is stored', async () => {
    const ports = new FakeRatingPorts();
    await submitRating(citizen, bad, NOW, ports);
    await expect(submitRating(citizen, { ...bad, comment: '另一条' }, NOW, ports)).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
    expect(ports.ratings).toHaveLength(1);
  });

  test('when the window was already rated today, then the rating is refused and nothing is stored', async () => {
    const ports = new FakeRatingPorts();
    await submitRating(citizen, bad, NOW, ports);
    await expect(submitRating(citizen, { ...bad, requestId: 'req-rate-0003' }, NOW, ports)).rejects.toMatchObject({
      code: 'ALREADY_RATED_TODAY',
    });
    expect(ports.ratings).toHaveLength(1);
    expect(ports.stored.size).toBe(1);
    // The rating id is derived from (user, window, day), whatever the store.
    const other = new FakeRatingPorts({ ...ports.window });
    expect(ports.ratings[0].id).toBe((await submitRating(citizen, bad, NOW, other)).rating.id);
  });

  test('when concurrent writes conflict (the case gauges), then the write is retried and stored once, limits checked once', async () => {
    const ports = new FakeRatingPorts();
    ports.conflicts = 2;
    const r = await submitRating(citizen, bad, NOW, ports);
    expect(ports.ratings.map((x) => x.id)).toEqual([r.rating.id]);
    expect(ports.hits).toBe(1);
    expect(ports.safeTextChecks).toEqual(['等了两个小时']);
  });

  test('when a 好评 finds the hourly limit already reached beside its write, then the rating it stored is withdrawn and the caller is RATE_LIMITED', async () => {
    const ports = new FakeRatingPorts();
    ports.earlierThisHour = Array.from({ length: 30 }, (_, i) => `earlier-${i}`);
    const good = { requestId: 'req-rate-0100', code: bad.code, level: 5 };
    await expect(submitRating(citizen, good, NOW, ports)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      message: '操作过于频繁，请稍后再试',
    });
    // One Put (beside the limit's Query), then taken back: nothing stays.
    expect(ports.writes).toBe(1);
    expect(ports.withdrawn).toHaveLength(1);
    expect(ports.ratings).toHaveLength(0);
    expect(ports.stored.size).toBe(0);
  });

  test('when a 差评 finds the hourly limit reached, then it is refused before anything is written (no case opens)', async () => {
    const ports = new FakeRatingPorts();
    ports.earlierThisHour = Array.from({ length: 30 }, (_, i) => `earlier-${i}`);
    await expect(submitRating(citizen, bad, NOW, ports)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(ports.writes).toBe(0);
    expect(ports.openings).toHaveLength(0);
  });

  test('when the lookup read the hourly count ahead, then a 好评 is one write with no Query, and the next rating reads its own', async () => {
    const ports = new FakeRatingPorts();
    ports.readAhead = Array.from({ length: 29 }, (_, i) => `earlier-${i}`);
    const good = { requestId: 'req-rate-0110', code: bad.code, level: 5 };
    await submitRating(citizen, good, NOW, ports);
    expect(ports.hits).toBe(0);
    expect(ports.writes).toBe(1);
    expect(ports.ratings).toHaveLength(1);
    // Taken once: the caller's next rating (another window, no new lookup) is counted by its own Query.
    const elsewhere = new FakeRatingPorts({ ...ports.window, id: 'w-other' });
    elsewhere.earlierThisHour = Array.from({ length: 30 }, (_, i) => `earlier-${i}`);
    await expect(submitRating(citizen, { ...good, requestId: 'req-rate-0111' }, NOW, elsewhere)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
    });
    expect(elsewhere.hits).toBe(1);
  });

  test('when the count read ahead already reaches the limit, then a 好评 is refused before anything is written', async () => {
    const ports = new FakeRatingPorts();
    ports.readAhead = Array.from({ length: 30 }, (_, i) => `earlier-${i}`);
    const good = { requestId: 'req-rate-0112', code: bad.code, level: 5 };
    await expect(submitRating(citizen, good, NOW, ports)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(ports.writes).toBe(0);
    expect(ports.withdrawn).toHaveLength(0);
    expect(ports.hits).toBe(0);
  });

  test('when the limit is reached by the rating itself, then its retry still gets its first answer and only a new rating is refused', async () => {
    const ports = new FakeRatingPorts();
    ports.earlierThisHour = Array.from({ length: 29 }, (_, i) => `earlier-${i}`);
    const good = { requestId: 'req-rate-0101', code: bad.code, level: 4 };
    const first = await submitRating(citizen, good, NOW, ports);
    expect(await submitRating(citizen, good, NOW, ports)).toEqual(first);
    expect(ports.ratings).toHaveLength(1);
    const elsewhere = new FakeRatingPorts({ ...ports.window, id: 'w-other' });
    elsewhere.earlierThisHour = [...ports.earlierThisHour, first.rating.id];
    await expect(submitRating(citizen, { ...good, requestId: 'req-rate-0102' }, NOW, elsewhere)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
    });
    expect(elsewhere.ratings).toHaveLength(0);
  });

  test('when conflicts never end, then the caller is told to retry and nothing is stored', async () => {
    const ports = new FakeRatingPorts();
    ports.conflicts = 100;
    await expect(submitRating(citizen, bad, NOW, ports)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: '提交繁忙，请稍后重试',
    });
    expect(ports.ratings).toHaveLength(0);
  });
});
