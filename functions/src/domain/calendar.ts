import { calendarSource, packageCalendar, useStoredCalendars, type CalendarDay } from '@mashang/shared/src/calendar';
import {
  CALENDAR_ORIGIN_LABELS,
  CalendarYearUpdate,
  PREFECTURE_ID,
  dayjs,
  type CalendarYearView,
  type ErrorIssue,
} from '@mashang/shared';
import { calendarVersions, storeCalendarVersion, storedCalendarYears, type StoredCalendarYear } from '../data/calendar';
import { getStoredRequest } from '../data/requests';
import { AppError, forbidden } from '../lib/errors';
import type { Session } from '../lib/session';
import { parseWith } from '../lib/validate';
import { actorOf, auditEntry } from './audit';
import { onceOnly, type RequestTicket } from './idempotency';

/**
 * The holiday calendar (SPEC §2.6, §2.3 deadlines): operators enter a year's holidays and 调休 working days from the
 * State Council notice; every deadline is then computed on the stored year over the package's data. A deadline is
 * computed once, when it is set, and stored with the case: a later change of the calendar moves no deadline.
 */

/** How long an instance trusts its copy of the stored years (a change reaches every deadline within this). */
const CACHE_MS = 60_000;
let loadedAt = 0;

/**
 * Make the working-day arithmetic use the stored calendar: every use case that sets a deadline awaits this first.
 * One Query a minute per instance at most.
 */
export async function refreshCalendar(): Promise<void> {
  const t = Date.now();
  if (loadedAt && t - loadedAt < CACHE_MS && t >= loadedAt) return;
  useStoredCalendars(await storedCalendarYears());
  loadedAt = t;
}

const MIN_YEAR = 2004;
const MAX_YEAR = 2100;

function checkYear(year: string): number {
  const y = Number(year);
  if (!/^\d{4}$/.test(year) || y < MIN_YEAR || y > MAX_YEAR)
    throw new AppError('VALIDATION_FAILED', `年份应在 ${MIN_YEAR}–${MAX_YEAR} 之间`);
  return y;
}

const isOfficial = (s: Session) => s.grants.some((g) => g.role !== 'enterprise');

/** GET /v1/calendar/{year}: the year as deadlines count it, where it comes from, and its stored versions. */
export async function getCalendarYear(session: Session, yearParam: string): Promise<CalendarYearView> {
  if (!isOfficial(session)) throw forbidden();
  const year = checkYear(yearParam);
  const versions = await calendarVersions(year);
  const current = versions[0];
  const history = versions.map((v) => ({
    version: v.version,
    source: v.source,
    updatedAt: v.updatedAt,
    updatedBy: v.updatedBy,
    holidays: v.holidays.length,
    workdays: v.workdays.length,
  }));
  if (current)
    return {
      year,
      origin: 'stored',
      source: current.source,
      holidays: current.holidays,
      workdays: current.workdays,
      version: current.version,
      updatedAt: current.updatedAt,
      versions: history,
    };
  const origin = calendarSource(year);
  const pkg = packageCalendar(year);
  return {
    year,
    origin,
    source:
      origin === 'official'
        ? `内置数据：chinese-days 软件包转录的国务院办公厅${year}年部分节假日安排通知`
        : origin === 'provisional'
          ? `暂定：按《全国年节及纪念日放假办法》推算的法定节假日，国务院办公厅${year}年安排通知发布后请录入（调休上班日未知）`
          : CALENDAR_ORIGIN_LABELS.none,
    holidays: pkg.holidays,
    workdays: pkg.workdays,
    version: 0,
    versions: [],
  };
}

