import * as z from 'zod/mini';

/**
 * The holiday calendar as the API stores and shows it (SPEC §2.6): a year's holidays and 调休 working days with
 * their source (the State Council notice), entered by operators, versioned. The working-day arithmetic itself is
 * calendar.ts (imported by path: its data stays out of the mini-program).
 */
const Day = z.strictObject({
  date: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')),
  name: z.string().check(z.trim(), z.minLength(1, '请填写节日名称'), z.maxLength(20, '节日名称不能超过 20 字')),
});

export const CalendarYearUpdate = z.strictObject({
  requestId: z.string().check(z.regex(/^[A-Za-z0-9_-]{8,64}$/, 'requestId 格式不正确')),
  /** The version this edit starts from (0 = the first entry of the year): a concurrent edit is refused, not lost. */
  baseVersion: z.number().check(z.multipleOf(1), z.gte(0)),
  source: z
    .string()
    .check(
      z.trim(),
      z.minLength(4, '请填写来源，例如国务院办公厅关于节假日安排的通知及文号'),
      z.maxLength(200, '来源不能超过 200 字'),
    ),
  holidays: z.array(Day).check(z.minLength(1, '请至少填写一天节假日'), z.maxLength(60, '节假日不能超过 60 天')),
  workdays: z.array(Day).check(z.maxLength(30, '调休上班日不能超过 30 天')),
});
export type CalendarYearUpdate = z.infer<typeof CalendarYearUpdate>;

/** Where a year's days come from: entered by an operator, the package's official data, provisional, or nothing. */
export type CalendarOrigin = 'stored' | 'official' | 'provisional' | 'none';

export const CALENDAR_ORIGIN_LABELS: Record<CalendarOrigin, string> = {
  stored: '运维录入',
  official: '内置数据（已发布）',
  provisional: '暂定（国务院通知尚未发布）',
  none: '无数据（仅按周末计算）',
};

export interface CalendarVersionView {
  version: number;
  source: string;
  updatedAt: string;
  updatedBy: string;
  holidays: number;
  workdays: number;
}

export interface CalendarYearView {
  year: number;
  origin: CalendarOrigin;
  /** The notice the days come from (stored years), or what the built-in data is. */
  source: string;
  holidays: { date: string; name: string }[];
  workdays: { date: string; name: string }[];
  /** Stored years: the current version and every earlier one, newest first. */
  version: number;
  updatedAt?: string;
  versions: CalendarVersionView[];
}
