import { BatchWriteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from '../functions/src/data/client';
import { K } from '../functions/src/data/keys';
import { grantItem, userItem } from '../functions/src/data/users';
import { userIdFor } from '../functions/src/domain/auth';
import { encryptPii } from '../functions/src/lib/crypto';
import { buildWindows, mobile, personName, rng } from './demo-data';
import { standinOpenid } from './standin/identity';

const MARKER = K.seedMarker('staff-v1');

/** The stand-in login of a window's demo staff member (SPEC §5): `demo-staff-<windowId>`. */
export const demoStaffLogin = (windowId: string) => `demo-staff-${windowId}`;

/**
 * One staff member (窗口工作人员, role `window_staff` scoped to the window's path) for every demo window. Its own
 * marker, so a store seeded before the staff existed gains them on the next start, and a second run stores nothing.
 */
export async function seedDemoStaff(now = new Date()): Promise<{ staff: number; created: number; skipped: boolean }> {
  const windows = buildWindows();
  const marker = await db().send(new GetCommand({ TableName: table(), Key: MARKER }));
  if (marker.Item) return { staff: windows.length, created: 0, skipped: true };
  const r = rng('staff');
  const at = now.toISOString();
  const items: Record<string, unknown>[] = [];
  for (const w of windows) {
    const openid = standinOpenid(demoStaffLogin(w.id));
    const userId = userIdFor(openid);
    items.push(
      userItem({ userId, openid, createdAt: at, name: personName(r), phone: encryptPii(mobile(r)), subscribed: true }),
    );
    items.push(grantItem(userId, { role: 'window_staff', scope: w.path }));
  }
  // Batches of 25 (about 100 requests instead of 2 400): the marker is absent, so these people are new, and a rerun
  // after a crash before the marker writes the same deterministic items again.
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let pending = batches[next++].map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending.length; attempt++) {
        const r = await db().send(new BatchWriteCommand({ RequestItems: { [table()]: pending } }));
        pending = (r.UnprocessedItems?.[table()] ?? []) as typeof pending;
        if (pending.length) await new Promise((ok) => setTimeout(ok, 50 * 2 ** Math.min(attempt, 5)));
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  await db().send(new PutCommand({ TableName: table(), Item: { ...MARKER, seededAt: at, items: items.length } }));
  return { staff: windows.length, created: items.length, skipped: false };
}
