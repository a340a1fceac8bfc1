import type { AlertItem, AlertSettlement, NewAlert } from '../../functions/src/data/alerts';
import type { CaseBundle, CaseChange, CaseChangeOutcome, CaseItem } from '../../functions/src/data/cases';
import type { RatingItem, RaterItem, RatingRequest, RatingWriteOutcome } from '../../functions/src/data/ratings';
import type { StoredRequest } from '../../functions/src/data/requests';
import type { UserItem } from '../../functions/src/data/users';
import type { AlertPorts } from '../../functions/src/domain/alerts';
import type { CaseStore } from '../../functions/src/domain/case-actions';
import type { RatingPorts } from '../../functions/src/domain/ratings';
import type { SendResult } from '../../functions/src/gateways/wechat';

/** In-memory stand-ins for the domain's ports: same contracts as data/ (conditional writes, versions), no DynamoDB. */
export class FakeRequests {
  readonly stored = new Map<string, StoredRequest>();
  getStoredRequest = async (userId: string, requestId: string) => this.stored.get(`${userId}/${requestId}`);
  /** Record a request unless one exists (the conditional Put of the real transaction). */
  claim(r: StoredRequest): boolean {
    const id = `${r.userId}/${r.requestId}`;
    if (this.stored.has(id)) return false;
    this.stored.set(id, r);
    return true;
  }
}

export class FakeCaseStore extends FakeRequests implements CaseStore {
  readonly bundles = new Map<string, CaseBundle>();
  readonly commits: CaseChange[] = [];
  private letters = 0;
  /** Set to make the next commits lose a race (another change got there first). */
  staleCommits = 0;

  put(c: CaseItem, owner?: string): this {
    this.bundles.set(c.id, {
      case: c,
      owner: owner ? { caseId: c.id, userId: owner, source: c.source } : undefined,
      timeline: [],
      alerts: [],
      letters: [],
    });
    return this;
  }
  loadCase = async (id: string): Promise<CaseBundle> =>
    structuredClone(this.bundles.get(id) ?? { timeline: [], alerts: [], letters: [] });
  nextLetterNumber = async () => ++this.letters;
  commitCaseChange = async (change: CaseChange): Promise<CaseChangeOutcome> => {
    const b = this.bundles.get(change.after.id)!;
    if (change.request && this.stored.has(`${change.request.userId}/${change.request.requestId}`))
      return 'duplicate-request';
    if (this.staleCommits > 0 || b.case!.version !== change.before.version) {
      this.staleCommits--;
      b.case = { ...b.case!, version: b.case!.version + 1 };
      return 'stale';
    }
    if (change.request) this.claim(change.request);
    b.case = change.after;
    b.timeline.push(change.timeline);
    if (change.letter) b.letters.push(change.letter);
    if (change.due === 'remove') b.due = undefined;
    else if (change.due) b.due = change.due;
    this.commits.push(change);
    return 'stored';
  };
}

export class FakeRatingPorts implements RatingPorts {
  readonly ratings: RatingItem[] = [];
  readonly raters: RaterItem[] = [];
  /** The request part of each stored rating item, by rating id (the item is the idempotency record). */
  readonly stored = new Map<string, RatingRequest>();
  readonly openings: NonNullable<Parameters<RatingPorts['writeRating']>[0]['opening']>[] = [];
  hits = 0;
  writes = 0;
  safeTextChecks: (string | undefined)[] = [];
  /** Transaction conflicts to report before a write goes through. */
  conflicts = 0;

  constructor(readonly window = aWindowItem()) {}
  resolveCode = async () => ({ kind: 'window' as const, codeId: this.window.codeId, window: this.window });
  /** Ids of the user's ratings of the last hour stored before this test's requests (the hourly limit's count). */
  earlierThisHour: string[] = [];
  readonly withdrawn: string[] = [];
  ratingIdsOfUserSince = async (_userId: string, _since: string, max: number) => {
    this.hits++;
    return [...this.earlierThisHour, ...this.ratings.map((r) => r.id)].slice(0, max);
  };
  /** What the instance read ahead at the signed-in lookup (domain/rating-limit), taken once; undefined: nothing. */
  readAhead: string[] | undefined;
  takeReadAhead = () => {
    const ahead = this.readAhead;
    this.readAhead = undefined;
    return ahead;
  };
  withdrawRating = async (ratingId: string, requestId: string) => {
    if (this.stored.get(ratingId)?.requestId !== requestId) return;
    this.stored.delete(ratingId);
    this.withdrawn.push(ratingId);
    this.ratings.splice(
      this.ratings.findIndex((r) => r.id === ratingId),
      1,
    );
  };
  contentFlag = async (_userId: string, text: string | undefined) => {
    this.safeTextChecks.push(text);
    return undefined;
  };
  writeRating: RatingPorts['writeRating'] = async (args): Promise<RatingWriteOutcome> => {
    this.writes++;
    // One item per (user, window, day): its key is the rating id.
    const taken = this.stored.get(args.rating.id);
    if (taken) return { kind: 'exists', request: taken };
    if (this.conflicts > 0) {
      this.conflicts--;
      return { kind: 'conflict' };
    }
    this.stored.set(args.rating.id, args.request);
    this.ratings.push(args.rating);
    this.raters.push(args.rater);
    if (args.opening) this.openings.push(args.opening);
    return { kind: 'stored' };
  };
}

