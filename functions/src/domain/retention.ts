import { config } from '../config';
import { eraseContact, erasuresDue, getCase, type CaseChange } from '../data/cases';
import { logger } from '../lib/logger';

/**
 * Retention rule (README "Retention"): a filer's phone and name are erased RETENTION_DAYS (default 180, a deploy
 * parameter) after their case closes. Closing schedules the erasure, reopening cancels it, and the daily job erases
 * what is due. The case, its timeline and the rating stay; only the contact details go.
 */
const DAY_MS = 86_400_000;

/** What a case change adds for the retention rule: schedule on closing, cancel on reopening. */
export function erasureOf(change: Pick<CaseChange, 'before' | 'after'>): Pick<CaseChange, 'erasure'> {
  const { before, after } = change;
  if (after.bucket === 'closed' && before.bucket !== 'closed' && after.closedAt) {
    const eraseAt = new Date(Date.parse(after.closedAt) + config().RETENTION_DAYS * DAY_MS).toISOString();
    return { erasure: { eraseAt } };
  }
  if (before.bucket === 'closed' && after.bucket !== 'closed') return { erasure: 'cancel' };
  return {};
}

/** The daily job: erase the contact details whose time has come. */
export async function eraseExpiredContacts(now: Date): Promise<{ erased: number }> {
  let erased = 0;
  for (const due of await erasuresDue(now.toISOString())) {
    const c = await getCase(due.caseId);
    if (!c || c.bucket !== 'closed') continue;
    if (await eraseContact(due.caseId, c.ratingId, now.toISOString())) erased++;
    else logger.info('erasure skipped: cancelled meanwhile', { caseId: due.caseId });
  }
  return { erased };
}
