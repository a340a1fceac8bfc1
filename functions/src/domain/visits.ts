import { refreshCalendar } from './calendar';
import { ulid } from 'ulid';
import {
  isBadVisitRating,
  levelLabel,
  PREFECTURE_ID,
  RateVisitRequest,
  RegisterVisitRequest,
  scopeContains,
  shanghaiDate,
  VISIT_FREQUENCY_DEFAULT,
  VISIT_RULES,
  type VisitRatingView,
  type VisitView,
  type VisitWarningView,
} from '@mashang/shared';
import * as z from 'zod/mini';
import { getContact } from '../data/contacts';
import { getDepartment, getEnterprise } from '../data/registry';
import { getStoredRequest } from '../data/requests';
import { getUser } from '../data/users';
import {
  getFrequencySetting,
  getVisit,
  listVisitsInScope,
  listVisitsOfEnterprise,
  listVisitsOfOfficial,
  listWarnings,
  putFrequencySetting,
  withdrawVisit as storeWithdrawal,
  writeVisit,
  writeVisitRating,
  writeWarning,
  type VisitItem,
  type WarningItem,
} from '../data/visits';
import { AppError, forbidden, notFound } from '../lib/errors';
import { logger } from '../lib/logger';
import type { Session } from '../lib/session';
import { parseWith } from '../lib/validate';
import { newCaseId, openCase } from './case-opening';
import { auditEntry, recordAudit } from './audit';
import { caseOpeningCounters, visitRatingCounters } from './counters';
import { onceOnly, type RequestTicket } from './idempotency';
import { readableScope } from './case-views';
import { resolveCode } from './codes';
import { negativeItem } from './conduct-lists';
import { contentFlag, type ContentFlag } from './content-check';
import { isBoundContact } from './enterprise-contacts';
import { enforce } from './limits';

export const VISIT_LIMITS = { registrationsPerOfficialPerHour: 20, ratingsPerUserPerHour: 30 };

/** What everyone allowed to see a visit sees: the rating without who gave it. */
export function visitView(v: VisitItem): VisitView {
  return {
    id: v.id,
    enterprise: v.enterprise,
    official: { name: v.official.name },
    department: v.department,
    purpose: v.purpose,
    ...(v.note ? { note: v.note } : {}),
    companions: v.companions,
    visitedAt: v.visitedAt,
    createdAt: v.createdAt,
    status: v.status,
    ...(v.withdrawnAt ? { withdrawnAt: v.withdrawnAt } : {}),
    withdrawableUntil: v.withdrawableUntil,
    rateBy: v.rateBy,
    ...(v.rating ? { rating: v.rating } : {}),
    ...(v.caseId ? { caseId: v.caseId } : {}),
  };
}

/**
 * 访企登记: a visiting official scans the enterprise's code and registers the visit. Idempotent by requestId.
 * After the visit is stored, the frequency rule is checked (a warning is raised once per breach).
 */
