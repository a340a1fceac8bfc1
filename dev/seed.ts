import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from '../functions/src/data/client';
import { codeItem } from '../functions/src/data/codes';
import { creditCodeItem, departmentItem, enterpriseItem, regionItem, windowItem } from '../functions/src/data/registry';
import { K } from '../functions/src/data/keys';
import { grantItem, userItem } from '../functions/src/data/users';
import { unionidItem } from '../functions/src/data/web-login';
import { userIdFor } from '../functions/src/domain/auth';
import { signCode } from '../functions/src/domain/code-signing';
import { config } from '../functions/src/config';
import { encryptPii } from '../functions/src/lib/crypto';
import { INVITATION_TTL_MS, PREFECTURE_ID, shanghaiDate } from '@mashang/shared';
import { invitationRecord, type CounterChange, type InvitationItem } from '../functions/src/data/invitations';
import { IX, indexAttrs } from '../functions/src/data/keys';
import { counterWrites } from '../functions/src/data/stats';
import { countersOfInsert } from '../functions/src/domain/counters';
import { ratingIdOf } from '../functions/src/data/ratings';
import { invitationIdFor, phoneHash } from '../functions/src/domain/invitation-token';
import {
  buildDepartments,
  buildEnterprises,
  buildInvitations,
  buildOfficials,
  buildWindows,
  PREFECTURE,
  REGIONS,
  seededCodeId,
} from './demo-data';
import { standinOpenid, standinUnionid } from './standin/identity';
import { seedDemoVisits } from './seed-visits';

const SEED_MARKER = K.seedMarker('v1');