/** Field errors of a year's days: in the year, each date once, 调休 working days on weekends only. */
function checkDays(year: number, holidays: CalendarDay[], workdays: CalendarDay[]): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  const seen = new Set<string>();
  const check = (list: CalendarDay[], field: 'holidays' | 'workdays') =>
    list.forEach((d, i) => {
      const path = `${field}.${i}.date`;
      const day = dayjs(d.date);
      if (!day.isValid() || day.format('YYYY-MM-DD') !== d.date)
        issues.push({ path, message: `${d.date} 不是有效日期` });
      else if (day.year() !== year) issues.push({ path, message: `${d.date} 不在 ${year} 年` });
      else if (seen.has(d.date)) issues.push({ path, message: `${d.date} 重复填写` });
      else if (field === 'workdays' && ![0, 6].includes(day.day()))
        issues.push({ path, message: `${d.date} 不是周末，调休上班日应为周六或周日` });
      seen.add(d.date);
    });
  check(holidays, 'holidays');
  check(workdays, 'workdays');
  return issues;
}

/**
 * POST /v1/calendar/{year} (operators of the prefecture): store a new version of the year, audited, with its
 * source. The edit names the version it started from; a retried request gets the first answer.
 */
export async function updateCalendarYear(
  session: Session,
  yearParam: string,
  body: unknown,
  now: Date,
  ticket?: RequestTicket,
): Promise<CalendarYearView> {
  const year = checkYear(yearParam);
  const input = parseWith(CalendarYearUpdate, body);
  // The calendar is the whole prefecture's: only an operator of the prefecture may change it.
  if (!session.grants.some((g) => g.role === 'operator' && g.scope === PREFECTURE_ID)) throw forbidden();
  const actor = actorOf(session, ['operator'], PREFECTURE_ID);
  const sortByDate = (l: CalendarDay[]) => [...l].sort((a, b) => a.date.localeCompare(b.date));
  const holidays = sortByDate(input.holidays);
  const workdays = sortByDate(input.workdays);
  const issues = checkDays(year, holidays, workdays);
  if (issues.length) throw new AppError('VALIDATION_FAILED', issues[0].message, issues);
  const { requestId, ...intent } = input;
  const view = await onceOnly<CalendarYearView>(
    { getStoredRequest },
    {
      ticket,
      userId: session.userId,
      requestId,
      intent: { route: 'calendar', year, ...intent },
      status: 200,
      busyMessage: '该年度日历刚被他人修改，请刷新后重新编辑',
      maxAttempts: 1,
    },
    async (record) => {
      const earlier = await calendarVersions(year);
      const before = earlier[0];
      if ((before?.version ?? 0) !== input.baseVersion)
        throw new AppError('CONFLICT', '该年度日历刚被他人修改，请刷新后重新编辑');
      const next: StoredCalendarYear = {
        year,
        version: input.baseVersion + 1,
        source: input.source,
        holidays,
        workdays,
        updatedAt: now.toISOString(),
        updatedBy: session.userId,
      };
      const pkg = packageCalendar(year);
      const audit = auditEntry(
        {
          actor,
          action: 'calendar.update',
          target: { kind: 'calendar', id: String(year), name: `${year}年节假日` },
          scope: PREFECTURE_ID,
          before: before
            ? { version: before.version, source: before.source, holidays: before.holidays, workdays: before.workdays }
            : { version: 0, source: calendarSource(year), holidays: pkg.holidays, workdays: pkg.workdays },
          after: { version: next.version, source: next.source, holidays, workdays },
        },
        now,
      );
      // The answer a retry gets again: the year as stored by this request.
      const response: CalendarYearView = {
        year,
        origin: 'stored',
        source: next.source,
        holidays,
        workdays,
        version: next.version,
        updatedAt: next.updatedAt,
        versions: [next, ...earlier].map((v) => ({
          version: v.version,
          source: v.source,
          updatedAt: v.updatedAt,
          updatedBy: v.updatedBy,
          holidays: v.holidays.length,
          workdays: v.workdays.length,
        })),
      };
      const outcome = await storeCalendarVersion(next, input.baseVersion, audit, record(response), now);
      return { outcome, response };
    },
  );
  // This instance counts on the new year at once; the others within a minute (refreshCalendar).
  loadedAt = 0;
  await refreshCalendar();
  return view;
}
