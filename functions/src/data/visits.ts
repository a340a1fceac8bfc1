import { type Ref, type VisitPurpose, type VisitRatingView, type VisitStatus } from '@mashang/shared';
import type { AuditEntry } from '@mashang/shared';
import { auditPut } from './audit';
import { caseOpeningWrites, type CaseOpening } from './cases';
import { table } from './client';
import { IX, K, indexAttrs } from './keys';
import { requestWrite, type StoredRequest } from './requests';
import { counterWrites, singleCounterWrite, type DayCounts } from './stats';
import { batchGet, getItem, putAny, putNew, queryIndex, strip, transact, update, type TxItem } from './table';

/**
 * Officials' visits to enterprises (README "Access patterns"): the visit (K.visit) lists in its enterprise's log
 * (IX.visitsOfEnterprise), its official's 我的走访 (IX.visitsOfOfficial) and its region's list (IX.visitsInScope);
 * a pointer item puts it in the prefecture's list. The rating and who gave it are items of the visit's partition;
 * frequency warnings (K.warning) list per prefecture and region, one per breach (K.warningLock).
 */
export interface VisitItem {
  id: string;
  enterprise: Ref;
  enterprisePath: string;
  county: Ref;
  official: { userId: string; name: string };
  department: Ref;
  departmentPath: string;
  purpose: VisitPurpose;
  note?: string;
  companions: string[];
  visitedAt: string;
  createdAt: string;
  status: VisitStatus;
  withdrawnAt?: string;
  withdrawReason?: string;
  withdrawableUntil: string;
  rateBy: string;
  /** Copied from the rating when it is stored: what the visit's views show (never who rated). */
  rating?: VisitRatingView;
  caseId?: string;
}

export interface VisitRaterItem {
  visitId: string;
  userId: string;
  enterpriseId: string;
  createdAt: string;
}

export interface VisitEvent {
  visitId: string;
  kind: 'registered';
  at: string;
}

export interface WarningItem {
  id: string;
  enterprise: Ref;
  enterprisePath: string;
  rule: 'department' | 'total';
  department?: Ref;
  count: number;
  days: number;
  threshold: number;
  visitIds: string[];
  createdAt: string;
}

export interface WarningEvent {
  warningId: string;
  kind: 'warning';
  at: string;
  path: string;
}

const prefectureOf = (path: string) => path.split('/')[0];
const regionOf = (path: string) => path.split('/').slice(0, 2).join('/');

const visitWrite = (v: VisitItem) => ({
  ...K.visit(v.id),
  ...indexAttrs(
    IX.visitsOfEnterprise(v.enterprise.id, v.visitedAt, v.id),
    IX.visitsOfOfficial(v.official.userId, v.createdAt),
    IX.visitsInScope(regionOf(v.enterprisePath), v.createdAt, v.id),
  ),
  type: 'visit',
  ...v,
});

/**
 * The counter updates of a visit change for one day: its department's scopes (department, region, prefecture),
 * and the enterprise's and the official's own items.
 */
export function visitCounterWrites(
  v: Pick<VisitItem, 'departmentPath' | 'enterprisePath' | 'official'>,
  date: string,
  add: DayCounts,
  departmentOnly: DayCounts = {},
): TxItem[] {
  return [
    ...counterWrites([{ path: v.departmentPath, date, add: { ...add, ...departmentOnly } }]),
    singleCounterWrite(v.enterprisePath, date, add),
    singleCounterWrite(K.officialStatPath(v.official.userId), date, add),
  ];
}

/** Registration: the request record, the visit, its prefecture pointer, the counters and the notice event, at once. */
export async function writeVisit(args: {
  request: StoredRequest;
  visit: VisitItem;
  date: string;
  event: VisitEvent;
}): Promise<'stored' | 'duplicate-request' | 'conflict'> {
  const v = args.visit;
  const outcome = await transact([
    requestWrite(args.request, new Date(v.createdAt)),
    putNew(visitWrite(v)),
    putNew({
      ...K.visitPointer(v.id),
      ...indexAttrs(IX.visitsInScope(prefectureOf(v.enterprisePath), v.createdAt, v.id)),
      type: 'visit-pointer',
      visitId: v.id,
    }),
    putNew({ ...K.visitEvent(v.id, args.event.at, args.event.kind), type: 'visit-event', ...args.event }),
    ...visitCounterWrites(v, args.date, { visits: 1 }),
  ]);
  if (outcome === 'stored') return 'stored';
  if (outcome.reasons[0] === 'ConditionalCheckFailed') return 'duplicate-request';
  if (outcome.reasons.includes('TransactionConflict')) return 'conflict';
  throw new Error(`visit transaction cancelled: ${outcome.reasons.join(',')}`);
}