/** Put-if-absent: a second seed (or one after an operator's change) overwrites nothing. */
async function putIfAbsent(items: Record<string, unknown>[], concurrency = 16): Promise<number> {
  let created = 0;
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const Item = items[next++];
      try {
        await db().send(new PutCommand({ TableName: table(), Item, ConditionExpression: 'attribute_not_exists(pk)' }));
        created++;
      } catch (e) {
        if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return created;
}

export interface SeedSummary {
  windows: number;
  enterprises: number;
  officials: number;
  created: number;
  skipped: boolean;
  visits: Awaited<ReturnType<typeof seedDemoVisits>>;
}

/** Load the Haibei demo data into the configured table (process.env must hold the local environment). */
export async function seedDemoData(): Promise<SeedSummary> {
  const departments = buildDepartments();
  const windows = buildWindows();
  const enterprises = buildEnterprises();
  const officials = buildOfficials(departments);
  const summary = { windows: windows.length, enterprises: enterprises.length, officials: officials.length };
  const marker = await db().send(new GetCommand({ TableName: table(), Key: SEED_MARKER }));
  if (marker.Item) return { ...summary, visits: await seedDemoVisits(), created: 0, skipped: true };

  const secret = config().CODE_SECRET;
  const now = new Date().toISOString();
  const items: Record<string, unknown>[] = [
    regionItem({ id: PREFECTURE_ID, name: PREFECTURE.name, path: PREFECTURE_ID }),
    ...REGIONS.map((r) => regionItem({ id: r.id, name: r.name, path: `${PREFECTURE_ID}/${r.id}` })),
    ...departments.map((d) => departmentItem(d)),
  ];
  for (const w of windows) {
    const codeId = seededCodeId('window', w.id);
    items.push(windowItem({ ...w, codeId, code: signCode(secret, codeId) }));
    items.push(codeItem({ codeId, kind: 'window', targetId: w.id, status: 'active', issuedAt: now }));
  }
  for (const e of enterprises) {
    const codeId = seededCodeId('enterprise', e.id);
    items.push(
      enterpriseItem({ ...e, contactPhone: encryptPii(e.contactPhone), codeId, code: signCode(secret, codeId) }),
    );
    items.push(codeItem({ codeId, kind: 'enterprise', targetId: e.id, status: 'active', issuedAt: now }));
    items.push(creditCodeItem(e.creditCode, e.id));
  }
  for (const o of officials) {
    const openid = standinOpenid(o.loginCode);
    const userId = userIdFor(openid);
    items.push(
      userItem({ userId, openid, createdAt: now, name: o.name, phone: encryptPii(o.phone), subscribed: true }),
    );
    for (const g of o.grants) items.push(grantItem(userId, g));
    // As if they had signed in to the mini-program once: the console's QR login finds them by unionid.
    items.push(unionidItem(standinUnionid(o.loginCode), userId, now));
  }
  const created = await putIfAbsent(items);
  await db().send(new PutCommand({ TableName: table(), Item: { ...SEED_MARKER, seededAt: now, items: items.length } }));
  return { ...summary, visits: await seedDemoVisits(), created, skipped: false };
}

const demoRater = (n: number) => `udemo${String(n).padStart(6, '0')}`;

const INVITATIONS_MARKER = K.seedMarker('invitations-v1');

/**
 * 一事一评 demo data (≈340 invitations over the last two months, dev/demo-data buildInvitations): services,
 * invitations in every state, the ratings of the rated ones, and the day counters. Put-if-absent, and the
 * counters are added only for items this run created, so a second run (or a crash and a rerun) counts nothing twice.
 */
export async function seedInvitations(
  now = new Date(),
): Promise<{ invitations: number; created: number; skipped: boolean }> {
  const marker = await db().send(new GetCommand({ TableName: table(), Key: INVITATIONS_MARKER }));
  const demo = buildInvitations(buildWindows(), now);
  if (marker.Item) return { invitations: demo.length, created: 0, skipped: true };
  const bumps: CounterChange[] = [];
  let created = 0;
  let next = 0;
  // A few at a time: each invitation is put first, its rating only if the invitation was new.
  const worker = async () => {
    while (next < demo.length) {
      const d = demo[next++];
      const w = d.window;
      const id = invitationIdFor(w.department.id, d.serviceId);
      const sentAt = d.sentAt;
      const expiresAt = new Date(Date.parse(sentAt) + INVITATION_TTL_MS).toISOString();
      const sent = d.outcome !== 'skipped';
      const inv: InvitationItem = {
        id,
        serviceId: d.serviceId,
        completedAt: d.completedAt,
        reportedAt: d.completedAt,
        source: 'api',
        reportedBy: 'demo-seed',
        departmentId: w.department.id,
        windowId: w.id,
        windowName: w.name,
        departmentName: w.department.name,
        countyName: w.county.name,
        path: w.path,
        matter: d.matter,
        completedDate: shanghaiDate(d.completedAt),
        phone: encryptPii(d.phone),
        phoneHash: phoneHash(d.phone),
        status: d.outcome === 'skipped' ? 'skipped' : d.outcome === 'failed' ? 'failed' : 'delivered',
        ...(d.outcome === 'skipped' ? { skipReason: 'daily_cap' as const } : {}),
        sendAfter: d.completedAt,
        attempts: sent ? 1 : 0,
        createdAt: d.completedAt,
        updatedAt: d.ratedAt ?? sentAt,
        ...(sent
          ? {
              sentAt,
              expiresAt,
              link: `https://wxaurl.cn/demo${String(d.n).padStart(4, '0')}`,
              linkKind: 'urllink' as const,
            }
          : {}),
        ...(d.outcome === 'failed' ? { failedAt: sentAt, lastError: '用户手机号停机' } : {}),
        ...(d.outcome === 'rated' || d.outcome === 'expired' || d.outcome === 'delivered'
          ? { deliveredAt: sentAt }
          : {}),
        ...(d.outcome === 'rated'
          ? { ratingId: ratingIdOf(demoRater(d.n), w.id, shanghaiDate(d.ratedAt!)), ratedAt: d.ratedAt }
          : {}),
        ...(d.outcome === 'expired' ? { expired: true } : {}),
      };
      const items: Record<string, unknown>[] = [invitationRecord(inv)];
      if (inv.ratingId) {
        const date = shanghaiDate(d.ratedAt!);
        items.push({
          ...K.rating(inv.ratingId),
          ...indexAttrs(IX.ratingsOfWindow(w.id, d.ratedAt!)),
          type: 'rating',
          id: inv.ratingId,
          level: d.level,
          reasons: [],
          windowId: w.id,
          windowName: w.name,
          department: w.department,
          county: w.county,
          path: w.path,
          createdAt: d.ratedAt,
          date,
          caseId: null,
          invitationId: id,
          // As data/ratings stores it: the rater sealed inside, the request that stored it.
          rater: encryptPii(JSON.stringify({ userId: demoRater(d.n), anonymous: true })),
          request: { requestId: `demo-seed-${d.n}`, fingerprint: '', response: null },
        });
      }
      if ((await putIfAbsent(items.slice(0, 1), 1)) === 0) continue; // the invitation decides: already there → nothing new
      await putIfAbsent(items.slice(1), 1);
      created++;
      const on = (at: string, add: CounterChange['add']) => bumps.push({ path: w.path, date: shanghaiDate(at), add });
      on(d.completedAt, { servicesReported: 1 });
      if (d.outcome === 'skipped') on(sentAt, { invitationsSkipped: 1 });
      else
        on(sentAt, {
          invitationsSent: 1,
          ...(d.outcome === 'failed' ? { invitationsFailed: 1 } : { invitationsDelivered: 1 }),
        });
      // A rated invitation's rating (and invitationsRated): the counters the stream aggregation adds for a new rating.
      // `npm start` starts the stream consumers after the seeded history (STREAM_STARTING_POSITION LATEST), so the
      // seed counts its own ratings, or the demo's statistics would show the SMS sent and none of the ratings.
      for (const rating of items.slice(1)) bumps.push(...countersOfInsert(rating));
      if (d.outcome === 'expired') on(expiresAt, { invitationsExpired: 1 });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  // Counters, one Update per scope and day (a transaction of ≤ 25 updates at a time).
  const updates = counterWrites(bumps);
  for (let i = 0; i < updates.length; i += 25)
    await db().send(new TransactWriteCommand({ TransactItems: updates.slice(i, i + 25) }));
  await db().send(
    new PutCommand({
      TableName: table(),
      Item: { ...INVITATIONS_MARKER, seededAt: now.toISOString(), invitations: demo.length },
    }),
  );
  return { invitations: demo.length, created, skipped: false };
}
