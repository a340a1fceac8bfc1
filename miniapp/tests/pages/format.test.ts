import { formatTime } from '../../src/components/status';

describe('formatTime', () => {
  test('when a deadline instant is shown, then it is China time whatever the device time zone', () => {
    expect(formatTime('2026-11-30T15:59:59.000Z')).toBe('2026-11-30 23:59');
    expect(formatTime('2026-12-31T16:30:00.000Z')).toBe('2027-01-01 00:30');
    expect(formatTime(undefined)).toBe('');
  });
});