export const getVisit = (id: string) => getItem<VisitItem>(K.visit(id), { consistent: true });

/** Withdraw: only an active, unrated visit still inside its window; the counters of its day go back. */
export async function withdrawVisit(
  v: VisitItem,
  args: { at: string; reason?: string; date: string },
): Promise<boolean> {
  const outcome = await transact([
    update(K.visit(v.id), {
      set: 'SET #s = :w, withdrawnAt = :at, withdrawReason = :r',
      condition: '#s = :active AND withdrawableUntil >= :at AND attribute_not_exists(rating)',
      names: { '#s': 'status' },
      values: { ':w': 'withdrawn', ':active': 'active', ':at': args.at, ':r': args.reason ?? '' },
    }),
    ...visitCounterWrites(v, args.date, { visits: -1, visitsWithdrawn: 1 }),
  ]);
  if (outcome === 'stored') return true;
  if (outcome.reasons[0] === 'ConditionalCheckFailed') return false;
  throw new Error(`withdraw transaction cancelled: ${outcome.reasons.join(',')}`);
}

export type VisitRatingOutcome = 'stored' | 'duplicate-request' | 'already-rated' | 'not-rateable' | 'conflict';

/**
 * The enterprise's rating: request record, the rating (only if none yet: one per visit), who rated (apart), the
 * visit updated (only while active and within its rating window), counters, and the case a bad rating opens.
 */
export async function writeVisitRating(args: {
  request: StoredRequest;
  visit: VisitItem;
  rating: VisitRatingView;
  rater: VisitRaterItem;
  caseId?: string;
  date: string;
  counters: DayCounts;
  /** The case a bad rating opens, and what it adds to the department scopes' day counters. */
  opening?: CaseOpening;
  caseCounters?: DayCounts;
}): Promise<VisitRatingOutcome> {
  const v = args.visit;
  const outcome = await transact([
    requestWrite(args.request, new Date(args.rating.createdAt)),
    putNew({ ...K.visitRating(v.id), type: 'visit-rating', visitId: v.id, ...args.rating }),
    putAny({ ...K.visitRater(v.id), type: 'visit-rater', ...args.rater }),
    update(K.visit(v.id), {
      set: `SET rating = :rating${args.caseId ? ', caseId = :case' : ''}`,
      condition: '#s = :active AND rateBy >= :now AND attribute_not_exists(rating)',
      names: { '#s': 'status' },
      values: {
        ':rating': args.rating,
        ':active': 'active',
        ':now': args.rating.createdAt,
        ...(args.caseId ? { ':case': args.caseId } : {}),
      },
    }),
    ...visitCounterWrites(v, args.date, args.counters, args.caseCounters),
    ...(args.opening ? caseOpeningWrites(args.opening) : []),
  ]);
  if (outcome === 'stored') return 'stored';
  if (outcome.reasons[0] === 'ConditionalCheckFailed') return 'duplicate-request';
  if (outcome.reasons[1] === 'ConditionalCheckFailed') return 'already-rated';
  if (outcome.reasons[3] === 'ConditionalCheckFailed') return 'not-rateable';
  if (outcome.reasons.includes('TransactionConflict')) return 'conflict';
  throw new Error(`visit rating transaction cancelled: ${outcome.reasons.join(',')}`);
}

type Page<T> = { items: T[]; cursor?: string };

/** The enterprise's visits, newest visit first; `since` (a visit time) keeps the recent ones. */
export async function listVisitsOfEnterprise(
  enterpriseId: string,
  opts: { cursor?: string; limit: number; since?: string },
): Promise<Page<VisitItem>> {
  const page = opts.since
    ? await queryIndex(IX.visitsOfEnterprise(enterpriseId, opts.since), {
        sk: 'from',
        newestFirst: true,
        limit: opts.limit,
        cursor: opts.cursor,
      })
    : await queryIndex(IX.visitsOfEnterprise(enterpriseId), {
        newestFirst: true,
        limit: opts.limit,
        cursor: opts.cursor,
      });
  return { items: page.items.map((i) => strip<VisitItem>(i)), cursor: page.cursor };
}

