import {
  ancestorScopes,
  canAccess,
  codeFromScan,
  creditCodeCheckChar,
  isBadRating,
  isValidCreditCode,
  parseCode,
  scopeContains,
  dayjs,
  shanghaiDate,
  shanghaiMinute,
  TZ,
  SubmitRatingRequest,
  ratingFormProblems,
} from '@mashang/shared';
import { addWorkingDays, calendarSource, isWorkingDay, workingDeadline } from '@mashang/shared/src/calendar';

describe('统一社会信用代码 check character (GB 32100-2015)', () => {
  test.each(['91350100M000100Y43', '91110000802100433B', '913300007125582210'])(
    'when %s is checked, then it is valid',
    (code) => {
      expect(isValidCreditCode(code)).toBe(true);
    },
  );
  test('when one character is changed, then the check character no longer matches', () => {
    expect(isValidCreditCode('91350100M000100Y44')).toBe(false);
    expect(isValidCreditCode('91350100M000100I43')).toBe(false); // I is not in the alphabet
    expect(isValidCreditCode('91350100M000100Y4')).toBe(false);
  });
  test('when the check character is computed, then it matches the published code', () => {
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3');
  });
});

describe('rating validation', () => {
  const base = { requestId: 'req-12345678', code: 'wAbCdEfGh.abcdefghijkl' };
  test('when levels 1–2 come without a reason, then they are refused; 3–5 need none', () => {
    expect(SubmitRatingRequest.safeParse({ ...base, level: 1 }).success).toBe(false);
    expect(SubmitRatingRequest.safeParse({ ...base, level: 2, reasons: ['态度生硬'] }).success).toBe(true);
    expect(SubmitRatingRequest.safeParse({ ...base, level: 3 }).success).toBe(true);
    expect(isBadRating(2)).toBe(true);
    expect(isBadRating(3)).toBe(false);
  });
  test('when a good rating carries 差评 reasons, duplicates or an anonymous phone, then it is refused', () => {
    expect(SubmitRatingRequest.safeParse({ ...base, level: 5, reasons: ['态度生硬'] }).success).toBe(false);
    expect(SubmitRatingRequest.safeParse({ ...base, level: 1, reasons: ['态度生硬', '态度生硬'] }).success).toBe(false);
    expect(SubmitRatingRequest.safeParse({ ...base, level: 4, anonymous: true, phone: '13912345678' }).success).toBe(
      false,
    );
  });
  test('when the comment is exactly 500 characters it passes, at 501 it fails', () => {
    expect(SubmitRatingRequest.safeParse({ ...base, level: 4, comment: '好'.repeat(500) }).success).toBe(true);
    expect(SubmitRatingRequest.safeParse({ ...base, level: 4, comment: '好'.repeat(501) }).success).toBe(false);
  });
  test.each([
    ['13912345678', true],
    ['19912345678', true],
    ['12912345678', false],
    ['1391234567', false],
    ['+8613912345678', false],
  ])('when the phone is %s, then valid=%s', (phone, ok) => {
    expect(SubmitRatingRequest.safeParse({ ...base, level: 4, phone }).success).toBe(ok);
  });
});

describe('day boundaries in Asia/Shanghai', () => {
  test('when it is 15:59:59 UTC, then it is still the same day in China; at 16:00 UTC it is the next', () => {
    expect(shanghaiDate('2026-11-26T15:59:59.999Z')).toBe('2026-11-26');
    expect(shanghaiDate('2026-11-26T16:00:00.000Z')).toBe('2026-11-27');
    expect(shanghaiDate('2026-12-31T16:00:00.000Z')).toBe('2027-01-01');
  });

  test('when the fixed UTC+8 offset and the tz database are asked about the same instants, then they agree to the minute', () => {
    // Every seventh hour of 1992 and 2026 (over a year that visits every hour of the day), at the hour and the
    // millisecond before it, plus Date and number inputs and an instant of 1988 (daylight saving: the tz database).
    const starts = [Date.UTC(1992, 0, 1), Date.UTC(2026, 0, 1)];
    let compared = 0;
    for (const start of starts)
      for (let t = start; t < start + 366 * 24 * 3600_000; t += 7 * 3600_000)
        for (const at of [t, t - 1]) {
          const iso = new Date(at).toISOString();
          expect(shanghaiDate(iso)).toBe(dayjs(iso).tz(TZ).format('YYYY-MM-DD'));
          expect(shanghaiMinute(at)).toBe(dayjs(at).tz(TZ).format('YYYY-MM-DD HH:mm'));
          compared++;
        }
    expect(compared).toBe(2 * 2 * Math.ceil((366 * 24) / 7));
    expect(shanghaiDate(new Date('2026-06-30T16:30:00Z'))).toBe('2026-07-01');
    expect(shanghaiMinute('1988-07-01T00:00:00Z')).toBe(
      dayjs('1988-07-01T00:00:00Z').tz(TZ).format('YYYY-MM-DD HH:mm'),
    );
    expect(shanghaiMinute('1988-07-01T00:00:00Z')).toBe('1988-07-01 09:00'); // CDT, UTC+9
  });
});

