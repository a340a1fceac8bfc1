import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Every calendar rule (一次一评, statistics days, deadlines) uses China Standard Time. */
export const TZ = 'Asia/Shanghai';

/** The Asia/Shanghai calendar date (YYYY-MM-DD) of an instant. */
export function shanghaiDate(at: Date | string | number): string {
  return dayjs(at).tz(TZ).format('YYYY-MM-DD');
}

export { dayjs };
