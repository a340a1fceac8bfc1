import type ChineseDays from 'chinese-days';
import { dayjs, TZ } from './time';

/**
 * Working days on the official Chinese calendar, 调休 included.
 *
 * Source: the `chinese-days` package (vsme/chinese-days), which transcribes each year's 国务院办公厅 notice on
 * holiday arrangements (2004–2026 in the pinned version). For years the package does not yet hold (2027: the
 * notice is published around November of the year before and no package available offline carries it yet),
 * PROVISIONAL_HOLIDAYS lists the statutory days of 《全国年节及纪念日放假办法》(2024 revision) with the lunar
 * dates computed by the same package; their 调休 weekend working days are unknown until the notice appears,
 * so weekends count as rest days. `calendarSource(year)` says which years are provisional, and a unit test pins it.
 *
 * Over both, a year an operator entered in the console (the State Council notice, stored and versioned by the API)
 * wins: the API installs the stored years with `useStoredCalendars` before it sets a deadline.
 */
const OFFICIAL_YEARS = new Set<number>(Array.from({ length: 2026 - 2004 + 1 }, (_, i) => 2004 + i));

/** A holiday or a 调休 working day, with the holiday it belongs to (元旦, 春节 …). */
export interface CalendarDay {
  date: string;
  name: string;
}

/** One year's rest days off the weekly rhythm (holidays) and weekend days worked (调休). */
export interface CalendarYearDays {
  year: number;
  holidays: CalendarDay[];
  workdays: CalendarDay[];
}

const PROVISIONAL_HOLIDAYS: Record<number, CalendarDay[]> = {
  2027: [
    { date: '2027-01-01', name: '元旦' },
    // 春节: 除夕 to 初三 (正月初一 = 02-06)
    { date: '2027-02-05', name: '春节' },
    { date: '2027-02-06', name: '春节' },
    { date: '2027-02-07', name: '春节' },
    { date: '2027-02-08', name: '春节' },
    { date: '2027-04-05', name: '清明' },
    { date: '2027-05-01', name: '劳动节' },
    { date: '2027-05-02', name: '劳动节' },
    { date: '2027-06-09', name: '端午' }, // 五月初五
    { date: '2027-09-15', name: '中秋' }, // 八月十五
    { date: '2027-10-01', name: '国庆' },
    { date: '2027-10-02', name: '国庆' },
    { date: '2027-10-03', name: '国庆' },
  ],
};

export function calendarSource(year: number): 'official' | 'provisional' | 'none' {
  if (OFFICIAL_YEARS.has(year)) return 'official';
  return PROVISIONAL_HOLIDAYS[year] ? 'provisional' : 'none';
}

/**
 * The package, loaded on its first use: evaluating its tables takes ≈ 30 ms, which every cold start of the functions
 * that import this file paid at load although most of their requests set no deadline (issue 9's init goal).
 * esbuild bundles a `require` of a literal name as a wrapper that runs on its first call.
 */
let chineseDaysPackage: typeof ChineseDays | undefined;
function chineseDays(): typeof ChineseDays {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose (see above)
  return (chineseDaysPackage ??= (require('chinese-days') as { default: typeof ChineseDays }).default);
}

const provisional = new Set(Object.values(PROVISIONAL_HOLIDAYS).flatMap((days) => days.map((d) => d.date)));

/** Years entered by operators (the API's stored calendar), by year. */
const stored = new Map<number, { off: Set<string>; on: Set<string> }>();

/** Install the stored years (replacing any installed before): they win over the package's data. */
export function useStoredCalendars(years: CalendarYearDays[]): void {
  stored.clear();
  for (const y of years)
    stored.set(y.year, { off: new Set(y.holidays.map((d) => d.date)), on: new Set(y.workdays.map((d) => d.date)) });
}

const isWeekend = (date: string) => [0, 6].includes(dayjs(date).day());

/** Is a calendar date (YYYY-MM-DD, China time) a working day? */
export function isWorkingDay(date: string): boolean {
  const year = Number(date.slice(0, 4));
  const own = stored.get(year);
  if (own) return own.off.has(date) ? false : own.on.has(date) ? true : !isWeekend(date);
  const source = calendarSource(year);
  if (source === 'official') return chineseDays().isWorkday(date);
  if (isWeekend(date)) return false;
  return !provisional.has(date);
}

/**
 * The package's days of a year (before any operator entered it): holidays and 调休 working days with their
 * holiday's Chinese name; a provisional year has no 调休 days yet; a year outside the data has none at all.
 */
export function packageCalendar(year: number): CalendarYearDays {
  const source = calendarSource(year);
  if (source === 'provisional') return { year, holidays: PROVISIONAL_HOLIDAYS[year], workdays: [] };
  const holidays: CalendarDay[] = [];
  const workdays: CalendarDay[] = [];
  if (source === 'official') {
    for (let d = dayjs(`${year}-01-01`); d.year() === year; d = d.add(1, 'day')) {
      const date = d.format('YYYY-MM-DD');
      const detail = chineseDays().getDayDetail(date);
      // A holiday's name is "English,中文,days"; an ordinary day's is the weekday.
      const name = detail.name.includes(',') ? detail.name.split(',')[1] : '';
      if (!detail.work && name) holidays.push({ date, name });
      else if (detail.work && isWeekend(date)) workdays.push({ date, name: name || '调休' });
    }
  }
  return { year, holidays, workdays };
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