/** An official's own visits, newest registration first. */
export async function listVisitsOfOfficial(
  userId: string,
  opts: { cursor?: string; limit: number },
): Promise<Page<VisitItem>> {
  const page = await queryIndex(IX.visitsOfOfficial(userId), {
    sk: 'prefix',
    newestFirst: true,
    limit: opts.limit,
    cursor: opts.cursor,
  });
  return { items: page.items.map((i) => strip<VisitItem>(i)), cursor: page.cursor };
}

/** Visits to enterprises of a region (the visits themselves) or of the prefecture (pointers, then one BatchGet). */
export async function listVisitsInScope(
  scope: string,
  opts: { cursor?: string; limit: number },
): Promise<Page<VisitItem>> {
  const page = await queryIndex(IX.visitsInScope(scope), { newestFirst: true, limit: opts.limit, cursor: opts.cursor });
  if (scope.includes('/')) return { items: page.items.map((i) => strip<VisitItem>(i)), cursor: page.cursor };
  const ids = page.items.map((i) => String(i.visitId));
  const got = await batchGet<VisitItem>(ids.map((id) => K.visit(id)));
  return { items: ids.map((id) => got.get(K.visit(id).pk)).filter((v): v is VisitItem => !!v), cursor: page.cursor };
}

/** Store a frequency warning unless the same breach was already warned of (its lock), with its alert event. */
export async function writeWarning(
  w: WarningItem,
  lockKey: string,
  lockedUntil: string,
  date: string,
): Promise<boolean> {
  const outcome = await transact([
    {
      Put: {
        TableName: table(),
        Item: {
          ...K.warningLock(lockKey),
          type: 'visit-warning-lock',
          warningId: w.id,
          lockedUntil,
          expiresAt: Math.floor(Date.parse(lockedUntil) / 1000) + 86400,
        },
        ConditionExpression: 'attribute_not_exists(pk) OR lockedUntil < :now',
        ExpressionAttributeValues: { ':now': w.createdAt },
      },
    },
    putNew({
      ...K.warning(w.id),
      ...indexAttrs(
        IX.warningsOfPrefecture(prefectureOf(w.enterprisePath), w.createdAt, w.id),
        IX.warningsOfRegion(regionOf(w.enterprisePath), w.createdAt, w.id),
      ),
      type: 'visit-warning',
      ...w,
    }),
    putNew({
      ...K.warningEvent(w.id, w.createdAt),
      type: 'visit-event',
      warningId: w.id,
      kind: 'warning',
      at: w.createdAt,
      path: w.enterprisePath,
    }),
    ...counterWrites([{ path: regionOf(w.enterprisePath), date, add: { visitWarnings: 1 } }]),
  ]);
  if (outcome === 'stored') return true;
  if (outcome.reasons[0] === 'ConditionalCheckFailed') return false;
  throw new Error(`warning transaction cancelled: ${outcome.reasons.join(',')}`);
}

export const getWarning = (id: string) => getItem<WarningItem>(K.warning(id));

/** Warnings in a scope (the prefecture or a region), newest first. */
export async function listWarnings(
  scope: string,
  opts: { cursor?: string; limit: number },
): Promise<Page<WarningItem>> {
  const key = scope.includes('/') ? IX.warningsOfRegion(scope) : IX.warningsOfPrefecture(scope);
  const page = await queryIndex(key, { newestFirst: true, limit: opts.limit, cursor: opts.cursor });
  return { items: page.items.map((i) => strip<WarningItem>(i)), cursor: page.cursor };
}

export interface FrequencyRule {
  days: number;
  perDepartment: number;
  total: number;
}

/** The prefecture's frequency rule (a setting item), or undefined for the default. */
export async function getFrequencySetting(prefecture: string): Promise<FrequencyRule | undefined> {
  const item = await getItem<Record<string, unknown>>(K.setting(prefecture, 'visit-frequency'));
  return item
    ? { days: Number(item.days), perDepartment: Number(item.perDepartment), total: Number(item.total) }
    : undefined;
}

/** The rule and its audit entry in one transaction. */
export async function putFrequencySetting(
  prefecture: string,
  rule: FrequencyRule,
  by: string,
  at: string,
  audit: AuditEntry,
): Promise<void> {
  const outcome = await transact([
    putAny({ ...K.setting(prefecture, 'visit-frequency'), type: 'setting', ...rule, updatedBy: by, updatedAt: at }),
    auditPut(audit),
  ]);
  if (outcome !== 'stored') throw new Error(`frequency setting not stored: ${outcome.reasons.join(',')}`);
}
