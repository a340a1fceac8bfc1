import { PREFECTURE_ID, shanghaiDate } from '@mashang/shared';
import { keys, optOut, revoke, staffInvite, view } from '../../functions/src/handlers/invitations';
import { submit } from '../../functions/src/handlers/scan';
import { summary } from '../../functions/src/handlers/stats';
import {
  expireInvitations,
  pullReceiptsAndReplies,
  sendInvitation,
} from '../../functions/src/domain/invitation-sending';
import { reportServices, inviteFromWindow } from '../../functions/src/domain/services';
import { submitRating } from '../../functions/src/domain/ratings';
import { recordReceipts } from '../../functions/src/data/invitations';
import { invitationIdFor, invitationToken } from '../../functions/src/domain/invitation-token';
import { call, loginAs, requestId, uniq } from '../support/api';
import { anOfficial, aWindow, getItem, partition } from '../support/builders';
import { aHall, aPhone, aRow, postServices } from '../support/invitations';
import { failNext, smsMessages } from '../support/standin';
import { settleCounters } from '../support/stream';

const standin = () => process.env.WECHAT_API_BASE!;
const dev = (path: string, body?: unknown) =>
  fetch(`${standin()}${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) }).then(
    (r) => r.json() as Promise<any>,
  );
const smsFor = async (invitationId: string) =>
  (await smsMessages()).filter((m: any) => m.sessionContext === invitationId);
const inv = (id: string) => getItem({ pk: `INV#${id}`, sk: 'META' });
/** 2026-11-30 10:00 China time, and friends: an injected clock. */
const china = (iso: string) => new Date(`${iso}+08:00`);

async function drainReceipts() {
  // Other tests' receipts are drained too (the provider returns each once); ours are applied.
  return pullReceiptsAndReplies();
}

/** Report one service through the use case at an injected time; returns its invitation id. */
async function reported(hall: Awaited<ReturnType<typeof aHall>>, at: Date, over: Record<string, unknown> = {}) {
  const r = await reportServices(
    { keyId: hall.key.keyId, departmentId: hall.department.id, departmentPath: hall.department.path },
    { services: [aRow(hall.window.id, { completedAt: new Date(at.getTime() - 3600000).toISOString(), ...over })] },
    at,
  );
  if (r.accepted !== 1) throw new Error(JSON.stringify(r));
  return r.rows[0].invitationId!;
}

afterEach(async () => {
  await failNext('sms', 0);
  await dev('/__dev/faults', { service: 'urllink', failNext: 0 });
});

describe('machine API keys', () => {
  test('when an operator creates a key, then the secret is shown once, stored only encrypted, and never listed', async () => {
    const hall = await aHall();
    const stored = await getItem({ pk: `APIKEY#${hall.key.keyId}`, sk: 'META' });
    expect(stored).toMatchObject({ departmentId: hall.department.id, status: 'active' });
    expect(JSON.stringify(stored)).not.toContain(hall.key.secret);
    const list = await call(keys, { token: hall.operator.token, query: { scope: hall.department.path } });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([expect.objectContaining({ keyId: hall.key.keyId, status: 'active' })]);
    expect(JSON.stringify(list.body)).not.toContain(hall.key.secret);
  });

  test('when a key is revoked, then requests signed with it are refused and nothing is stored', async () => {
    const hall = await aHall();
    const r = await call(revoke, { token: hall.operator.token, params: { id: hall.key.keyId } });
    expect(r.body.status).toBe('revoked');
    const row = aRow(hall.window.id);
    const res = await postServices(hall.key, { services: [row] });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('SIGNATURE_INVALID');
    expect(await partition(`INV#${invitationIdFor(hall.department.id, row.serviceId)}`)).toHaveLength(0);
  });

  test('when a handler (not an operator) asks for a key, then it is refused', async () => {
    const w = await aWindow();
    const h = await anOfficial([{ role: 'handler', scope: w.department.path }]);
    const { createKey } = await import('../../functions/src/handlers/invitations');
    const r = await call(createKey, {
      token: (await loginAs(h.loginCode)).token,
      body: { departmentId: w.department.id },
    });
    expect(r.status).toBe(403);
  });
});

describe('POST /v1/services (signed)', () => {
  test('when a correctly signed batch comes in, then every service and its queued invitation are stored with the day counters', async () => {
    const hall = await aHall();
    const rows = [
      aRow(hall.window.id),
      aRow(hall.window.id, { matter: '社保卡补办', name: '马建国' }),
      aRow(hall.window.id, { matter: '不动产登记' }),
    ];

    const res = await postServices(hall.key, { services: rows });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ received: 3, accepted: 3, duplicates: [], invalid: 0 });
    for (const [i, row] of rows.entries()) {
      expect(res.body.rows[i].invitationId).toBe(invitationIdFor(hall.department.id, row.serviceId));
      const invitation = await inv(res.body.rows[i].invitationId);
      expect(invitation).toMatchObject({
        status: 'queued',
        serviceId: row.serviceId,
        windowId: hall.window.id,
        matter: row.matter,
        source: 'api',
        reportedBy: hall.key.keyId,
        gsi1pk: 'INVSEND',
      });
      expect(invitation!.phone).not.toContain(row.phone);
      // Sending is the schedule's, never the request's: no SMS has left yet.
      expect(await smsFor(res.body.rows[i].invitationId)).toHaveLength(0);
    }
    const date = shanghaiDate(new Date());
    for (const path of [hall.window.path, hall.department.path, `${PREFECTURE_ID}/${hall.department.regionId}`]) {
      expect(await getItem({ pk: `STAT#${path}`, sk: `D#${date}` })).toMatchObject({ servicesReported: 3 });
    }
  });

  test('when the signature is wrong, then the batch is refused (401) and nothing is stored', async () => {
    const hall = await aHall();
    const row = aRow(hall.window.id);
    const res = await postServices(hall.key, { services: [row] }, { tamper: true });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('SIGNATURE_INVALID');
    expect(await partition(`INV#${invitationIdFor(hall.department.id, row.serviceId)}`)).toHaveLength(0);
    expect(await getItem({ pk: `STAT#${hall.window.path}`, sk: `D#${shanghaiDate(new Date())}` })).toBeUndefined();
  });

  test('when the body is changed after signing, then the batch is refused and nothing is stored', async () => {
    const hall = await aHall();
    const row = aRow(hall.window.id);
    const signedFor = await postServices(
      hall.key,
      { services: [aRow(hall.window.id)] },
      { nonce: 'n'.repeat(16) + uniq() },
    );
    const res = await postServices(
      hall.key,
      { services: [row] },
      { authorization: signedFor.authorization.replace(/Nonce=[^,]+/, `Nonce=${'m'.repeat(20)}`) },
    );
    expect(res.status).toBe(401);
    expect(await partition(`INV#${invitationIdFor(hall.department.id, row.serviceId)}`)).toHaveLength(0);
  });

  test('when the timestamp is more than 5 minutes off, then the batch is refused and nothing is stored; within 5 minutes it is accepted', async () => {
    const hall = await aHall();
    const late = aRow(hall.window.id);
    const res = await postServices(hall.key, { services: [late] }, { timestamp: Math.floor(Date.now() / 1000) - 301 });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('TIMESTAMP_SKEW');
    expect(await partition(`INV#${invitationIdFor(hall.department.id, late.serviceId)}`)).toHaveLength(0);
    const early = await postServices(
      hall.key,
      { services: [aRow(hall.window.id)] },
      { timestamp: Math.floor(Date.now() / 1000) + 290 },
    );
    expect(early.status).toBe(200);
  });

  test('when a signed request is replayed, then the replay is refused and stores nothing more', async () => {
    const hall = await aHall();
    const row = aRow(hall.window.id);
    const first = await postServices(hall.key, { services: [row] });
    expect(first.body.accepted).toBe(1);
    const before = await getItem({ pk: `STAT#${hall.window.path}`, sk: `D#${shanghaiDate(new Date())}` });

    const replay = await postServices(hall.key, { services: [row] }, { authorization: first.authorization });

    expect(replay.status).toBe(409);
    expect(replay.body.error.code).toBe('REPLAYED');
    expect(await getItem({ pk: `STAT#${hall.window.path}`, sk: `D#${shanghaiDate(new Date())}` })).toEqual(before);
  });

  test("when a batch names another department's window, then the whole batch is refused (403) and nothing is stored", async () => {
    const hall = await aHall();
    const other = await aWindow();
    const mine = aRow(hall.window.id);
    const res = await postServices(hall.key, { services: [mine, aRow(other.window.id)] });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect(await partition(`INV#${invitationIdFor(hall.department.id, mine.serviceId)}`)).toHaveLength(0);
    expect(await getItem({ pk: `STAT#${other.window.path}`, sk: `D#${shanghaiDate(new Date())}` })).toBeUndefined();
  });

  test('when a batch is sent again, then nothing is stored twice and the duplicates are named', async () => {
    const hall = await aHall();
    const rows = [aRow(hall.window.id), aRow(hall.window.id)];
    const first = await postServices(hall.key, { services: rows });
    expect(first.body.accepted).toBe(2);
    const before = await inv(first.body.rows[0].invitationId);

    const again = await postServices(hall.key, {
      services: [...rows.map((r) => ({ ...r, phone: aPhone() })), aRow(hall.window.id)],
    });

    expect(again.status).toBe(200);
    expect(again.body.accepted).toBe(1);
    expect(again.body.duplicates.sort()).toEqual(rows.map((r) => r.serviceId).sort());
    expect(await inv(first.body.rows[0].invitationId)).toEqual(before);
    expect(await getItem({ pk: `STAT#${hall.window.path}`, sk: `D#${shanghaiDate(new Date())}` })).toMatchObject({
      servicesReported: 3,
    });
  });

  test('when the same service id appears twice in one batch, then the second is a duplicate', async () => {
    const hall = await aHall();
    const row = aRow(hall.window.id);
    const res = await postServices(hall.key, { services: [row, { ...row, phone: aPhone() }] });
    expect(res.body).toMatchObject({ accepted: 1, duplicates: [row.serviceId] });
  });

  test('when some rows are invalid, then each gets its own errors and the valid rows are accepted', async () => {
    const hall = await aHall();
    const good = aRow(hall.window.id);
    const res = await postServices(hall.key, {
      services: [
        aRow(hall.window.id, { phone: '12345' }),
        good,
        aRow('no-such-window'),
        { serviceId: 'x1', windowId: hall.window.id },
        aRow(hall.window.id, { completedAt: '2026-13-01' }),
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ received: 5, accepted: 1, invalid: 4 });
    expect(res.body.rows[0]).toMatchObject({
      status: 'invalid',
      errors: [{ path: 'services[0].phone', message: expect.stringContaining('手机号') }],
    });
    expect(res.body.rows[1]).toMatchObject({ status: 'accepted', serviceId: good.serviceId });
    expect(res.body.rows[2]).toMatchObject({
      status: 'invalid',
      errors: [{ path: 'services[2].windowId', message: '窗口不存在' }],
    });
    expect(res.body.rows[3].errors.map((e: any) => e.path)).toEqual(
      expect.arrayContaining(['services[3].matter', 'services[3].completedAt', 'services[3].phone']),
    );
    expect(res.body.rows[4]).toMatchObject({ status: 'invalid' });
    expect(await getItem({ pk: `STAT#${hall.window.path}`, sk: `D#${shanghaiDate(new Date())}` })).toMatchObject({
      servicesReported: 1,
    });
  });

  test('when a batch has more than 500 rows or none, then it is refused whole', async () => {
    const hall = await aHall();
    const big = await postServices(hall.key, { services: Array.from({ length: 501 }, () => aRow(hall.window.id)) });
    expect(big.status).toBe(400);
    expect(big.body.error.code).toBe('VALIDATION_FAILED');
    const none = await postServices(hall.key, { services: [] });
    expect(none.status).toBe(400);
  });

  test('when 500 rows come in one batch, then all are stored', async () => {
    const hall = await aHall();
    const res = await postServices(hall.key, { services: Array.from({ length: 500 }, () => aRow(hall.window.id)) });
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(500);
    expect(await getItem({ pk: `STAT#${hall.department.path}`, sk: `D#${shanghaiDate(new Date())}` })).toMatchObject({
      servicesReported: 500,
    });
  });
});