describe('scopes', () => {
  test('when a scope is a prefix path, then it contains its children but not its siblings', () => {
    expect(scopeContains('haibei/menyuan', 'haibei/menyuan/menyuan-scjg/w1')).toBe(true);
    expect(scopeContains('haibei/menyuan', 'haibei/menyuan2/x')).toBe(false);
    expect(ancestorScopes('haibei/menyuan/d/w')).toEqual([
      'haibei',
      'haibei/menyuan',
      'haibei/menyuan/d',
      'haibei/menyuan/d/w',
    ]);
    expect(canAccess([{ role: 'handler', scope: 'haibei/menyuan/d' }], ['inspector'], 'haibei/menyuan/d/w')).toBe(
      false,
    );
  });
});

describe('codes from a scan', () => {
  const code = 'wGlxHRSHX.__yDNWyp22jB';
  test('when the scene or an ordinary-link q arrives URL-encoded, then the code is extracted', () => {
    expect(codeFromScan(encodeURIComponent(code))).toBe(code);
    expect(codeFromScan(encodeURIComponent(`https://mashang.haibei.gov.cn/c/${code}`))).toBe(code);
    expect(codeFromScan('https://evil.example/x')).toBeNull();
    expect(parseCode(code)).toEqual({ kind: 'window', codeId: 'wGlxHRSHX', signature: '__yDNWyp22jB' });
  });
});

describe('working days on the official calendar', () => {
  test('when a 差评 arrives on the eve of 国庆 2026, then the callback is due on the first working day after the holiday', () => {
    expect(addWorkingDays('2026-09-30', 1)).toBe('2026-10-08');
  });
  test('when the 调休 Saturday before 春节 2026 is asked, then it is a working day; the holiday is not', () => {
    expect(isWorkingDay('2026-02-14')).toBe(true);
    expect(isWorkingDay('2026-02-17')).toBe(false);
    expect(addWorkingDays('2026-02-13', 1)).toBe('2026-02-14');
    expect(addWorkingDays('2026-02-14', 1)).toBe('2026-02-24');
  });
  test('when 15 working days are counted across 春节 2026, then holidays and weekends are skipped', () => {
    // 11,12,13, 14(调休 Sat), 24,25,26,27, 28(调休 Sat), 3/2,3,4,5,6, 9
    expect(addWorkingDays('2026-02-10', 15)).toBe('2026-03-09');
  });
  test('when 2027 is asked, then the statutory holidays count (provisional until the State Council notice)', () => {
    expect(calendarSource(2026)).toBe('official');
    expect(calendarSource(2027)).toBe('provisional');
    expect(isWorkingDay('2027-02-08')).toBe(false);
    expect(isWorkingDay('2027-10-01')).toBe(false);
    expect(addWorkingDays('2026-12-31', 1)).toBe('2027-01-04');
  });
  test('when a deadline is computed from a UTC instant, then the China date decides and the deadline ends at 23:59:59 China time', () => {
    expect(workingDeadline('2026-11-26T17:00:00Z', 1)).toBe('2026-11-30T15:59:59.000Z');
  });
});

describe('rating rules shared by the API and the rate page', () => {
  const drafts = [
    { level: 1, reasons: [] },
    { level: 5, reasons: ['其他'], comment: '好' },
    { level: 2, reasons: ['其他'] },
    { level: 2, reasons: ['态度生硬', '态度生硬'] },
    { level: 3, anonymous: true, phone: '13800001111' },
  ];
  test.each(drafts)('when the draft %j breaks a rule, then the page and the API refuse it with the same words', (d) => {
    const page = ratingFormProblems(d).map((p) => p.message);
    const api = SubmitRatingRequest.safeParse({ requestId: 'req-12345678', code: 'wAbCdEfGh.abcdefghijkl', ...d });
    expect(page.length).toBeGreaterThan(0);
    expect(api.success).toBe(false);
    expect(api.error!.issues.map((i) => i.message)).toEqual(page);
  });
  test('when nothing is chosen yet, then the page asks for the level first', () => {
    expect(ratingFormProblems({ level: 0, reasons: [] })).toEqual([{ path: 'level', message: '请选择满意程度' }]);
  });
  test('when a good rating is complete, then neither refuses it', () => {
    expect(ratingFormProblems({ level: 4, comment: '很好', phone: '13800001111' })).toEqual([]);
  });
});