export function aWindowItem() {
  return {
    id: 'w-unit',
    name: '综合受理窗口1号',
    kind: '服务窗口' as const,
    department: { id: 'd-unit', name: '测试县市场监督管理局' },
    county: { id: 'r-unit', name: '测试县' },
    path: 'haibei/r-unit/d-unit/w-unit',
    codeId: 'wUnit0001',
    code: 'wUnit0001.signature000',
  };
}

/** Officials by scope and role, alerts by key with the real claim rules, and scripted WeChat/SMS answers. */
export class FakeAlertPorts implements AlertPorts {
  readonly users = new Map<string, UserItem>();
  readonly grants: { scope: string; role: string; userId: string }[] = [];
  readonly alerts = new Map<string, AlertItem>();
  readonly sent: { channel: 'wechat' | 'sms'; to: string; params: unknown }[] = [];
  wechatAnswers: SendResult[] = [];
  smsAnswers: SendResult[] = [];

  official(userId: string, scope: string, role: string, opts: Partial<UserItem> = {}): this {
    this.users.set(userId, { userId, openid: `openid-${userId}`, createdAt: '2026-01-01T00:00:00.000Z', ...opts });
    this.grants.push({ scope, role, userId });
    return this;
  }
  /** Requests made, by port, in order (the alert path's reads and writes). */
  readonly calls: string[] = [];
  officialsAt = async (lookups: readonly { scope: string; role: string }[]) => {
    this.calls.push('officialsAt');
    return lookups.map(({ scope, role }) =>
      this.grants.filter((g) => g.scope === scope && g.role === role).map((g) => this.users.get(g.userId)!),
    );
  };
  getUser = async (id: string) => {
    this.calls.push('getUser');
    return this.users.get(id);
  };
  /** Create the alert already claimed, or claim the existing one if it is free (data/alerts openAlert). */
  openAlert = async (a: NewAlert, now: Date) => {
    this.calls.push('openAlert');
    const id = `${a.caseId}/${a.alertKey}`;
    if (!this.alerts.has(id))
      this.alerts.set(id, { ...a, status: 'pending', attempts: 0, updatedAt: now.toISOString() });
    return this.claim(id, now);
  };
  claimAlert = async (caseId: string, alertKey: string, now: Date) => {
    this.calls.push('claimAlert');
    return this.claim(`${caseId}/${alertKey}`, now);
  };
  private claim(id: string, now: Date) {
    const a = this.alerts.get(id);
    if (!a) return undefined;
    const free =
      a.status === 'pending' ||
      a.status === 'retrying' ||
      (a.status === 'sending' && (a.leaseUntil ?? '') < now.toISOString());
    if (!free) return undefined;
    Object.assign(a, { status: 'sending', leaseUntil: new Date(now.getTime() + 60000).toISOString() });
    return { ...a };
  }
  settleAlert = async (a: AlertItem, r: AlertSettlement, now: Date) => {
    const stored = this.alerts.get(`${a.caseId}/${a.alertKey}`)!;
    Object.assign(stored, { ...r, updatedAt: now.toISOString(), leaseUntil: undefined });
  };
  dueRetries = async (now: Date) =>
    [...this.alerts.values()].filter((a) => a.status === 'retrying' && (a.nextAttemptAt ?? '') <= now.toISOString());
  loadCaseSummary = async () => ({ summary: '办事效率低', windowName: '综合受理窗口1号', source: 'rating' as const });
  sendSubscribeMessage: AlertPorts['sendSubscribeMessage'] = async (msg) => {
    this.sent.push({ channel: 'wechat', to: msg.touser, params: msg.data });
    return this.wechatAnswers.shift() ?? { ok: true };
  };
  sendSms: AlertPorts['sendSms'] = async (phone, _template, params) => {
    this.sent.push({ channel: 'sms', to: phone, params });
    return this.smsAnswers.shift() ?? { ok: true };
  };
  sleep = async () => {};
}
