import { demoStaffLogin, seedDemoStaff } from '../../dev/seed-staff';
import { loadUser } from '../../functions/src/data/users';
import { loginAs } from '../support/api';

describe('the window staff demo logins (dev/seed-staff)', () => {
  test('when seeded twice, then every window has one staff login scoped to that window, stored once', async () => {
    const first = await seedDemoStaff();
    const second = await seedDemoStaff();

    expect(first).toEqual({ staff: 1200, created: 2400, skipped: false });
    expect(second).toEqual({ staff: 1200, created: 0, skipped: true });
    const staff = await loginAs(demoStaffLogin('menyuan-scjg-w01'));
    expect((await loadUser(staff.userId)).grants).toEqual([
      { role: 'window_staff', scope: 'haibei/menyuan/menyuan-scjg/menyuan-scjg-w01' },
    ]);
    const other = await loginAs(demoStaffLogin('qilian-ga-w02'));
    expect((await loadUser(other.userId)).grants).toEqual([
      { role: 'window_staff', scope: 'haibei/qilian/qilian-ga/qilian-ga-w02' },
    ]);
    // 2 400 writes: allow for a loaded machine.
  }, 240_000);
});
