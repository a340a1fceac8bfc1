// The provider's send-rate limit (issue 13 item 2): a low limit, so that senders that ignored it would exceed it.
// Set before any code reads the configuration (it is read lazily and cached per test file).
process.env.SMS_RATE_PER_SECOND = '3';
process.env.INVITE_QUIET_HOURS = 'none';

import { pullReceiptsAndReplies, sendDueInvitations } from '../../functions/src/domain/invitation-sending';
import { reportServices } from '../../functions/src/domain/services';
import { getItem } from '../support/builders';
import { aHall, aRow } from '../support/invitations';
import { smsMessages } from '../support/standin';

const standin = () => process.env.WECHAT_API_BASE!;
const dev = (path: string, body?: unknown) =>
  fetch(`${standin()}${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) }).then(
    (r) => r.json() as Promise<any>,
  );

afterEach(async () => {
  await dev('/__dev/sms/config', { ratePerSecond: 0 });
});

test('when more invitations are due than the provider allows per second, then they go out within the limit, none refused, all sent', async () => {
  const hall = await aHall();
  // Reported long ago (12:00 China time): the oldest due invitations, so this run sends them first whatever other
  // test files left in the queue.
  const now = new Date('2020-01-01T04:00:00Z');
  const rows = Array.from({ length: 12 }, () =>
    aRow(hall.window.id, { completedAt: new Date(now.getTime() - 3600000).toISOString() }),
  );
  const r = await reportServices(
    { keyId: hall.key.keyId, departmentId: hall.department.id, departmentPath: hall.department.path },
    { services: rows },
    now,
  );
  expect(r.accepted).toBe(12);
  const ids = r.rows.map((row) => row.invitationId!);
  // The provider refuses the 4th request within a second (RequestLimitExceeded).
  await dev('/__dev/sms/config', { ratePerSecond: 3 });
  const before = await dev('/__dev/sms/stats');
  const sentBefore = (await smsMessages()).length;

  // More senders at once than the limit: without the shared limiter they would exceed it.
  const counts = await sendDueInvitations(undefined, { concurrency: 12, budgetMs: 30000 });

  expect(counts.sent).toBeGreaterThanOrEqual(12);
  for (const id of ids) expect(await getItem({ pk: `INV#${id}`, sk: 'META' })).toMatchObject({ status: 'sent' });
  const after = await dev('/__dev/sms/stats');
  expect(after.rateLimited).toBe(before.rateLimited);
  // Every SMS this run sent, by the second it reached the provider: never more than the limit.
  const all = await smsMessages(); // newest first
  const run = all.slice(0, all.length - sentBefore);
  expect(run.filter((m: any) => ids.includes(m.sessionContext))).toHaveLength(12);
  const perSecond = new Map<number, number>();
  for (const m of run) {
    const s = Math.floor(Date.parse(m.time) / 1000);
    perSecond.set(s, (perSecond.get(s) ?? 0) + 1);
  }
  expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(3);
  expect(perSecond.size).toBeGreaterThanOrEqual(4);
  await pullReceiptsAndReplies();
});
