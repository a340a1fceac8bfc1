import chineseDays from 'chinese-days';
import { dayjs, TZ } from './time';

/**
 * Working days on the official Chinese calendar, 调休 included.
 *
 * Source: the `chinese-days` package (vsme/chinese-days), which transcribes each year's 国务院办公厅 notice on
 * holiday arrangements (2004–2026 in the pinned version). For years the package does not yet hold (2027: the
 * notice is published around November of the year before and no package available offline carries it yet),
 * PROVISIONAL_HOLIDAYS lists the statutory days of 《全国年节及纪念日放假办法》(2024 revision) with the lunar
 * dates computed by the same package; their 调休 weekend working days are unknown until the notice appears,
 * so weekends count as rest days. Replace the entry with the official one (or upgrade the package) when it
 * is published: `calendarSource(year)` says which years are provisional, and a unit test pins it.
 */
const OFFICIAL_YEARS = new Set<number>(Array.from({ length: 2026 - 2004 + 1 }, (_, i) => 2004 + i));

const PROVISIONAL_HOLIDAYS: Record<number, string[]> = {
  2027: [
    '2027-01-01', // 元旦
    '2027-02-05',
    '2027-02-06',
    '2027-02-07',
    '2027-02-08', // 春节: 除夕 to 初三 (正月初一 = 02-06)
    '2027-04-05', // 清明
    '2027-05-01',
    '2027-05-02', // 劳动节
    '2027-06-09', // 端午 (五月初五)
    '2027-09-15', // 中秋 (八月十五)
    '2027-10-01',
    '2027-10-02',
    '2027-10-03', // 国庆
  ],
};

export function calendarSource(year: number): 'official' | 'provisional' | 'none' {
  if (OFFICIAL_YEARS.has(year)) return 'official';
  return PROVISIONAL_HOLIDAYS[year] ? 'provisional' : 'none';
}

const provisional = new Set(Object.values(PROVISIONAL_HOLIDAYS).flat());

/** Is a calendar date (YYYY-MM-DD, China time) a working day? */
export function isWorkingDay(date: string): boolean {
  const year = Number(date.slice(0, 4));
  const source = calendarSource(year);
  if (source === 'official') return chineseDays.isWorkday(date);
  const dow = dayjs(date).day();
  if (dow === 0 || dow === 6) return false;
  return !provisional.has(date);
}

/** The date of the n-th working day after `date` (n ≥ 1). */
export function addWorkingDays(date: string, n: number): string {
  let d = dayjs(date);
  let left = n;
  while (left > 0) {
    d = d.add(1, 'day');
    if (isWorkingDay(d.format('YYYY-MM-DD'))) left--;
  }
  return d.format('YYYY-MM-DD');
}

/** A deadline is the end of its day in China time, as an ISO instant. */
function endOfDayInstant(date: string): string {
  return dayjs.tz(`${date} 23:59:59`, TZ).toISOString();
}

/** Deadline instant n working days after the instant `from` (China time). */
export function workingDeadline(from: Date | string, n: number): string {
  return endOfDayInstant(addWorkingDays(dayjs(from).tz(TZ).format('YYYY-MM-DD'), n));
}