describe('sending invitations', () => {
  test('when a service is reported during quiet hours, then its SMS waits until 08:00 China time', async () => {
    const hall = await aHall();
    const id = await reported(hall, china('2026-11-30T22:30:00'));
    expect(await inv(id)).toMatchObject({ sendAfter: china('2026-12-01T08:00:00').toISOString() });

    expect(await sendInvitation(id, () => china('2026-12-01T07:59:59'))).toBe('not-due');
    expect(await smsFor(id)).toHaveLength(0);

    expect(await sendInvitation(id, () => china('2026-12-01T08:00:00'))).toBe('sent');
    const [sms] = await smsFor(id);
    expect(sms.template).toBe('2046002');
    expect(sms.data).toEqual([hall.window.name, '营业执照办理', expect.stringMatching(/^https:\/\/wxaurl\.cn\/\w+$/)]);
    expect(await inv(id)).toMatchObject({
      status: 'sent',
      linkKind: 'urllink',
      attempts: 1,
      sentAt: china('2026-12-01T08:00:00').toISOString(),
    });
    expect(await getItem({ pk: `STAT#${hall.window.path}`, sk: 'D#2026-12-01' })).toMatchObject({ invitationsSent: 1 });
  });

  test('when a service reported at 07:59 is due again at 21:00 after a retry, then the retry also waits for 08:00', async () => {
    const hall = await aHall();
    const id = await reported(hall, china('2026-11-30T20:59:00'));
    await failNext('sms', 3);
    expect(await sendInvitation(id, () => china('2026-11-30T20:59:00'))).toBe('retrying');
    const retryAt = new Date((await inv(id))!.nextAttemptAt);
    expect(
      await sendInvitation(id, () => new Date(Math.max(retryAt.getTime(), china('2026-11-30T21:00:00').getTime()))),
    ).toBe('queued');
    expect(await inv(id)).toMatchObject({ status: 'queued', sendAfter: china('2026-12-01T08:00:00').toISOString() });
  });

  test("when the link opens, then it is a WeChat URL Link to the invitation page with the invitation's token; without URL Links it falls back to the H5 page", async () => {
    const hall = await aHall();
    const at = china('2026-11-30T10:00:00');
    const id = await reported(hall, at);
    await sendInvitation(id, () => at);
    const [sms] = await smsFor(id);
    const links = await dev('/__dev/wechat/urllinks');
    const link = links.find((l: any) => l.url === sms.data[2]);
    expect(link).toMatchObject({ path: 'pages/invite/index', query: `t=${invitationToken(id)}` });
    expect(invitationToken(id).length).toBeLessThanOrEqual(32);

    const id2 = await reported(hall, at);
    await dev('/__dev/faults', { service: 'urllink', failNext: 1 });
    await sendInvitation(id2, () => at);
    const [sms2] = await smsFor(id2);
    expect(sms2.data[2]).toBe(
      `${process.env.INVITE_H5_BASE}/#/pages/invite/index?t=${encodeURIComponent(invitationToken(id2))}`,
    );
    expect(await inv(id2)).toMatchObject({ linkKind: 'h5' });
  });

  test('when a phone already got an invitation today, then later ones are skipped and counted; the next day it gets one again', async () => {
    const hall = await aHall();
    const phone = aPhone();
    const at = china('2026-11-30T10:00:00');
    const a = await reported(hall, at, { phone });
    const b = await reported(hall, at, { phone, matter: '社保卡补办' });
    expect(await sendInvitation(a, () => at)).toBe('sent');
    expect(await sendInvitation(b, () => china('2026-11-30T15:00:00'))).toBe('skipped');
    expect(await inv(b)).toMatchObject({ status: 'skipped', skipReason: 'daily_cap' });
    expect(await smsFor(b)).toHaveLength(0);
    expect(await getItem({ pk: `STAT#${hall.department.path}`, sk: 'D#2026-11-30' })).toMatchObject({
      invitationsSent: 1,
      invitationsSkipped: 1,
    });

    const c = await reported(hall, china('2026-12-01T09:00:00'), { phone });
    expect(await sendInvitation(c, () => china('2026-12-01T09:00:00'))).toBe('sent');
  });

  test('when the citizen replies 退订, then that phone gets no more invitations (skipped and counted)', async () => {
    const hall = await aHall();
    const phone = aPhone();
    await dev('/__dev/sms/reply', { phone, text: '退订' });
    const r = await drainReceipts();
    expect(r.optOuts).toBeGreaterThanOrEqual(1);
    const at = china('2026-11-30T11:00:00');
    const id = await reported(hall, at, { phone });
    expect(await sendInvitation(id, () => at)).toBe('skipped');
    expect(await inv(id)).toMatchObject({ skipReason: 'opted_out' });
    expect(await smsFor(id)).toHaveLength(0);
  });

  test('when the citizen opts out through the link, then that phone gets no more invitations', async () => {
    const hall = await aHall();
    const phone = aPhone();
    const at = china('2026-11-30T11:00:00');
    const id = await reported(hall, at, { phone });
    await sendInvitation(id, () => at);
    const out = await call(optOut, { params: { token: invitationToken(id) } });
    expect(out.body).toEqual({ optedOut: true });
    const later = await reported(hall, china('2026-12-02T11:00:00'), { phone });
    expect(await sendInvitation(later, () => china('2026-12-02T11:00:00'))).toBe('skipped');
    expect(await inv(later)).toMatchObject({ skipReason: 'opted_out' });
  });

  test('when receipts are pulled, then sent invitations become delivered or failed, each counted once', async () => {
    const hall = await aHall();
    const bad = aPhone();
    await dev('/__dev/sms/config', { undeliverable: [bad] });
    const at = china('2026-11-30T10:00:00');
    const ok = await reported(hall, at);
    const ko = await reported(hall, at, { phone: bad });
    await sendInvitation(ok, () => at);
    await sendInvitation(ko, () => at);

    await drainReceipts();
    await drainReceipts();

    expect(await inv(ok)).toMatchObject({ status: 'delivered' });
    expect(await inv(ko)).toMatchObject({ status: 'failed', lastError: '用户手机号停机' });
    const today = shanghaiDate(new Date());
    expect(await getItem({ pk: `STAT#${hall.window.path}`, sk: `D#${today}` })).toMatchObject({
      invitationsDelivered: 1,
      invitationsFailed: 1,
    });
  });

  test('when a page of receipts repeats one and names an invitation no longer sent, then only sent ones change, each counted once', async () => {
    const hall = await aHall();
    const at = china('2026-11-30T10:00:00');
    const [a, b, c] = [await reported(hall, at), await reported(hall, at), await reported(hall, at)];
    for (const id of [a, b, c]) expect(await sendInvitation(id, () => at)).toBe('sent');
    const now = new Date().toISOString();
    const receipt = (id: string, outcome: 'delivered' | 'failed') => ({
      id,
      outcome,
      at: now,
      error: outcome === 'failed' ? '用户手机号停机' : undefined,
      counters: [
        {
          path: hall.window.path,
          date: shanghaiDate(new Date(now)),
          add: outcome === 'delivered' ? { invitationsDelivered: 1 } : { invitationsFailed: 1 },
        },
      ],
    });
    expect([...(await recordReceipts([receipt(b, 'delivered')]))]).toEqual([b]);

    // One write for the page; b's receipt (already delivered) cancels it, so the rest are written again without it.
    const changed = await recordReceipts([
      receipt(a, 'delivered'),
      receipt(b, 'failed'),
      receipt(a, 'delivered'),
      receipt(c, 'failed'),
    ]);

    expect([...changed].sort()).toEqual([a, c].sort());
    expect(await inv(a)).toMatchObject({ status: 'delivered' });
    expect(await inv(b)).toMatchObject({ status: 'delivered' });
    expect(await inv(c)).toMatchObject({ status: 'failed', lastError: '用户手机号停机' });
    for (const path of [hall.window.path, hall.department.path]) {
      expect(await getItem({ pk: `STAT#${path}`, sk: `D#${shanghaiDate(new Date(now))}` })).toMatchObject({
        invitationsDelivered: 2,
        invitationsFailed: 1,
      });
    }
  });

  test('when the SMS provider fails twice, then the third quick try delivers it', async () => {
    const hall = await aHall();
    const at = china('2026-11-30T10:00:00');
    const id = await reported(hall, at);
    await failNext('sms', 2);
    expect(await sendInvitation(id, () => at)).toBe('sent');
    expect(await inv(id)).toMatchObject({ status: 'sent', attempts: 3 });
    expect(await smsFor(id)).toHaveLength(1);
  });

  test('when the SMS provider keeps failing, then the invitation is retried with backoff and finally fails visibly (counted)', async () => {
    const hall = await aHall();
    let t = china('2026-11-30T10:00:00');
    const id = await reported(hall, t);
    await failNext('sms', 100);
    expect(await sendInvitation(id, () => t)).toBe('retrying');
    let item = (await inv(id))!;
    expect(item).toMatchObject({
      status: 'retrying',
      attempts: 3,
      gsi1pk: 'INVSEND',
      lastError: expect.stringContaining('InternalError'),
    });
    expect(Date.parse(item.nextAttemptAt) - t.getTime()).toBe(30000);
    expect(await sendInvitation(id, () => t)).toBe('not-due');
    t = new Date(item.nextAttemptAt);
    expect(await sendInvitation(id, () => t)).toBe('retrying');
    item = (await inv(id))!;
    t = new Date(item.nextAttemptAt);
    expect(await sendInvitation(id, () => t)).toBe('failed');
    expect(await inv(id)).toMatchObject({ status: 'failed', attempts: 8 });
    expect((await inv(id))!.gsi1pk).toBeUndefined();
    expect(await smsFor(id)).toHaveLength(0);
    expect(await getItem({ pk: `STAT#${hall.window.path}`, sk: 'D#2026-11-30' })).toMatchObject({
      invitationsFailed: 1,
    });
  });

  test('when the SMS provider fails a few times then recovers, then the retry delivers it', async () => {
    const hall = await aHall();
    const t = china('2026-11-30T10:00:00');
    const id = await reported(hall, t);
    await failNext('sms', 4);
    expect(await sendInvitation(id, () => t)).toBe('retrying');
    const next = new Date((await inv(id))!.nextAttemptAt);
    expect(await sendInvitation(id, () => next)).toBe('sent');
    expect(await inv(id)).toMatchObject({ status: 'sent', attempts: 5 });
    expect(await smsFor(id)).toHaveLength(1);
  });
});

