import { shanghaiDate, type AuditEntry, type CaseListBucket, type CaseView } from '@mashang/shared';
import { decryptPii, encryptPii } from '../lib/crypto';
import type { AlertItem } from './alerts';
import { auditPut } from './audit';
import { IX, K, caseListAttrs, indexAttrs } from './keys';
import { letterWrite, type LetterItem } from './letters';
import { ratingExclusionWrite } from './ratings';
import { requestWrite, type StoredRequest } from './requests';
import { counterWrites, gaugeWrites, type CounterChange, type DayCounts, type GaugeCounts } from './stats';
import {
  batchGet,
  getItem,
  putAny,
  putIfVersion,
  putNew,
  queryIndex,
  queryPartition,
  strip,
  transact,
  update,
  type TxItem,
} from './table';

/** What departments may read of a case (the shared CaseView less its display label): no identity of the filer. */
export type CaseItem = Omit<CaseView, 'statusLabel'> & {
  /** Complaints: the text as filed, for the inspectors only (departments read what an inspector forwards). */
  originalText?: string;
  /** A 差评's first callback came by its deadline: counted in badRepliedInTime on the rating's day (差评回复率). */
  badRepliedInTime?: boolean;
};

/** Who filed it (rater or complainant), kept apart from the case and encrypted where it is contact data. */
interface OwnerItem {
  caseId: string;
  userId: string;
  /** Encrypted. */
  phone?: string;
  /** Encrypted; complaints only. */
  name?: string;
  /** Complaints: the tracking number, for the filer's own view only (officials' views never read it). */
  trackingNo?: string;
  source: CaseItem['source'];
}

export interface TimelineEntry {
  caseId: string;
  at: string;
  seq: string;
  action: string;
  actor: { id: string; role: string; name?: string };
  note?: string;
  data?: Record<string, unknown>;
}

export interface DueMarker {
  caseId: string;
  dueAt: string;
  /** callback / rectify deadline, or the grace period after the first lapse. */
  kind: 'callback' | 'rectify' | 'second';
  path: string;
}

/** An outbox event: written with the case change, read from the table's stream by the alert function. */
export interface CaseEvent {
  caseId: string;
  kind: 'opened' | 'overdue' | 'talk' | 'reopened' | 'closed' | 'forwarded';
  at: string;
  path: string;
  source: CaseItem['source'];
  summary: string;
  windowName?: string;
  /** Complaints: the department hears of one only once an inspector forwarded it. */
  forwarded?: boolean;
}

export interface CaseBundle {
  case?: CaseItem;
  owner?: OwnerItem;
  timeline: TimelineEntry[];
  alerts: AlertItem[];
  letters: LetterItem[];
  /** The open deadline, if any (a removed marker stays in the partition without its index keys). */
  due?: DueMarker;
}

// Keys last: a case read back from the table must not carry old index keys into a change.
// A complaint enters its department's list only when an inspector forwards it (SPEC §2.4).
const caseWrite = (c: CaseItem) => ({
  ...c,
  ...K.case(c.id),
  ...caseListAttrs(c.path, c.bucket, c.createdAt, c.source !== 'complaint' || !!c.forwarded),
  type: 'case',
});
const timelineWrite = (t: TimelineEntry) => putNew({ ...K.timeline(t.caseId, t.at, t.seq), type: 'timeline', ...t });
const eventWrite = (e: CaseEvent) =>
  putNew({ ...K.event(e.caseId, e.at, e.kind), type: 'event', eventId: K.event(e.caseId, e.at, e.kind).sk, ...e });
/** Open deadlines are found by the scheduler through gsi1 ("DUE", due time), never by a scan. */
const dueWrite = (m: DueMarker) =>
  putAny({ ...K.due(m.caseId), type: 'due', ...indexAttrs(IX.due(m.dueAt, m.caseId)), ...m });
const erasureWrite = (caseId: string, eraseAt: string) =>
  putAny({ ...K.erasure(caseId), type: 'erasure', ...indexAttrs(IX.erasure(eraseAt, caseId)), caseId, eraseAt });
const erasureRemoval = (caseId: string, at: string) =>
  update(K.erasure(caseId), { set: 'REMOVE gsi1pk, gsi1sk SET cancelledAt = :at', values: { ':at': at } });
const dueRemoval = (caseId: string, at: string) =>
  update(K.due(caseId), { set: 'REMOVE gsi1pk, gsi1sk SET removedAt = :at', values: { ':at': at } });

/** Everything a new case consists of, decided by the domain (domain/case-opening) and stored with its cause. */
export interface CaseOpening {
  case: CaseItem;
  owner: OwnerItem;
  timeline: TimelineEntry;
  due: DueMarker;
  event: CaseEvent;
  gauges: GaugeCounts;
}

