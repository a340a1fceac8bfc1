import { seedDemoVisits, DEMO_VISIT_COUNT } from '../../dev/seed-visits';
import { buildEnterprises } from '../../dev/demo-data';
import { K } from '../../functions/src/data/keys';
import { listWarnings } from '../../functions/src/data/visits';
import { getCase } from '../../functions/src/data/cases';
import { loginAs } from '../support/api';
import { getItem } from '../support/builders';

describe('the visits demo data (dev/seed-visits)', () => {
  test('when seeded twice, then about 110 visits, ratings, one frequency warning and one visit case exist once, and the demo logins work', async () => {
    const first = await seedDemoVisits();
    const second = await seedDemoVisits();

    expect(first).toMatchObject({ created: true, visits: DEMO_VISIT_COUNT, warnings: 1, cases: 1 });
    expect(second).toEqual({ created: false, visits: first.visits, warnings: 1, cases: 1 });
    const visits = await Promise.all(
      Array.from({ length: DEMO_VISIT_COUNT }, (_, i) => getItem(K.visit(`demo-v${String(i + 1).padStart(3, '0')}`))),
    );
    expect(visits.filter(Boolean)).toHaveLength(DEMO_VISIT_COUNT);
    const rated = visits.filter((v) => v?.rating);
    expect(rated.length).toBeGreaterThan(60);
    const withCase = visits.filter((v) => v?.caseId);
    expect(withCase).toHaveLength(1);
    expect(await getCase(withCase[0]!.caseId)).toMatchObject({ source: 'visit', visit: { negativeItemIds: ['N2'] } });
    const ent = buildEnterprises()[0];
    const warnings = await listWarnings(`haibei/${ent.county.id}`, { limit: 10 });
    expect(warnings.items.filter((w) => w.enterprise.id === ent.id)).toEqual([
      expect.objectContaining({ rule: 'department', count: 3 }),
    ]);

    const contact = await loginAs(`demo-enterprise-${ent.id}`);
    const cadre = await loginAs('demo-cadre-menyuan-scjg');
    const { loadUser } = await import('../../functions/src/data/users');
    expect((await loadUser(contact.userId)).grants).toEqual([{ role: 'enterprise', scope: ent.path }]);
    expect((await loadUser(cadre.userId)).grants).toEqual([
      { role: 'visiting_official', scope: 'haibei/menyuan/menyuan-scjg' },
    ]);
    // About 1 000 writes: allow for a loaded machine.
  }, 240_000);
});
