import { seedInvitations } from '../../dev/seed';
import { buildInvitations, buildWindows } from '../../dev/demo-data';
import { db, table } from '../../functions/src/data/client';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { invitationIdFor } from '../../functions/src/domain/invitation-token';
import { getItem } from '../support/builders';
import { shanghaiDate } from '@mashang/shared';

describe('一事一评 demo data', () => {
  test('when seeded, then about 340 invitations of the last two months exist in every state, and a rerun counts nothing twice', async () => {
    const now = new Date('2026-11-30T04:00:00Z');
    const demo = buildInvitations(buildWindows(), now);
    expect(demo.length).toBeGreaterThanOrEqual(340);
    expect(new Set(demo.map((d) => d.outcome))).toEqual(
      new Set(['rated', 'expired', 'delivered', 'failed', 'skipped']),
    );
    expect(new Set(demo.map((d) => d.matter))).toEqual(expect.objectContaining({ size: expect.any(Number) }));
    for (const m of ['营业执照办理', '社保卡补办', '不动产登记', '医保报销'])
      expect(demo.some((d) => d.matter === m)).toBe(true);
    expect(Math.min(...demo.map((d) => Date.parse(d.sentAt)))).toBeGreaterThan(now.getTime() - 61 * 86400000);

    const first = await seedInvitations(now);
    expect(first).toMatchObject({ invitations: demo.length, created: demo.length, skipped: false });
    const rated = demo.find((d) => d.outcome === 'rated')!;
    const item = await getItem({
      pk: `INV#${invitationIdFor(rated.window.department.id, rated.serviceId)}`,
      sk: 'META',
    });
    expect(item).toMatchObject({ matter: rated.matter, status: 'delivered', ratingId: expect.any(String) });
    expect(await getItem({ pk: `RATING#${item!.ratingId}`, sk: 'META' })).toMatchObject({
      level: rated.level,
      windowId: rated.window.id,
    });

    const dept = rated.window.department.id;
    const deptPath = rated.window.path.split('/').slice(0, 3).join('/');
    const countersBefore = await getItem({ pk: `STAT#${deptPath}`, sk: `D#${rated.completedAt.slice(0, 10)}` });
    expect(countersBefore).toMatchObject({ servicesReported: expect.any(Number) });
    expect(dept).toBeTruthy();
    // The seeded rating is counted where statistics read it (the day of its rating, at the window and above).
    const ratedDay = await getItem({
      pk: `STAT#${rated.window.path}`,
      sk: `D#${shanghaiDate(rated.ratedAt!)}`,
    });
    expect(ratedDay).toMatchObject({ ratings: expect.any(Number), invitationsRated: expect.any(Number) });
    expect(ratedDay!.ratings).toBeGreaterThanOrEqual(1);
    expect(ratedDay!.invitationsRated).toBeGreaterThanOrEqual(1);

    expect(await seedInvitations(now)).toMatchObject({ skipped: true, created: 0 });
    await db().send(new DeleteCommand({ TableName: table(), Key: { pk: 'SEED#haibei', sk: 'invitations-v1' } }));
    expect(await seedInvitations(now)).toMatchObject({ skipped: false, created: 0 });
    expect(await getItem({ pk: `STAT#${deptPath}`, sk: `D#${rated.completedAt.slice(0, 10)}` })).toEqual(
      countersBefore,
    );
  }, 300_000);
});