/** The transaction items that open a case, for the transaction of what opened it (a rating, a complaint). */
export function caseOpeningWrites(o: CaseOpening): TxItem[] {
  return [
    putNew(caseWrite(o.case)),
    putNew({ ...K.owner(o.owner.caseId), type: 'owner', ...o.owner }),
    timelineWrite(o.timeline),
    putNew({ ...K.due(o.due.caseId), type: 'due', ...indexAttrs(IX.due(o.due.dueAt, o.due.caseId)), ...o.due }),
    eventWrite(o.event),
    ...gaugeWrites(o.case.path, o.gauges),
  ];
}

/** The whole case partition in one Query: case, owner, timeline, alerts, letters, deadline marker. */
export async function loadCase(id: string): Promise<CaseBundle> {
  const items = await queryPartition(K.casePartition(id), { consistent: true });
  const of = <T>(t: string) => items.filter((i) => i.type === t).map((i) => strip<T>(i));
  const due = items.find((i) => i.type === 'due' && i.gsi1pk);
  return {
    case: of<CaseItem>('case')[0],
    owner: of<OwnerItem>('owner')[0],
    timeline: of<TimelineEntry>('timeline'),
    alerts: of<AlertItem>('alert'),
    letters: of<LetterItem>('letter'),
    due: due ? strip<DueMarker>(due) : undefined,
  };
}

export const getCase = (id: string) => getItem<CaseItem>(K.case(id));

/** The cases with these ids that exist, by id (one BatchGet). */
export async function getCases(ids: string[]): Promise<Map<string, CaseItem>> {
  const found = await batchGet<CaseItem>(ids.map((id) => K.case(id)));
  return new Map([...found.values()].map((c) => [c.id, c]));
}

export async function caseTimeline(caseId: string): Promise<TimelineEntry[]> {
  return (await queryPartition(K.casePartition(caseId), { skPrefix: K.timelinePrefix })).map((i) =>
    strip<TimelineEntry>(i),
  );
}

/** The few case fields an alert message shows, for retries that start from the alert alone. */
export async function loadCaseSummary(
  caseId: string,
): Promise<{ summary: string; windowName?: string; source: CaseItem['source'] }> {
  const c = await getItem<Partial<CaseItem>>(K.case(caseId), { projection: ['summary', 'window', 'source'] });
  return { summary: String(c?.summary ?? ''), windowName: c?.window?.name, source: c?.source ?? 'rating' };
}

/**
 * One page of a scope's cases in a list bucket, newest first (index chosen by the scope's depth). A creation-time
 * range is part of the key condition (only those cases are read); a source is a filter on the page read, so a page
 * may hold fewer than `limit` cases while a cursor says more may follow.
 */
export async function listCasesInBucket(
  scope: string,
  bucket: CaseListBucket,
  cursor: string | undefined,
  limit: number,
  only: { source?: CaseItem['source']; createdFrom?: string; createdTo?: string } = {},
) {
  const page = await queryIndex(IX.casesOf(scope, bucket), {
    newestFirst: true,
    limit,
    cursor,
    range: { from: only.createdFrom, to: only.createdTo },
    ...(only.source ? { filter: { equals: { name: 'source', value: only.source } } } : {}),
  });
  return { items: page.items.map((i) => strip<CaseItem>(i)), cursor: page.cursor };
}

/**
 * An inspectors' finding opened as a case: the request record (first, so a twin shows as 'duplicate-request'), the
 * case items, its day counters and the audit entry, in one transaction.
 */
export async function writeFinding(args: {
  request: StoredRequest;
  opening: CaseOpening;
  counters: CounterChange;
  audit: AuditEntry;
}): Promise<'stored' | 'duplicate-request'> {
  const outcome = await transact([
    requestWrite(args.request, new Date(args.opening.case.createdAt)),
    ...caseOpeningWrites(args.opening),
    ...counterWrites([args.counters]),
    auditPut(args.audit),
  ]);
  if (outcome === 'stored') return 'stored';
  if (outcome.reasons[0] === 'ConditionalCheckFailed') return 'duplicate-request';
  throw new Error(`finding transaction cancelled: ${outcome.reasons.join(',')}`);
}

export type CaseChangeOutcome = 'stored' | 'duplicate-request' | 'stale';