describe('the citizen rates through the invitation', () => {
  // By default yesterday at 10:00 China time: a real moment outside the quiet hours (21:00–08:00), whatever time of
  // day the tests run (at night "now" would only queue the SMS), and within the invitation's 7 days.
  async function sentInvitation(at = china(`${shanghaiDate(new Date(Date.now() - 86_400_000))}T10:00:00`)) {
    const hall = await aHall();
    const id = await reported(hall, at);
    expect(await sendInvitation(id, () => at)).toBe('sent');
    return { hall, id, token: invitationToken(id) };
  }

  test('when the link is opened, then it shows the window, the matter and the date', async () => {
    const { hall, token } = await sentInvitation(china('2026-11-30T10:00:00'));
    const r = await call(view, { params: { token } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      window: { id: hall.window.id, name: hall.window.name, departmentName: hall.department.name, code: hall.code },
      matter: '营业执照办理',
      date: '2026-11-30',
      expired: false,
      rating: null,
    });
  });

  test('when the token is tampered with, then the link is refused', async () => {
    const { token } = await sentInvitation();
    const tampered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    const r = await call(view, { params: { token: tampered } });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('INVITATION_INVALID');
    const other = await call(view, { params: { token: `i${'x'.repeat(10)}${token.slice(11)}` } });
    expect(other.body.error.code).toBe('INVITATION_INVALID');
  });

  test('when rated through the invitation, then the rating is tied to it and counted once; a second tap shows the stored rating', async () => {
    const { hall, id, token } = await sentInvitation();
    const citizen = await loginAs(uniq('citizen-'));
    const body = { requestId: requestId(), code: hall.code, level: 5, invitation: token };

    const r = await call(submit, { token: citizen.token, body });
    expect(r.status).toBe(201);
    expect(await inv(id)).toMatchObject({ ratingId: r.body.rating.id });
    const again = await call(submit, { token: citizen.token, body });
    expect(again.body).toEqual(r.body);
    const other = await loginAs(uniq('citizen-'));
    const second = await call(submit, {
      token: other.token,
      body: { ...body, requestId: requestId(), level: 1, reasons: ['态度生硬'] },
    });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('INVITATION_USED');

    const v = await call(view, { params: { token } });
    expect(v.body.rating).toMatchObject({ id: r.body.rating.id, level: 5 });
    await settleCounters();
    const today = shanghaiDate(new Date());
    expect(await getItem({ pk: `STAT#${hall.window.path}`, sk: `D#${today}` })).toMatchObject({
      ratings: 1,
      invitationsRated: 1,
    });
  });

  test('when the same person already rated the window today, then 一次一评 still holds for the invitation', async () => {
    const { hall, id, token } = await sentInvitation();
    const citizen = await loginAs(uniq('citizen-'));
    expect(
      (await call(submit, { token: citizen.token, body: { requestId: requestId(), code: hall.code, level: 4 } }))
        .status,
    ).toBe(201);
    const r = await call(submit, {
      token: citizen.token,
      body: { requestId: requestId(), code: hall.code, level: 5, invitation: token },
    });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('ALREADY_RATED_TODAY');
    expect((await inv(id))!.ratingId).toBeUndefined();
  });

  test('when the invitation is for another window, then the rating is refused', async () => {
    const { token } = await sentInvitation();
    const other = await aWindow();
    const citizen = await loginAs(uniq('citizen-'));
    const r = await call(submit, {
      token: citizen.token,
      body: { requestId: requestId(), code: other.code, level: 5, invitation: token },
    });
    expect(r.status).toBe(400);
  });

  test('when exactly 7 days have passed since sending, then the link has expired: no rating, counted as 未评 once, and 未评率 moves', async () => {
    const sentAt = china('2026-11-20T10:00:00');
    const { hall, id, token } = await sentInvitation(sentAt);
    const week = new Date(sentAt.getTime() + 7 * 86400000);
    const citizen = await loginAs(uniq('citizen-'));
    const { invitationView } = await import('../../functions/src/domain/invitations');

    expect((await invitationView(token, new Date(week.getTime() - 1))).expired).toBe(false);
    expect((await invitationView(token, week)).expired).toBe(true);
    await expect(
      submitRating(
        { userId: citizen.userId, grants: [] },
        { requestId: requestId(), code: hall.code, level: 5, invitation: token },
        week,
      ),
    ).rejects.toMatchObject({
      code: 'INVITATION_EXPIRED',
    });

    expect(await expireInvitations(new Date(week.getTime() - 1))).toBeGreaterThanOrEqual(0);
    expect((await inv(id))!.expired).toBeUndefined();
    await expireInvitations(week);
    await expireInvitations(week);
    expect(await inv(id)).toMatchObject({ expired: true });
    expect(await getItem({ pk: `STAT#${hall.window.path}`, sk: 'D#2026-11-27' })).toMatchObject({
      invitationsExpired: 1,
    });

    const op = hall.operator;
    const s = await call(summary, {
      token: op.token,
      query: { scope: hall.department.path, from: '2026-11-20', to: '2026-11-27' },
    });
    expect(s.body.invitations).toMatchObject({ services: 1, sent: 1, expiredUnrated: 1 });
    expect(s.body.unratedRate).toBe(100);
  });

  test('when rated 1 ms before the 7 days end, then it counts and never expires', async () => {
    const sentAt = china('2026-11-10T10:00:00');
    const { hall, id, token } = await sentInvitation(sentAt);
    const citizen = await loginAs(uniq('citizen-'));
    const last = new Date(sentAt.getTime() + 7 * 86400000 - 1);
    await submitRating(
      { userId: citizen.userId, grants: [] },
      { requestId: requestId(), code: hall.code, level: 4, invitation: token },
      last,
    );
    await expireInvitations(new Date(sentAt.getTime() + 8 * 86400000));
    expect((await inv(id))!.expired).toBeUndefined();
    await settleCounters();
    expect(await getItem({ pk: `STAT#${hall.window.path}`, sk: 'D#2026-11-17' })).toMatchObject({
      invitationsRated: 1,
    });
  });
});