export async function registerVisit(
  session: Session,
  input: unknown,
  now: Date,
  ticket?: RequestTicket,
): Promise<{ visit: VisitView }> {
  const body = parseWith(RegisterVisitRequest, input);
  let stored: VisitItem | undefined;
  const response = await onceOnly<{ visit: VisitView }>(
    { getStoredRequest },
    {
      ticket,
      userId: session.userId,
      requestId: body.requestId,
      intent: {
        route: 'visit',
        code: body.code,
        purpose: body.purpose,
        note: body.note ?? '',
        companions: body.companions ?? [],
        visitedAt: body.visitedAt ?? '',
      },
      status: 201,
      busyMessage: '提交繁忙，请稍后重试',
      maxAttempts: 4,
    },
    async (record, attempt) => {
      const grant = session.grants.find((g) => g.role === 'visiting_official');
      if (!grant) throw new AppError('FORBIDDEN', '只有访企干部可以登记走访，请联系运维人员开通');
      const target = await resolveCode(body.code);
      if (target.kind !== 'enterprise') throw new AppError('VALIDATION_FAILED', '请扫描企业监督码进行访企登记');
      const visitedAt = body.visitedAt ? new Date(body.visitedAt) : now;
      if (visitedAt.getTime() > now.getTime() + VISIT_RULES.futureToleranceMs) {
        throw new AppError('VALIDATION_FAILED', '走访时间不能晚于当前时间', [
          { path: 'visitedAt', message: '走访时间不能晚于当前时间' },
        ]);
      }
      if (visitedAt.getTime() < now.getTime() - VISIT_RULES.maxBackdateMs) {
        throw new AppError('VALIDATION_FAILED', '只能登记 3 天以内的走访', [
          { path: 'visitedAt', message: '只能登记 3 天以内的走访' },
        ]);
      }
      if (attempt === 0)
        await enforce(`visit#${session.userId}`, VISIT_LIMITS.registrationsPerOfficialPerHour, 3600, now);
      const deptId = grant.scope.split('/')[2];
      const [dept, user] = await Promise.all([getDepartment(deptId), getUser(session.userId)]);
      if (!dept) throw new AppError('FORBIDDEN', '访企干部所属部门不存在，请联系运维人员');
      const e = target.enterprise;
      const createdAt = now.toISOString();
      const visit: VisitItem = {
        id: ulid(now.getTime()),
        enterprise: { id: e.id, name: e.name },
        enterprisePath: e.path,
        county: e.county,
        official: { userId: session.userId, name: user?.name ?? '干部' },
        department: { id: dept.id, name: dept.name },
        departmentPath: dept.path,
        purpose: body.purpose,
        ...(body.note ? { note: body.note } : {}),
        companions: body.companions ?? [],
        visitedAt: visitedAt.toISOString(),
        createdAt,
        status: 'active',
        withdrawableUntil: new Date(now.getTime() + VISIT_RULES.withdrawWindowMs).toISOString(),
        rateBy: new Date(now.getTime() + VISIT_RULES.ratingWindowMs).toISOString(),
      };
      const response = { visit: visitView(visit) };
      const outcome = await writeVisit({
        request: record(response),
        visit,
        date: shanghaiDate(visitedAt),
        event: { visitId: visit.id, kind: 'registered', at: createdAt },
      });
      if (outcome === 'stored') stored = visit;
      return { outcome, response };
    },
  );
  // Only the request that stored the visit checks the rule (a retried request stored nothing).
  if (stored)
    await checkFrequency(stored, now).catch((err) =>
      logger.error('visit frequency check failed', { visitId: stored?.id, error: (err as Error).message }),
    );
  return response;
}

/** The prefecture's frequency rule (setting item) or the default of SPEC §2.5. */
export async function frequencyRule() {
  return (await getFrequencySetting(PREFECTURE_ID)) ?? VISIT_FREQUENCY_DEFAULT;
}

/**
 * Frequency rule: within `days` before this visit, ≥ perDepartment active visits by its department or ≥ total in
 * all to the enterprise raise a warning — once per breach (a lock for the rule's window).
 */
export async function checkFrequency(v: VisitItem, now: Date): Promise<WarningItem[]> {
  const rule = await frequencyRule();
  const since = new Date(Date.parse(v.visitedAt) - rule.days * 86400_000).toISOString();
  const recent: VisitItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await listVisitsOfEnterprise(v.enterprise.id, { since, cursor, limit: 100 });
    recent.push(...page.items);
    cursor = page.cursor;
  } while (cursor && recent.length < 1000);
  // The index is eventually consistent: the visit just stored may not be in it yet.
  const byId = new Map(recent.filter((x) => x.status === 'active').map((x) => [x.id, x]));
  byId.set(v.id, v);
  const active = [...byId.values()].filter((x) => x.visitedAt <= v.visitedAt || x.id === v.id);
  const sameDept = active.filter((x) => x.department.id === v.department.id);
  const raised: WarningItem[] = [];
  const lockedUntil = new Date(now.getTime() + rule.days * 86400_000).toISOString();
  const raise = async (
    w: Omit<WarningItem, 'id' | 'createdAt' | 'enterprise' | 'enterprisePath' | 'days'>,
    lockKey: string,
  ) => {
    const item: WarningItem = {
      id: ulid(now.getTime()),
      createdAt: now.toISOString(),
      enterprise: v.enterprise,
      enterprisePath: v.enterprisePath,
      days: rule.days,
      ...w,
    };
    if (await writeWarning(item, lockKey, lockedUntil, shanghaiDate(now))) raised.push(item);
  };
  if (sameDept.length >= rule.perDepartment) {
    await raise(
      {
        rule: 'department',
        department: v.department,
        count: sameDept.length,
        threshold: rule.perDepartment,
        visitIds: sameDept.map((x) => x.id),
      },
      `${v.enterprise.id}#dept#${v.department.id}`,
    );
  }
  if (active.length >= rule.total) {
    await raise(
      { rule: 'total', count: active.length, threshold: rule.total, visitIds: active.map((x) => x.id) },
      `${v.enterprise.id}#all`,
    );
  }
  return raised;
}

