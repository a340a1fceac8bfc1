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
import {
  listRatingsOfUser,
  ratingIdOf,
  ratingIdsOfUserSince,
  withdrawRating,
  writeRating,
  type RatingItem,
} from '../data/ratings';
import { AppError } from '../lib/errors';
import { encryptPii, requestFingerprint } from '../lib/crypto';
import type { Session } from '../lib/session';
import { correlate, count, logger } from '../lib/logger';
import { parseWith } from '../lib/validate';
import { newCaseId, openCase } from './case-opening';
import { resolveCode, type ResolvedCode } from './codes';
import { contentFlag, type ContentFlag } from './content-check';
import { LIMITS } from './limits';
import { LIMIT_QUERY_MAX, takeReadAhead } from './rating-limit';
import { invitationForRating } from './invitations';
import { invitationRatedWrite } from '../data/invitations';
import { ratingPhotoViews, startPhotoChecks, takePhotos } from './photo-evidence';

/** What submitting a rating needs (data/ and the other use cases in production; fakes in tests/unit). */
export interface RatingPorts {
  resolveCode(code: string, now: Date): Promise<ResolvedCode>;
  /** The hourly limit's count: ids of the user's ratings stored since `since` (at most `max`; data/ratings). */
  ratingIdsOfUserSince(userId: string, since: string, max: number): Promise<string[]>;
  /** The same ids, read ahead by this instance's signed-in lookup of the code and taken once (domain/rating-limit). */
  takeReadAhead?(userId: string, now: Date): string[] | undefined;
  /** Take back a rating this request has just stored because the limit checked beside it was already reached. */
  withdrawRating(ratingId: string, requestId: string): Promise<void>;
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
  ratingIdsOfUserSince,
  takeReadAhead,
  withdrawRating,
  contentFlag,
  writeRating,
  takePhotos,
  startPhotoChecks,
  refreshCalendar,
};

const MAX_ATTEMPTS = 5;

const rateLimited = () => new AppError('RATE_LIMITED', '操作过于频繁，请稍后再试');

/**
 * 好差评: validate, resolve the window's code (cached, domain/codes), check the caller's hourly limit, and store the
 * rating under its (user, window, day) key — one conditional PutItem for a 好评/中评, one transaction with the case it
 * opens for a 差评. That key is the 一次一评 lock and the idempotency record at once: when it is taken, the item it
 * holds says whether this is the same request again (its first answer is returned, nothing is stored) or another
 * rating of the day (ALREADY_RATED_TODAY). Day counters follow from the table's stream (domain/stream-counters).
 * That key is the route's only idempotency record (httpWrite's ledger is not read or written for this route,
 * `recordedByUseCase`).
 *
 * The hourly limit (LIMITS.ratingsPerUserPerHour, a sliding hour) is counted on the caller's own rating items (one
 * Query of their list, which writes nothing; the rating being answered is never counted against itself, so a retry
 * still gets its first answer). A 差评, an invited rating or one with photos is checked before anything is stored (a
 * case must not open and then be taken back). The common 好评/中评 is checked BESIDE its PutItem: the Query and the
 * Put run at once, and in the rare case the limit was already reached the rating just stored is withdrawn (its
 * stream REMOVE takes its counts away) and the caller is refused as before. Two requests of one user racing at the
 * limit can both pass: a wall against scripts, not an exact count. When the rate page's signed-in lookup of the code
 * read that count ahead on this instance (domain/rating-limit, the scan and the rating being one function), the
 * rating is checked against it before anything is stored and the 好评 is its PutItem alone.
 * Sequential DynamoDB requests after the rate page's lookup: 好评 1 (the Put, nothing beside it), 差评 with a comment 2
 * (the user for the content check, the transaction). Without it: 好评 1 (the Put, the Query beside it), 差评 3; a cold
 * code adds its GetItems before the write.
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
  // The limit's count: read ahead by the rate page's lookup on this instance, or a Query that starts at once, the
  // code lookup (a GetItem when the instance has not cached the code) beside it. The code's verdict is given first
  // (a refused code is answered as such, not as RATE_LIMITED).
  const ahead = ports.takeReadAhead?.(session.userId, now);
  const since = new Date(now.getTime() - 3600_000).toISOString();
  const recent = ahead ? Promise.resolve(ahead) : ports.ratingIdsOfUserSince(session.userId, since, LIMIT_QUERY_MAX);
  recent.catch(() => undefined); // awaited below; a refused code must not leave it unhandled
  const target = await ports.resolveCode(body.code, now);
  if (target.kind !== 'window')
    throw new AppError('VALIDATION_FAILED', '企业监督码用于干部访企评价，请扫描窗口监督码进行评价');
  const date = shanghaiDate(now);
  const ratingId = ratingIdOf(session.userId, target.window.id, date);
  /** Refused when the caller's other ratings of the last hour already reach the limit. */
  const checkLimit = async () => {
    const others = (await recent).filter((id) => id !== ratingId);
    if (others.length >= LIMITS.ratingsPerUserPerHour) throw rateLimited();
  };
  const beside = !ahead && !isBadRating(body.level) && !body.invitation && !body.photos?.length;
  if (!beside) await checkLimit();
  const w = target.window;
  // Checked and flagged for officials, never refused: a comment about 代开发票 is a report, not spam.
  const flag = await ports.contentFlag(session.userId, body.comment);
  // 一事一评: a rating that answers an SMS invitation is tied to it (once, within its 7 days).
  const invited = body.invitation ? await invitationForRating(body.invitation, now, ratingId) : undefined;
  const invitation = invited?.invitation;
  if (invitation && invitation.windowId !== w.id) throw new AppError('VALIDATION_FAILED', '评价邀请与窗口不一致');
  const photos = (await ports.takePhotos?.(session.userId, body.photos)) ?? [];

  if (isBadRating(body.level)) await ports.refreshCalendar?.();
  const createdAt = now.toISOString();
  const phone = body.phone ? encryptPii(body.phone) : undefined;
  // "企业说了算": a bound enterprise contact's rating is stored and counted as the enterprise's (企业评价).
  const enterpriseGrant = session.grants.find((g) => g.role === 'enterprise');
  for (let attempt = 0; ; attempt++) {
    const caseId = isBadRating(body.level) ? newCaseId(now) : null;
    const rating: RatingItem = {
      id: ratingId,
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
      if (beside) {
        try {
          await checkLimit();
        } catch (e) {
          await ports.withdrawRating(rating.id, body.requestId);
          throw e;
        }
      }
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
        if (beside) await checkLimit(); // as when the limit came first: an over-limit caller hears that
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
