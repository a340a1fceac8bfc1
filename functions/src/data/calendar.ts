import type { AuditEntry } from '@mashang/shared';
import type { CalendarDay } from '@mashang/shared/src/calendar';
import { auditPut } from './audit';
import { table } from './client';
import { K } from './keys';
import { requestWrite, type StoredRequest } from './requests';
import { putNew, queryPartition, strip, transact, type TxItem } from './table';

/**
 * The holiday calendar operators enter (SPEC §2.6): per year the current days, and every version kept.
 *
 *   table  K.calendarYear     CALENDAR / Y#<year>                 every stored year's current days (one Query)
 *   table  K.calendarVersion  CALENDAR#<year> / V#<000001>        each version as entered, never changed
 */
export interface StoredCalendarYear {
  year: number;
  version: number;
  source: string;
  holidays: CalendarDay[];
  workdays: CalendarDay[];
  updatedAt: string;
  updatedBy: string;
}

/** Every stored year, current version: one Query on one small partition (a few KB a year). */
export async function storedCalendarYears(): Promise<StoredCalendarYear[]> {
  return (await queryPartition(K.calendarYears)).map((i) => strip<StoredCalendarYear>(i));
}

/** A year's versions, newest first. */
export async function calendarVersions(year: number): Promise<StoredCalendarYear[]> {
  return (await queryPartition(K.calendarVersions(year)))
    .map((i) => strip<StoredCalendarYear>(i))
    .sort((a, b) => b.version - a.version);
}

/**
 * Store a new version of a year with its audit entry and request record, in one transaction. The current item is
 * replaced only if it is still at the version the edit started from (a concurrent edit is 'stale', not lost).
 */
export async function storeCalendarVersion(
  y: StoredCalendarYear,
  baseVersion: number,
  audit: AuditEntry,
  request: StoredRequest,
  now: Date,
): Promise<'stored' | 'stale' | 'duplicate-request'> {
  const current: TxItem = {
    Put: {
      TableName: table(),
      Item: { ...K.calendarYear(y.year), type: 'calendarYear', ...y },
      ...(baseVersion === 0
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': baseVersion } }),
    },
  };
  const outcome = await transact([
    requestWrite(request, now),
    current,
    putNew({ ...K.calendarVersion(y.year, y.version), type: 'calendarVersion', ...y }),
    auditPut(audit),
  ]);
  if (outcome === 'stored') return 'stored';
  if (outcome.reasons[0] === 'ConditionalCheckFailed') return 'duplicate-request';
  if (outcome.reasons.some((r) => r === 'ConditionalCheckFailed' || r === 'TransactionConflict')) return 'stale';
  throw new Error(`calendar transaction cancelled: ${outcome.reasons.join(',')}`);
}
