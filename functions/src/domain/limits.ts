import { hit } from '../data/limits';
import { AppError } from '../lib/errors';

/** Limits per caller (SPEC §5 RATE_LIMITED): enough for any honest use, a wall against scripts. */
export const LIMITS = {
  ratingsPerUserPerHour: 30,
  complaintsPerUserPerHour: 10,
  /** Guessing a query code: the number of lookups of one tracking number, and from one address. */
  trackingPerNumberPerHour: 20,
  trackingPerAddressPerHour: 60,
  /** Logins from one address (a service hall's shared network stays far below it). */
  loginsPerAddressPerMinute: 60,
};

export async function enforce(key: string, limit: number, windowSeconds: number, now: Date): Promise<void> {
  if ((await hit(key, windowSeconds, now)) > limit) {
    throw new AppError('RATE_LIMITED', '操作过于频繁，请稍后再试');
  }
}
