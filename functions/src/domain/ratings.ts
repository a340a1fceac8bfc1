import { refreshCalendar } from './calendar';
import {
  CASE_STATUS_LABELS,
  enterpriseIdOfScope,
  isBadRating,
  shanghaiDate,
  SubmitRatingRequest,
  type MyRatingItem,
  type PhotoRef,
  type SubmitRatingResponse,
} from '@mashang/shared';
import { getCases } from '../data/cases';
import { listRatingsOfUser, ratingIdOf, writeRating, type RatingItem } from '../data/ratings';
import { AppError } from '../lib/errors';
import { encryptPii, requestFingerprint } from '../lib/crypto';
import type { Session } from '../lib/session';
import { correlate, count, logger } from '../lib/logger';
import { parseWith } from '../lib/validate';
import { newCaseId, openCase } from './case-opening';
import { resolveCode, type ResolvedCode } from './codes';
import { contentFlag, type ContentFlag } from './content-check';
import { enforceOnce, LIMITS } from './limits';
import { invitationForRating } from './invitations';
import { invitationRatedWrite } from '../data/invitations';
import { ratingPhotoViews, startPhotoChecks, takePhotos } from './photo-evidence';

/** What submitting a rating needs (data/ and the other use cases in production; fakes in tests/unit). */
export interface RatingPorts {
  resolveCode(code: string, now: Date): Promise<ResolvedCode>;
  /** The hourly limit, counted in distinct requests: the same request again passes and writes nothing. */
  enforce(key: string, limit: number, windowSeconds: number, now: Date, member: string): Promise<void>;
  /** msg_sec_check: a flag for officials, never a refusal. */
  contentFlag(userId: string, text: string | undefined): Promise<ContentFlag | undefined>;
  writeRating: typeof writeRating;
  /** Photos: the caller's uploads taken as evidence (domain/photo-evidence), then handed to WeChat's image check. */
  takePhotos?(userId: string, keys: readonly string[] | undefined): Promise<PhotoRef[]>;
  startPhotoChecks?: typeof startPhotoChecks;
  /** The stored holiday calendar, installed before a 差评's deadlines are set (absent in unit tests: the package's). */
  refreshCalendar?: () => Promise<void>;
}

const ratingPorts: RatingPorts = {
  resolveCode,
  enforce: enforceOnce,
  contentFlag,
  writeRating,
  takePhotos,
  startPhotoChecks,
  refreshCalendar,
};

const MAX_ATTEMPTS = 5;

/**
 * 好差评: validate, resolve the window's code (cached, domain/codes), check the caller's hourly limit, and store the
 * rating under its (user, window, day) key — one conditional PutItem for a 好评/中评, one transaction with the case it
 * opens for a 差评. That key is the 一次一评 lock and the idempotency record at once: when it is taken, the item it
 * holds says whether this is the same request again (its first answer is returned, nothing is stored) or another
 * rating of the day (ALREADY_RATED_TODAY). Day counters follow from the table's stream (domain/stream-counters).
 * That key is the route's only idempotency record (httpWrite's ledger is not read or written for this route,
 * `recordedByUseCase`), and the hourly limit counts distinct requests, so a retry passes it without writing.
 * DynamoDB requests with a warm code cache: 好评 2 (limit, Put), 差评 with a comment 3 (limit, the user for the
 * content check, the transaction); a cold code adds a GetItem that runs beside the limit, not before it.
 */
