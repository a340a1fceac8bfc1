import { ancestorScopes } from '@mashang/shared';

/**
 * Every key of the single table, in one place (README "Access patterns"). Only modules in data/ import this file;
 * the write that stores an item and the query that reads it back use the same builder.
 *
 *   K  = table keys (pk, sk) of each item kind
 *   IX = index access patterns: which index, the partition value and the sort key (or its prefix / bound)
 *
 * Index use (README "Access patterns" lists every pattern): gsi1 = registry lists, grants per scope, ratings per
 * window, department case lists, DUE deadlines, alert retries, a county's audit trail, an enterprise's visits,
 * the prefecture's visit warnings, imports; gsi2 = what a user filed, region case lists, failed alerts, the
 * prefecture's audit trail, a county's visit warnings; gsi3 = prefecture case lists, what one official did,
 * visits by scope.
 */
export interface Key {
  pk: string;
  sk: string;
}

export const K = {
  region: (id: string) => ({ pk: `REGION#${id}`, sk: 'META' }),
  department: (id: string) => ({ pk: `DEPT#${id}`, sk: 'META' }),
  window: (id: string) => ({ pk: `WIN#${id}`, sk: 'META' }),
  enterprise: (id: string) => ({ pk: `ENT#${id}`, sk: 'META' }),
  creditCode: (code: string) => ({ pk: `CREDIT#${code}`, sk: 'META' }),
  code: (codeId: string) => ({ pk: `CODE#${codeId}`, sk: 'META' }),
  user: (userId: string) => ({ pk: `USER#${userId}`, sk: 'META' }),
  /** The person behind a WeChat unionid (one per open-platform account): the console's QR login finds them here. */
  unionid: (unionid: string) => ({ pk: `UNIONID#${unionid}`, sk: 'META' }),
  /** A one-time state of the console's QR login (anti-CSRF), used once, expires by TTL. */
  webLoginState: (state: string) => ({ pk: `WEBSTATE#${state}`, sk: 'STATE' }),
  /** The holiday calendar: each stored year's current days in one partition (read whole), and every version. */
  calendarYears: 'CALENDAR',
  calendarYear: (year: number) => ({ pk: 'CALENDAR', sk: `Y#${year}` }),
  calendarVersion: (year: number, version: number) => ({
    pk: `CALENDAR#${year}`,
    sk: `V#${String(version).padStart(6, '0')}`,
  }),
  calendarVersions: (year: number) => `CALENDAR#${year}`,
  /** The user's partition: the user record and every grant (login reads it in one Query). */
  userPartition: (userId: string) => `USER#${userId}`,
  grant: (userId: string, role: string, scope: string) => ({ pk: `USER#${userId}`, sk: `GRANT#${role}#${scope}` }),
  /** An idempotency record: the hash is an HMAC of (caller, requestId) (data/requests), never either in clear. */
  request: (keyHash: string) => ({ pk: `REQ#${keyHash}`, sk: 'REQ' }),
  /**
   * A rating. Its id is derived from (user, window, China-time day) with a keyed hash (data/ratings ratingIdOf), so
   * the key is at once the 一次一评 lock and the idempotency record of the request that stored it.
   */
  rating: (id: string) => ({ pk: `RATING#${id}`, sk: 'META' }),
  /** The stream aggregation's high-water mark of one stream shard (the last sequence number counted). */
  streamMark: (consumer: string, shardId: string) => ({ pk: `STREAMMARK#${consumer}`, sk: shardId }),
  /** Day counters of a scope; a period is `sk BETWEEN statDay(from).sk AND statDay(to).sk`. */
  statDay: (path: string, date: string) => ({ pk: `STAT#${path}`, sk: `D#${date}` }),
  /** Open / overdue cases of a scope now. */
  statGauge: (path: string) => ({ pk: `STAT#${path}`, sk: 'GAUGE' }),
  case: (id: string) => ({ pk: `CASE#${id}`, sk: 'META' }),
  /** The case's partition: case, owner, timeline, alerts, letters, deadline marker, outbox events. */
  casePartition: (id: string) => `CASE#${id}`,
  owner: (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'OWNER' }),
  timeline: (caseId: string, at: string, seq: string) => ({ pk: `CASE#${caseId}`, sk: `TL#${at}#${seq}` }),
  timelinePrefix: 'TL#',
  due: (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'DUE' }),
  /** When the filer's phone and name are to be erased (retention rule), while the case stays closed. */
  erasure: (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'ERASE' }),
  event: (caseId: string, at: string, kind: string) => ({ pk: `CASE#${caseId}`, sk: `EVT#${at}#${kind}` }),
  /** One alert per case event and recipient: the sort key is the alert's idempotency key. */
  alert: (caseId: string, alertKey: string) => ({ pk: `CASE#${caseId}`, sk: alertKey }),
  alertKey: (eventAt: string, eventKind: string, recipientId: string) => `ALERT#${eventAt}#${eventKind}#${recipientId}`,
  letter: (caseId: string, no: string) => ({ pk: `CASE#${caseId}`, sk: `LETTER#${no}` }),
  letterSeq: (issuer: string, year: number) => ({ pk: `LETTERSEQ#${issuer}`, sk: String(year) }),
  complaint: (trackingNo: string) => ({ pk: `COMPLAINT#${trackingNo}`, sk: 'META' }),
  complainant: (trackingNo: string) => ({ pk: `COMPLAINT#${trackingNo}`, sk: 'COMPLAINANT' }),
  limit: (key: string, window: number) => ({ pk: `LIMIT#${key}`, sk: String(window) }),
  /** A photo kept as evidence: where it is attached and WeChat's verdict on it (media_check_async). */
  photo: (id: string) => ({ pk: `PHOTO#${id}`, sk: 'META' }),
  /** WeChat's trace id of a media check → the photo, so the pushed verdict finds it. */
  mediaCheck: (traceId: string) => ({ pk: `MEDIACHECK#${traceId}`, sk: 'META' }),
  // 一事一评 (SMS rating invitations)
  /** A department's machine-API key (secret sealed) and the nonces its signed requests used (replay guard, TTL). */
  apiKey: (keyId: string) => ({ pk: `APIKEY#${keyId}`, sk: 'META' }),
  nonce: (keyId: string, nonce: string) => ({ pk: `NONCE#${keyId}#${nonce}`, sk: 'NONCE' }),
  /** An invitation, which is also its service's (办件) record: the id is a keyed hash of (department, service id). */
  invitation: (id: string) => ({ pk: `INV#${id}`, sk: 'META' }),
  /** The one invitation a phone (keyed hash) may get on a China-time day (TTL), and a phone that opted out. */
  phoneDay: (phoneHash: string, date: string) => ({ pk: `PHONEDAY#${phoneHash}#${date}`, sk: 'CAP' }),
  optOut: (phoneHash: string) => ({ pk: `OPTOUT#${phoneHash}`, sk: 'OPTOUT' }),
  /** An audit entry, in the history of its target (`AUDIT#<kind>#<id>`, newest last by time). */
  audit: (targetKind: string, targetId: string, at: string, id: string) => ({
    pk: `AUDIT#${targetKind}#${targetId}`,
    sk: `${at}#${id}`,
  }),
  auditOf: (targetKind: string, targetId: string) => `AUDIT#${targetKind}#${targetId}`,
  /** An alert in its subject's partition: a case's (default), a visit's notice, a frequency warning's. */
  subjectAlert: (subject: 'case' | 'visit' | 'warning' | undefined, id: string, alertKey: string) => ({
    pk: subject === 'visit' ? `VISIT#${id}` : subject === 'warning' ? `VWARN#${id}` : `CASE#${id}`,
    sk: alertKey,
  }),
  /** One-time binding codes of a subject (an enterprise, an official), by keyed hash of the code (domain/bindings). */
  bindingCode: (kind: string, subjectId: string, codeHash: string) => ({
    pk: `BINDCODE#${kind}#${subjectId}`,
    sk: codeHash,
  }),
  /** An enterprise contact, in the enterprise's partition (`begins_with(sk, CONTACT#)` lists them). */
  contact: (enterpriseId: string, userId: string) => ({ pk: `ENT#${enterpriseId}`, sk: `CONTACT#${userId}` }),
  contactPrefix: 'CONTACT#',
  enterprisePartition: (id: string) => `ENT#${id}`,
  visit: (id: string) => ({ pk: `VISIT#${id}`, sk: 'META' }),
  /** The visit's pointer in the prefecture's visit list. */
  visitPointer: (id: string) => ({ pk: `VISIT#${id}`, sk: 'P' }),
  visitRating: (id: string) => ({ pk: `VISIT#${id}`, sk: 'RATING' }),
  visitRater: (id: string) => ({ pk: `VISIT#${id}`, sk: 'RATER' }),
  visitEvent: (id: string, at: string, kind: string) => ({ pk: `VISIT#${id}`, sk: `EVT#${at}#${kind}` }),
  warning: (id: string) => ({ pk: `VWARN#${id}`, sk: 'META' }),
  warningEvent: (id: string, at: string) => ({ pk: `VWARN#${id}`, sk: `EVT#${at}#warning` }),
  /** One frequency warning per breach: the lock of an enterprise's rule (department or total). */
  warningLock: (lockKey: string) => ({ pk: `VWLOCK#${lockKey}`, sk: 'LOCK' }),
  /** Day counters of an official's own visits (beside the scopes' STAT#<path>). */
  officialStatPath: (userId: string) => `official/${userId}`,
  setting: (prefecture: string, name: string) => ({ pk: `SETTING#${prefecture}`, sk: name }),
  /** A bulk import (its state, counts and report) and its progress counter (apart, so progress writes do not wake the worker). */
  importJob: (id: string) => ({ pk: `IMPORT#${id}`, sk: 'META' }),
  importProgress: (id: string) => ({ pk: `IMPORT#${id}`, sk: 'PROGRESS' }),
  /** A poster job (one window's poster is rendered in the request; a department or county is a job). */
  posterJob: (id: string) => ({ pk: `POSTERJOB#${id}`, sk: 'META' }),
  posterProgress: (id: string) => ({ pk: `POSTERJOB#${id}`, sk: 'PROGRESS' }),
  /** An export job (kind, scope, period, file key, rows) and its progress (apart, so progress does not wake the worker). */
  exportJob: (id: string) => ({ pk: `EXPORTJOB#${id}`, sk: 'META' }),
  exportProgress: (id: string) => ({ pk: `EXPORTJOB#${id}`, sk: 'PROGRESS' }),
  /** The monthly report of a scope (a snapshot of its figures, text and tables; `version` counts regenerations). */
  report: (scope: string, month: string) => ({ pk: `REPORT#${scope}`, sk: `M#${month}` }),
  /** A person registered in the console (official, window staff): record, role grants, WeChat binding. */
  person: (id: string) => ({ pk: `PERSON#${id}`, sk: 'META' }),
  personPartition: (id: string) => `PERSON#${id}`,
  personGrant: (id: string, role: string, scope: string) => ({ pk: `PERSON#${id}`, sk: `GRANT#${role}#${scope}` }),
  personBound: (id: string) => ({ pk: `PERSON#${id}`, sk: 'BOUND' }),
  /** The local demo data's version marker (dev/seed). */
  seedMarker: (version: string) => ({ pk: 'SEED#haibei', sk: version }),
};

