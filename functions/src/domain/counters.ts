import { isBadRating, isBadVisitRating, isGoodRating, type RatingLevel } from '@mashang/shared';
import type { CaseItem } from '../data/cases';
import type { DayCounts } from '../data/stats';

/** The counters a rating adds to each of its scopes' day buckets (window, department, region, prefecture). */
export function ratingCounters(level: RatingLevel): DayCounts {
  return { ratings: 1, [`l${level}`]: 1, good: isGoodRating(level) ? 1 : 0, bad: isBadRating(level) ? 1 : 0 };
}

/** What opening a case adds to its scopes' day counters. */
export function caseOpeningCounters(source: CaseItem['source']): DayCounts {
  return {
    cases: 1,
    ...(source === 'complaint' ? { complaints: 1 } : {}),
    ...(source === 'visit' ? { visitCases: 1 } : {}),
  };
}

/** The same counters taken away (an upheld appeal removes its rating from its own day). */
export function negated(c: DayCounts): DayCounts {
  return Object.fromEntries(Object.entries(c).map(([k, v]) => [k, -(v ?? 0)]));
}

/** What an enterprise's rating of a visit adds to the day counters (department scopes, enterprise, official). */
export function visitRatingCounters(level: RatingLevel, negativeItemIds: readonly string[], solved: string): DayCounts {
  const bad = isBadVisitRating(level, negativeItemIds);
  return {
    visitRatings: 1,
    [`vl${level}`]: 1,
    visitGood: isGoodRating(level) ? 1 : 0,
    visitBad: bad ? 1 : 0,
    visitSolved: solved === 'yes' ? 1 : 0,
    visitNegative: negativeItemIds.length > 0 ? 1 : 0,
  };
}