/** Withdraw a visit registered by mistake: only its official, within 1 hour, before it is rated. Logged. */
export async function withdrawVisit(
  session: Session,
  id: string,
  input: unknown,
  now: Date,
): Promise<{ visit: VisitView }> {
  const body = parseWith(
    z.strictObject({ reason: z.optional(z.string().check(z.trim(), z.maxLength(100, '撤回原因不能超过 100 字'))) }),
    input ?? {},
  );
  const v = await getVisit(id);
  if (!v || v.official.userId !== session.userId) throw notFound('走访登记');
  if (v.status === 'withdrawn') return { visit: visitView(v) };
  if (v.rating) throw new AppError('WITHDRAW_WINDOW_PASSED', '企业已评价该走访，不能撤回');
  if (now.toISOString() > v.withdrawableUntil)
    throw new AppError('WITHDRAW_WINDOW_PASSED', '登记已超过 1 小时，不能撤回；如确有错误请联系纪检监察干部');
  const at = now.toISOString();
  if (!(await storeWithdrawal(v, { at, reason: body.reason, date: shanghaiDate(v.visitedAt) }))) {
    const again = await getVisit(id);
    if (again?.status === 'withdrawn') return { visit: visitView(again) };
    throw new AppError('WITHDRAW_WINDOW_PASSED', '登记已超过 1 小时或已被评价，不能撤回');
  }
  logger.info('visit withdrawn', { visitId: id, officialId: session.userId, reason: body.reason });
  const grant =
    session.grants.find((g) => g.role === 'visiting_official' && g.scope === v.departmentPath) ??
    session.grants.find((g) => g.role === 'visiting_official');
  await recordAudit(
    {
      actor: { userId: session.userId, role: 'visiting_official', scope: grant?.scope ?? v.departmentPath },
      action: 'visit.withdraw',
      target: { kind: 'visit', id: v.id, name: `${v.enterprise.name} ${v.purpose}` },
      scope: v.departmentPath,
      before: { status: 'active' },
      after: { status: 'withdrawn' },
      reason: body.reason,
    },
    now,
  );
  return { visit: visitView({ ...v, status: 'withdrawn', withdrawnAt: at, withdrawReason: body.reason }) };
}

/**
 * The enterprise rates a visit: a bound contact, within 7 days, once per visit (the first contact's rating stands).
 * 不满意 or any negative-list item opens a case (source `visit`) against the official's department in the same write.
 */
