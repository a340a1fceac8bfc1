import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from '../functions/src/data/client';
import { codeItem } from '../functions/src/data/codes';
import { creditCodeItem, departmentItem, enterpriseItem, regionItem, windowItem } from '../functions/src/data/registry';
import { K } from '../functions/src/data/keys';
import { grantItem, userItem } from '../functions/src/data/users';
import { userIdFor } from '../functions/src/domain/auth';
import { signCode } from '../functions/src/domain/code-signing';
import { config } from '../functions/src/config';
import { encryptPii } from '../functions/src/lib/crypto';
import { PREFECTURE_ID } from '@mashang/shared';
import {
  buildDepartments,
  buildEnterprises,
  buildOfficials,
  buildWindows,
  PREFECTURE,
  REGIONS,
  seededCodeId,
} from './demo-data';
import { standinOpenid } from './standin/identity';
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
  }
  const created = await putIfAbsent(items);
  await db().send(new PutCommand({ TableName: table(), Item: { ...SEED_MARKER, seededAt: now, items: items.length } }));
  return { ...summary, visits: await seedDemoVisits(), created, skipped: false };
}