export type IndexName = 'gsi1' | 'gsi2' | 'gsi3';

/** An item's place in one index; as a query: the partition and the sort key value, prefix or bound. */
export interface IndexKey {
  index: IndexName;
  pk: string;
  sk: string;
}

const on = (index: IndexName, pk: string, sk: string): IndexKey => ({ index, pk, sk });

/** Which index lists the cases of a scope: the scope's depth decides (department, region, prefecture). */
function caseListIndex(scope: string): IndexName {
  const depth = scope.split('/').length;
  return depth >= 3 ? 'gsi1' : depth === 2 ? 'gsi2' : 'gsi3';
}

export const IX = {
  /** Windows / enterprises / departments under a scope path: `begins_with(sk, <path>/)`. */
  windows: (path: string) => on('gsi1', 'WINDOWS', path),
  enterprises: (path: string) => on('gsi1', 'ENTERPRISES', path),
  departments: (path: string) => on('gsi1', 'DEPTS', path),
  regions: (id: string) => on('gsi1', 'REGIONS', id),
  /** Officials holding a role at a scope (alert recipients): `begins_with(sk, <role>#)`. */
  grantsInScope: (scope: string, role: string, userId = '') => on('gsi1', `GRANTS#${scope}`, `${role}#${userId}`),
  /** A window's ratings, newest first. */
  ratingsOfWindow: (windowId: string, createdAt = '') => on('gsi1', `RATINGS#${windowId}`, createdAt),
  /** What a user filed: ratings (R) and complaints (C), `begins_with(sk, R#|C#)`. */
  mine: (userId: string, kind: 'R' | 'C', createdAt = '') => on('gsi2', `MINE#${userId}`, `${kind}#${createdAt}`),
  /** Cases of a scope (department gsi1, region gsi2, prefecture gsi3) in one list bucket, newest first. */
  casesOf: (scope: string, bucket: string, createdAt = '') =>
    on(caseListIndex(scope), `CASES#${scope}#${bucket}`, createdAt),
  /** Open deadlines by due time (`sk <= <now>#~`). */
  due: (dueAt: string, caseId = '') => on('gsi1', 'DUE', `${dueAt}#${caseId}`),
  /** Closed cases whose contact details are due for erasure (`sk <= <now>#~`). */
  erasure: (eraseAt: string, caseId = '') => on('gsi1', 'ERASE', `${eraseAt}#${caseId}`),
  /** Alerts waiting for their retry time (`sk <= <now>#~`). */
  alertRetry: (at: string, caseId = '', alertKey = '') =>
    on('gsi1', 'ALERTRETRY', caseId ? `${at}#${caseId}#${alertKey}` : `${at}#`),
  /** An enterprise's visits by visit time (`sk >= <since>` for the recent ones). */
  visitsOfEnterprise: (enterpriseId: string, visitedAt = '', id = '') =>
    on('gsi1', `VISITS#ENT#${enterpriseId}`, id ? `${visitedAt}#${id}` : visitedAt),
  /** An official's own visits (我的走访), by registration time. */
  visitsOfOfficial: (userId: string, createdAt = '') => on('gsi2', `MINE#${userId}`, `V#${createdAt}`),
  /** Visits to enterprises of a region (gsi3 on the visit) or of the prefecture (gsi3 on its pointer). */
  visitsInScope: (scope: string, createdAt = '', id = '') =>
    on('gsi3', `VISITS#${scope}`, id ? `${createdAt}#${id}` : createdAt),
  /** Frequency warnings of the prefecture (gsi1) and of a region (gsi2), newest first. */
  warningsOfPrefecture: (prefecture: string, createdAt = '', id = '') =>
    on('gsi1', `VWARNINGS#${prefecture}`, id ? `${createdAt}#${id}` : createdAt),
  warningsOfRegion: (region: string, createdAt = '', id = '') =>
    on('gsi2', `VWARNINGS#${region}`, id ? `${createdAt}#${id}` : createdAt),
  /** Failed alerts by scope path: `begins_with(sk, <scope path>)`. */
  alertFailed: (path: string, at?: string) => on('gsi2', 'ALERTFAILED', at === undefined ? path : `${path}#${at}`),
  /** API keys of the departments under a scope: `begins_with(sk, <scope path>/)`. */
  apiKeys: (path: string, createdAt = '', keyId = '') =>
    on('gsi1', 'APIKEYS', createdAt ? `${path}/#${createdAt}#${keyId}` : `${path}/`),
  /** Invitations waiting to be sent (queued past quiet hours, retries): `sk <= <now>#~`. */
  invitationSend: (due: string, id = '') => on('gsi1', 'INVSEND', `${due}#${id}`),
  /** Sent, unrated invitations by the end of their 7 days: `sk <= <now>#~`. */
  invitationExpiry: (expiresAt: string, id = '') => on('gsi2', 'INVEXPIRE', `${expiresAt}#${id}`),
  /** A window's invitations, newest first. */
  invitationsOfWindow: (windowId: string, createdAt = '', id = '') =>
    on('gsi3', `INVS#${windowId}`, createdAt ? `${createdAt}#${id}` : ''),
  /** The audit trail of a region (a county or 州本级) by time: `sk BETWEEN <from> AND <to>~`. */
  auditOfRegion: (regionPath: string, at = '', id = '') => on('gsi1', `AUDIT#${regionPath}`, id ? `${at}#${id}` : at),
  /** The prefecture's whole audit trail by time. */
  auditOfPrefecture: (prefecture: string, at = '', id = '') =>
    on('gsi2', `AUDIT#${prefecture}`, id ? `${at}#${id}` : at),
  /** Imports and poster jobs, newest first. */
  imports: (createdAt = '', id = '') => on('gsi1', 'IMPORTS', id ? `${createdAt}#${id}` : createdAt),
  posterJobs: (createdAt = '', id = '') => on('gsi1', 'POSTERJOBS', id ? `${createdAt}#${id}` : createdAt),
  exportJobs: (createdAt = '', id = '') => on('gsi1', 'EXPORTJOBS', id ? `${createdAt}#${id}` : createdAt),
  /** People of a scope (console): `begins_with(gsi1sk, <scope path>/)`; a person sorts under its department. */
  people: (path: string, id = '') => on('gsi1', 'PEOPLE', id ? `${path}/${id}` : path),
  /** What one official did, by time. */
  auditBy: (userId: string, at = '', id = '') => on('gsi3', `AUDITBY#${userId}`, id ? `${at}#${id}` : at),
};

/** The index attributes an item carries for the given access patterns ({ gsi1pk, gsi1sk, … }). */
export function indexAttrs(...keys: IndexKey[]): Record<string, string> {
  return Object.fromEntries(
    keys.flatMap((k) => [
      [`${k.index}pk`, k.pk],
      [`${k.index}sk`, k.sk],
    ]),
  );
}

/** The attributes of every case list a case appears in: its department's (if any), its region's, the prefecture's. */
export function caseListAttrs(
  path: string,
  bucket: string,
  createdAt: string,
  inDepartmentList = true,
): Record<string, string> {
  const [prefecture, region, ofDepartment] = ancestorScopes(path);
  const department = inDepartmentList ? ofDepartment : undefined;
  return indexAttrs(
    ...(department ? [IX.casesOf(department, bucket, createdAt)] : []),
    ...(region ? [IX.casesOf(region, bucket, createdAt)] : []),
    IX.casesOf(prefecture, bucket, createdAt),
  );
}