/** One change of a case, as decided by the domain (domain/case-rules planCaseChange, domain/escalation). */
export interface CaseChange {
  before: CaseItem;
  after: CaseItem;
  /** Retention: schedule the erasure of the filer's contact (the case closed) or cancel it (it reopened). */
  erasure?: { eraseAt: string } | 'cancel';
  timeline: TimelineEntry;
  request?: StoredRequest;
  /** Day counters of the change's own day (China time of after.updatedAt), for the case's scopes. */
  counters?: DayCounts;
  /** Counters of another day bucket (e.g. removing an upheld appeal's rating from its own day). */
  extraCounters?: CounterChange[];
  gauges?: GaugeCounts;
  due?: DueMarker | 'remove';
  event?: CaseEvent;
  letter?: LetterItem;
  /** An upheld appeal takes the case's rating out of the statistics. */
  excludeRating?: string;
  /** The change's audit entry (e.g. a 约谈 record), stored with it or not at all. */
  audit?: AuditEntry;
}

/**
 * One case change in one transaction: the case (only if still at the version that was read), its timeline
 * entry, the request record (idempotency), counters, gauges, deadline marker, outbox event, letter.
 */
export async function commitCaseChange(change: CaseChange): Promise<CaseChangeOutcome> {
  const { before, after } = change;
  const items: TxItem[] = [];
  if (change.request) items.push(requestWrite(change.request, new Date(after.updatedAt)));
  // The case is stored only if nobody changed it since it was read.
  items.push(putIfVersion(caseWrite(after), before.version), timelineWrite(change.timeline));
  items.push(
    ...counterWrites([
      { path: after.path, date: shanghaiDate(after.updatedAt), add: change.counters ?? {} },
      ...(change.extraCounters ?? []),
    ]),
  );
  items.push(...gaugeWrites(after.path, change.gauges ?? {}));
  if (change.due === 'remove') items.push(dueRemoval(after.id, after.updatedAt));
  else if (change.due) items.push(dueWrite(change.due));
  if (change.erasure === 'cancel') items.push(erasureRemoval(after.id, after.updatedAt));
  else if (change.erasure) items.push(erasureWrite(after.id, change.erasure.eraseAt));
  if (change.event) items.push(eventWrite(change.event));
  if (change.letter) items.push(letterWrite(change.letter));
  if (change.excludeRating) items.push(ratingExclusionWrite(change.excludeRating, after.id));
  if (change.audit) items.push(auditPut(change.audit));
  const outcome = await transact(items);
  if (outcome === 'stored') return 'stored';
  if (change.request && outcome.reasons[0] === 'ConditionalCheckFailed') return 'duplicate-request';
  if (outcome.reasons.some((r) => r === 'ConditionalCheckFailed' || r === 'TransactionConflict')) return 'stale';
  throw new Error(`case transaction cancelled: ${outcome.reasons.join(',')}`);
}

/** Deadline markers due at or before `now` (gsi1 "DUE"), oldest first. */
export async function dueMarkers(now: string, limit = 100): Promise<DueMarker[]> {
  const page = await queryIndex(IX.due(now), { sk: 'upTo', limit });
  return page.items.map((i) => strip<DueMarker>(i));
}

/** Closed cases whose contact details are due for erasure (gsi1 "ERASE"), oldest first. */
export async function erasuresDue(now: string, limit = 100): Promise<{ caseId: string; eraseAt: string }[]> {
  const page = await queryIndex(IX.erasure(now), { sk: 'upTo', limit });
  return page.items.map((i) => strip<{ caseId: string; eraseAt: string }>(i));
}

/**
 * Erase the filer's phone and name (owner item, and the rater item of a rating) and take the marker out of the
 * index, in one transaction; only while the marker is still due (a reopened case cancelled it).
 */
export async function eraseContact(caseId: string, ratingId: string | undefined, at: string): Promise<boolean> {
  // A rating keeps who rated sealed inside its item: opened, stripped of the phone, sealed again.
  let rater: TxItem | undefined;
  if (ratingId) {
    const r = await getItem<{ rater?: string }>(K.rating(ratingId), { projection: ['rater'] });
    if (r?.rater) {
      const { phone: _erased, ...kept } = JSON.parse(decryptPii(r.rater)) as Record<string, unknown>;
      rater = update(K.rating(ratingId), {
        set: 'SET rater = :r, contactErasedAt = :at',
        values: { ':r': encryptPii(JSON.stringify(kept)), ':at': at },
      });
    }
  }
  const items: TxItem[] = [
    update(K.erasure(caseId), {
      set: 'REMOVE gsi1pk, gsi1sk SET erasedAt = :at',
      values: { ':at': at },
      condition: 'attribute_exists(gsi1pk)',
    }),
    update(K.owner(caseId), {
      set: 'REMOVE phone, #name SET contactErasedAt = :at',
      names: { '#name': 'name' },
      values: { ':at': at },
    }),
    ...(rater ? [rater] : []),
  ];
  return (await transact(items)) === 'stored';
}