export async function rateVisit(
  session: Session,
  id: string,
  input: unknown,
  now: Date,
  ticket?: RequestTicket,
): Promise<{ rating: VisitRatingView & { visitId: string }; caseId: string | null }> {
  const body = parseWith(RateVisitRequest, input);
  const unknownItem = body.negativeItemIds.find((n) => !negativeItem(n));
  if (unknownItem)
    throw new AppError('VALIDATION_FAILED', `负面清单中没有条目 ${unknownItem}`, [
      { path: 'negativeItemIds', message: '负面清单条目不存在' },
    ]);
  const alreadyRated = () => new AppError('ALREADY_RATED', '本企业已评价过这次走访（每次走访只评价一次）');
  const withdrawn = () => new AppError('VISIT_WITHDRAWN', '该走访登记已被撤回，无需评价');
  const late = () => new AppError('RATING_WINDOW_PASSED', '已超过 7 天评价期限，不能再评价这次走访');
  let visitFlag: ContentFlag | undefined;
  await refreshCalendar(); // a 不满意 rating opens a case whose deadlines count on the stored holiday calendar
  return onceOnly<{ rating: VisitRatingView & { visitId: string }; caseId: string | null }>(
    { getStoredRequest },
    {
      ticket,
      userId: session.userId,
      requestId: body.requestId,
      intent: {
        route: 'visit-rating',
        id,
        level: body.level,
        negativeItemIds: body.negativeItemIds,
        solved: body.solved,
        comment: body.comment ?? '',
      },
      status: 201,
      busyMessage: '提交繁忙，请稍后重试',
      maxAttempts: 4,
    },
    async (record, attempt) => {
      const v = await getVisit(id);
      if (!v) throw notFound('走访登记');
      if (!(await isBoundContact(session, { id: v.enterprise.id, path: v.enterprisePath })))
        throw new AppError('FORBIDDEN', '只有该企业绑定的联系人可以评价本次走访');
      if (v.status === 'withdrawn') throw withdrawn();
      if (v.rating) throw alreadyRated();
      if (now.toISOString() > v.rateBy) throw late();
      if (attempt === 0) {
        await enforce(`visit-rating#${session.userId}`, VISIT_LIMITS.ratingsPerUserPerHour, 3600, now);
        // Flagged for officials, never refused (SPEC §2.2): a visit comment may report misconduct.
        visitFlag = await contentFlag(session.userId, body.comment);
      }
      const createdAt = now.toISOString();
      const rating: VisitRatingView = {
        level: body.level,
        negativeItemIds: body.negativeItemIds,
        solved: body.solved as VisitRatingView['solved'],
        ...(body.comment ? { comment: body.comment } : {}),
        createdAt,
      };
      const bad = isBadVisitRating(body.level, body.negativeItemIds);
      const caseId = bad ? newCaseId(now) : null;
      const [contact, dept] = bad
        ? await Promise.all([getContact(v.enterprise.id, session.userId), getDepartment(v.department.id)])
        : [undefined, undefined];
      const items = body.negativeItemIds.map((n) => negativeItem(n)!.text);
      const opening = caseId
        ? openCase({
            id: caseId,
            source: 'visit',
            path: v.departmentPath,
            county: dept ? { id: dept.regionId, name: dept.regionName } : v.county,
            department: v.department,
            summary: `${v.enterprise.name}评价干部走访：${levelLabel(body.level)}${items.length ? `；${items.join('；')}` : ''}${body.comment ? `；${body.comment}` : ''}`,
            owner: { userId: session.userId, phone: contact?.phone },
            now,
            extra: {
              level: body.level,
              ...(visitFlag ? { contentFlag: visitFlag } : {}),
              visit: {
                id: v.id,
                officialName: v.official.name,
                enterpriseName: v.enterprise.name,
                visitedAt: v.visitedAt,
                purpose: v.purpose,
                negativeItemIds: body.negativeItemIds,
              },
            },
          })
        : undefined;
      const response = { rating: { visitId: v.id, ...rating }, caseId };
      const outcome = await writeVisitRating({
        request: record(response),
        visit: v,
        rating,
        rater: { visitId: v.id, userId: session.userId, enterpriseId: v.enterprise.id, createdAt },
        caseId: caseId ?? undefined,
        date: shanghaiDate(now),
        counters: visitRatingCounters(body.level, body.negativeItemIds, body.solved),
        opening,
        caseCounters: caseId ? caseOpeningCounters('visit') : undefined,
      });
      if (outcome === 'already-rated') throw alreadyRated();
      if (outcome === 'not-rateable') {
        const again = await getVisit(id);
        if (again?.status === 'withdrawn') throw withdrawn();
        if (again?.rating) throw alreadyRated();
        throw late();
      }
      return { outcome, response };
    },
  );
}

const PageQuery = z.strictObject({
  cursor: z.optional(z.string().check(z.maxLength(1024))),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 20),
});

const page = <T>(items: T[], cursor?: string) => ({ items, ...(cursor ? { cursor } : {}) });

/** 我的走访: the official's own visits, newest first, with how each was rated (never by whom). */
export async function myVisits(session: Session, query: unknown) {
  const q = parseWith(PageQuery, query);
  const r = await listVisitsOfOfficial(session.userId, q);
  return page(r.items.map(visitView), r.cursor);
}

/** Who may read an enterprise's visits: its bound contacts, and inspectors/operators whose scope covers it. */
async function mayReadEnterprise(session: Session, e: { id: string; path: string }): Promise<boolean> {
  if (session.grants.some((g) => (g.role === 'inspector' || g.role === 'operator') && scopeContains(g.scope, e.path)))
    return true;
  return isBoundContact(session, e);
}

/** The enterprise's visit log (走访记录); `pending=true` keeps the visits still waiting for its rating. */
export async function enterpriseVisits(session: Session, enterpriseId: string, query: unknown, now: Date) {
  const q = parseWith(z.extend(PageQuery, { pending: z.optional(z.enum(['true', 'false'])) }), query);
  const e = await getEnterprise(enterpriseId);
  if (!e) throw notFound('企业');
  if (!(await mayReadEnterprise(session, e))) throw forbidden();
  if (q.pending === 'true') {
    // Rateable visits were registered within the rating window; visit time is at most 3 days earlier.
    const since = new Date(now.getTime() - VISIT_RULES.ratingWindowMs - VISIT_RULES.maxBackdateMs).toISOString();
    const r = await listVisitsOfEnterprise(enterpriseId, { since, limit: 100, cursor: q.cursor });
    const nowIso = now.toISOString();
    return page(
      r.items.filter((v) => v.status === 'active' && !v.rating && v.rateBy >= nowIso).map(visitView),
      r.cursor,
    );
  }
  const r = await listVisitsOfEnterprise(enterpriseId, { cursor: q.cursor, limit: q.limit });
  return page(r.items.map(visitView), r.cursor);
}

