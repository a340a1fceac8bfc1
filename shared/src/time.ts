import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Every calendar rule (一次一评, statistics days, deadlines) uses China Standard Time. */
export const TZ = 'Asia/Shanghai';

/**
 * China Standard Time has been UTC+8 all year since daylight saving ended in September 1991: a fixed offset gives the
 * same answer as dayjs's tz plugin, which asks Intl for the zone's offset on every call (≈ 0.5 ms, a tenth of a
 * 好评's whole handler time). Instants before that go through the plugin.
 */
const CST_OFFSET_MS = 8 * 3600_000;
const FIXED_OFFSET_SINCE = Date.UTC(1991, 8, 15);

/** The instant as China Standard Time wall clock in ISO form (`2026-12-02T09:30:00.000Z` read as local), if fixed. */
function chinaWallClock(at: Date | string | number): string | undefined {
  const ms = dayjs(at).valueOf();
  return ms >= FIXED_OFFSET_SINCE ? new Date(ms + CST_OFFSET_MS).toISOString() : undefined;
}

/** The Asia/Shanghai calendar date (YYYY-MM-DD) of an instant. */
export function shanghaiDate(at: Date | string | number): string {
  return chinaWallClock(at)?.slice(0, 10) ?? dayjs(at).tz(TZ).format('YYYY-MM-DD');
}

/** The Asia/Shanghai date and minute (YYYY-MM-DD HH:mm) of an instant, as messages show it. */
export function shanghaiMinute(at: Date | string | number): string {
  const wall = chinaWallClock(at);
  return wall ? `${wall.slice(0, 10)} ${wall.slice(11, 16)}` : dayjs(at).tz(TZ).format('YYYY-MM-DD HH:mm');
}

export { dayjs };