export async function submitRating(
  session: Session,
  input: unknown,
  now: Date,
  ports: RatingPorts = ratingPorts,
): Promise<SubmitRatingResponse> {
  const body = parseWith(SubmitRatingRequest, input);
  // Absent and empty optional fields ask for the same thing.
  const intent = {
    route: 'rating',
    code: body.code,
    level: body.level,
    reasons: body.reasons ?? [],
    comment: body.comment ?? '',
    phone: body.phone ?? '',
    anonymous: !!body.anonymous,
    ...(body.invitation ? { invitation: body.invitation } : {}),
    callbackBy: body.callbackBy ?? 'department',
    // Only when there are photos: a rating without them has the same fingerprint as before photos existed.
    ...(body.photos?.length ? { photos: body.photos } : {}),
  };
  const fingerprint = requestFingerprint(JSON.stringify(intent));
  // The code lookup (a GetItem when the instance has not cached the code) and the hourly limit's UpdateItem do not
  // depend on each other: they run at once, so even a cold code costs one round trip before the write. The code's
  // verdict is given first, as when they ran in sequence (a refused code is answered as such, not as RATE_LIMITED).
  const [resolved, limited] = await Promise.allSettled([
    ports.resolveCode(body.code, now),
    ports.enforce(
      `rating#${session.userId}`,
      LIMITS.ratingsPerUserPerHour,
      3600,
      now,
      requestFingerprint(`limit|${body.requestId}`).slice(0, 16),
    ),
  ]);
  if (resolved.status === 'rejected') throw resolved.reason;
  const target = resolved.value;
  if (target.kind !== 'window')
    throw new AppError('VALIDATION_FAILED', '企业监督码用于干部访企评价，请扫描窗口监督码进行评价');
  if (limited.status === 'rejected') throw limited.reason;
  const w = target.window;
  // Checked and flagged for officials, never refused: a comment about 代开发票 is a report, not spam.
  const flag = await ports.contentFlag(session.userId, body.comment);
  // 一事一评: a rating that answers an SMS invitation is tied to it (once, within its 7 days).
  const invited = body.invitation
    ? await invitationForRating(body.invitation, now, ratingIdOf(session.userId, w.id, shanghaiDate(now)))
    : undefined;
  const invitation = invited?.invitation;
  if (invitation && invitation.windowId !== w.id) throw new AppError('VALIDATION_FAILED', '评价邀请与窗口不一致');
  const photos = (await ports.takePhotos?.(session.userId, body.photos)) ?? [];

  if (isBadRating(body.level)) await ports.refreshCalendar?.();
  const createdAt = now.toISOString();
  const date = shanghaiDate(now);
  const phone = body.phone ? encryptPii(body.phone) : undefined;
  // "企业说了算": a bound enterprise contact's rating is stored and counted as the enterprise's (企业评价).
  const enterpriseGrant = session.grants.find((g) => g.role === 'enterprise');
  for (let attempt = 0; ; attempt++) {
    const caseId = isBadRating(body.level) ? newCaseId(now) : null;
    const rating: RatingItem = {
      id: ratingIdOf(session.userId, w.id, date),
      level: body.level,
      reasons: body.reasons ?? [],
      comment: body.comment || undefined,
      windowId: w.id,
      windowName: w.name,
      department: w.department,
      county: w.county,
      path: w.path,
      createdAt,
      date,
      caseId,
      ...(flag ? { contentFlag: flag } : {}),
      ...(photos.length ? { photos } : {}),
      ...(phone ? { callbackBy: body.callbackBy ?? 'department' } : {}),
      ...(enterpriseGrant
        ? { raterKind: 'enterprise' as const, enterpriseId: enterpriseIdOfScope(enterpriseGrant.scope) }
        : {}),
      ...(invitation ? { invitationId: invitation.id } : {}),
    };
    const response: SubmitRatingResponse = { rating: { id: rating.id, level: rating.level, createdAt }, caseId };
    const opening = caseId
      ? openCase({
          id: caseId,
          source: 'rating',
          path: w.path,
          county: w.county,
          department: w.department,
          window: { id: w.id, name: w.name },
          summary: `${rating.reasons.join('、')}${rating.comment ? `：${rating.comment}` : ''}`,
          owner: { userId: session.userId, phone },
          now,
          extra: {
            ratingId: rating.id,
            ratingDate: rating.date,
            level: rating.level,
            reasons: rating.reasons,
            // Who may call the rater back: the department (the national rule, default) or only the inspectors.
            callbackBy: body.callbackBy ?? 'department',
            ...(flag ? { contentFlag: flag } : {}),
            ...(photos.length ? { photos } : {}),
          },
        })
      : undefined;

    const outcome = await ports.writeRating({
      rating,
      rater: { userId: session.userId, anonymous: !!body.anonymous, phone },
      request: { requestId: body.requestId, fingerprint, response },
      opening,
      guard: invitation && !invited?.retry ? invitationRatedWrite(invitation.id, rating.id, now) : undefined,
    });
    if (outcome.kind === 'guard-failed') {
      await invitationForRating(body.invitation!, now); // says which: used or expired
      throw new AppError('INVITATION_USED', '您已通过该邀请评价过本次办事，感谢参与');
    }
    if (outcome.kind === 'stored') {
      correlate({ caseId: caseId ?? undefined });
      logger.info('rating stored', { ratingId: rating.id, level: rating.level, caseId });
      count('RatingsSubmitted');
      await ports.startPhotoChecks?.(session.userId, photos, caseId ? { caseId } : { ratingId: rating.id }, now);
      if (caseId) {
        count('BadRatings');
        count('CasesOpened');
      }
      return response;
    }
    if (outcome.kind === 'exists') {
      if (outcome.request.requestId !== body.requestId) {
        throw new AppError(
          'ALREADY_RATED_TODAY',
          '您今天已评价过该窗口（一次一评）。如问题仍未解决，可在“我的评价”中追评或投诉',
        );
      }
      if (outcome.request.fingerprint !== fingerprint) {
        throw new AppError('IDEMPOTENCY_KEY_REUSED', '该请求编号已用于另一项操作，请刷新页面后重新提交');
      }
      return outcome.request.response as SubmitRatingResponse;
    }
    // conflict: a concurrent transaction held an item of the case (a gauge); retry after a short jittered pause.
    if (attempt + 1 >= MAX_ATTEMPTS) throw new AppError('CONFLICT', '提交繁忙，请稍后重试');
    await new Promise((r) => setTimeout(r, 20 + Math.random() * 60 * (attempt + 1)));
  }
}

/** The caller's ratings, newest first, with the state of each one's case. */
export async function myRatings(
  session: Session,
  cursor: string | undefined,
): Promise<{ items: MyRatingItem[]; cursor?: string }> {
  const page = await listRatingsOfUser(session.userId, cursor, 20);
  const [cases, photos] = await Promise.all([
    getCases(page.ratings.map((r) => r.caseId).filter((id): id is string => !!id)),
    // The rater's own photos (expiring links, without the content check's marks, which are for officials).
    ratingPhotoViews(page.ratings, { checks: false }),
  ]);
  const items = page.ratings.map((r) => {
    const status = r.caseId ? cases.get(r.caseId)?.status : undefined;
    return {
      id: r.id,
      level: r.level,
      reasons: r.reasons,
      comment: r.comment,
      createdAt: r.createdAt,
      window: { id: r.windowId, name: r.windowName, departmentName: r.department.name, countyName: r.county.name },
      caseId: r.caseId,
      ...(status ? { caseStatus: status, caseStatusLabel: CASE_STATUS_LABELS[status] } : {}),
      ...(photos.has(r.id) ? { photos: photos.get(r.id) } : {}),
    };
  });
  return { items, ...(page.cursor ? { cursor: page.cursor } : {}) };
}