/** One visit: its official, the enterprise's bound contacts, and the inspectors/operators of its scope. */
export async function getVisitView(
  session: Session,
  id: string,
): Promise<{ visit: VisitView; canRate: boolean; canWithdraw: boolean }> {
  const v = await getVisit(id);
  if (!v) throw notFound('走访登记');
  const own = v.official.userId === session.userId;
  const contact = await isBoundContact(session, { id: v.enterprise.id, path: v.enterprisePath });
  const official = session.grants.some(
    (g) =>
      (g.role === 'inspector' || g.role === 'operator') &&
      (scopeContains(g.scope, v.enterprisePath) || scopeContains(g.scope, v.departmentPath)),
  );
  if (!own && !contact && !official) throw notFound('走访登记');
  const nowIso = new Date().toISOString();
  return {
    visit: visitView(v),
    canRate: contact && v.status === 'active' && !v.rating && v.rateBy >= nowIso,
    canWithdraw: own && v.status === 'active' && !v.rating && v.withdrawableUntil >= nowIso,
  };
}

const ScopeQuery = z.extend(PageQuery, {
  scope: z.optional(z.string().check(z.regex(/^haibei(\/[A-Za-z0-9-]+)?$/, '范围须为州或区县'))),
});

/** Inspectors: visits to enterprises in their scope (prefecture or county), newest registration first. */
export async function visitsInScope(session: Session, query: unknown) {
  const q = parseWith(ScopeQuery, query);
  const scope = readableScope(session, q.scope, ['inspector', 'operator']);
  if (scope.split('/').length > 2) throw new AppError('VALIDATION_FAILED', '走访列表按州或区县查看');
  const r = await listVisitsInScope(scope, { cursor: q.cursor, limit: q.limit });
  return page(r.items.map(visitView), r.cursor);
}

/** Inspectors: frequency warnings in their scope, newest first, with the rule in force. */
export async function warningsInScope(session: Session, query: unknown) {
  const q = parseWith(ScopeQuery, query);
  const scope = readableScope(session, q.scope, ['inspector', 'operator']);
  if (scope.split('/').length > 2) throw new AppError('VALIDATION_FAILED', '预警列表按州或区县查看');
  const r = await listWarnings(scope, { cursor: q.cursor, limit: q.limit });
  const items: VisitWarningView[] = r.items.map((w) => ({
    id: w.id,
    enterprise: w.enterprise,
    rule: w.rule,
    ...(w.department ? { department: w.department } : {}),
    count: w.count,
    days: w.days,
    threshold: w.threshold,
    createdAt: w.createdAt,
  }));
  return { ...page(items, r.cursor), rule: await frequencyRule() };
}

/** The prefecture's operators set the frequency rule. */
export async function setFrequencyRule(session: Session, input: unknown, now: Date) {
  if (!session.grants.some((g) => g.role === 'operator' && g.scope === PREFECTURE_ID)) throw forbidden();
  const rule = parseWith(
    z.strictObject({
      days: z.number().check(z.int(), z.gte(1, '统计天数至少 1 天'), z.lte(365, '统计天数不能超过 365 天')),
      perDepartment: z.number().check(z.int(), z.gte(2, '同一部门次数至少为 2'), z.lte(100)),
      total: z.number().check(z.int(), z.gte(2, '合计次数至少为 2'), z.lte(200)),
    }),
    input,
  );
  const before = await frequencyRule();
  const audit = auditEntry(
    {
      actor: { userId: session.userId, role: 'operator', scope: PREFECTURE_ID },
      action: 'setting.update',
      target: { kind: 'setting', id: 'visit-frequency', name: '走访频次预警规则' },
      scope: PREFECTURE_ID,
      before: { ...before },
      after: { ...rule },
    },
    now,
  );
  await putFrequencySetting(PREFECTURE_ID, rule, session.userId, now.toISOString(), audit);
  return { rule };
}