describe('发送评价邀请 (window staff form)', () => {
  test("when the window's staff send an invitation, then it is queued once for a double tap; staff of another window are refused", async () => {
    const w = await aWindow();
    const staff = await anOfficial([{ role: 'window_staff', scope: w.window.path }]);
    const { token } = await loginAs(staff.loginCode);
    const body = { requestId: requestId(), phone: aPhone(), matter: '医保报销' };

    const r = await call(staffInvite, { token, params: { id: w.window.id }, body });
    const again = await call(staffInvite, { token, params: { id: w.window.id }, body });

    expect(r.status).toBe(201);
    expect(r.body.invitationId).toMatch(/^i\w{10}$/);
    // The double tap is the same request: it gets the first answer again (one invitation, counted once).
    expect(again).toMatchObject({ status: 201, body: r.body });
    expect(await inv(r.body.invitationId)).toMatchObject({ matter: '医保报销', status: 'queued' });
    expect(await getItem({ pk: `STAT#${w.window.path}`, sk: `D#${shanghaiDate(new Date())}` })).toMatchObject({
      servicesReported: 1,
    });

    const other = await aWindow();
    const outsider = await anOfficial([{ role: 'window_staff', scope: other.window.path }]);
    const refused = await call(staffInvite, {
      token: (await loginAs(outsider.loginCode)).token,
      params: { id: w.window.id },
      body: { ...body, requestId: requestId() },
    });
    expect(refused.status).toBe(403);
    const bad = await call(staffInvite, {
      token,
      params: { id: w.window.id },
      body: { ...body, requestId: requestId(), phone: '123' },
    });
    expect(bad.status).toBe(400);
  });

  test('when the form is used at 22:00 China time, then the invitation waits for 08:00', async () => {
    const w = await aWindow();
    const staff = await anOfficial([{ role: 'window_staff', scope: w.window.path }]);
    const r = await inviteFromWindow(
      { userId: staff.userId, grants: [{ role: 'window_staff', scope: w.window.path }] },
      w.window.id,
      { requestId: requestId(), phone: aPhone(), matter: '社保卡补办' },
      china('2026-11-30T22:00:00'),
    );
    expect(r.sendAfter).toBe(china('2026-12-01T08:00:00').toISOString());
  });
});
