import { ulid } from 'ulid';
import {
  CASE_STATUS_LABELS,
  enterpriseIdOfScope,
  isBadRating,
  isGoodRating,
  shanghaiDate,
  SubmitRatingRequest,
  type MyRatingItem,
  type SubmitRatingResponse,
} from '@mashang/shared';
import { getCases } from '../data/cases';
import { listRatingsOfUser, writeRating, type RatingItem } from '../data/ratings';
import { getStoredRequest } from '../data/requests';
import { AppError } from '../lib/errors';
import { encryptPii } from '../lib/crypto';
import type { Session } from '../lib/session';
import { correlate, count, logger } from '../lib/logger';
import { parseWith } from '../lib/validate';
import { newCaseId, openCase } from './case-opening';
import { caseOpeningCounters, ratingCounters } from './counters';
import { onceOnly, type RequestStore } from './idempotency';
import { resolveCode, type ResolvedCode } from './codes';
import { ensureSafeText } from './content-check';
import { enforce, LIMITS } from './limits';

/** What submitting a rating needs (data/ and the other use cases in production; fakes in tests/unit). */
export interface RatingPorts extends RequestStore {
  resolveCode(code: string, now: Date): Promise<ResolvedCode>;
  enforce(key: string, limit: number, windowSeconds: number, now: Date): Promise<void>;
  ensureSafeText(userId: string, text: string | undefined): Promise<void>;
  writeRating: typeof writeRating;
}

const ratingPorts: RatingPorts = { getStoredRequest, resolveCode, enforce, ensureSafeText, writeRating };

/**
 * 好差评: validate, resolve the window's code, and store the rating with its counters (and, for a 差评, its case)
 * in one transaction. The same requestId again returns the first answer and stores nothing new.
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
  };
  return onceOnly(
    ports,
    {
      userId: session.userId,
      requestId: body.requestId,
      intent,
      status: 201,
      reusedMessage: '该请求编号已用于另一条评价，请刷新页面后重新提交',
      busyMessage: '提交繁忙，请稍后重试',
      maxAttempts: 5,
    },
    async (record, attempt) => {
      const target = await ports.resolveCode(body.code, now);
      if (attempt === 0) {
        await ports.enforce(`rating#${session.userId}`, LIMITS.ratingsPerUserPerHour, 3600, now);
        await ports.ensureSafeText(session.userId, body.comment);
      }
      if (target.kind !== 'window')
        throw new AppError('VALIDATION_FAILED', '企业监督码用于干部访企评价，请扫描窗口监督码进行评价');
      const w = target.window;

      const createdAt = now.toISOString();
      const caseId = isBadRating(body.level) ? newCaseId(now) : null;
      // "企业说了算": a bound enterprise contact's rating is stored and counted as the enterprise's (企业评价).
      const enterpriseGrant = session.grants.find((g) => g.role === 'enterprise');
      const rating: RatingItem = {
        id: ulid(now.getTime()),
        level: body.level,
        reasons: body.reasons ?? [],
        comment: body.comment || undefined,
        windowId: w.id,
        windowName: w.name,
        department: w.department,
        county: w.county,
        path: w.path,
        createdAt,
        date: shanghaiDate(now),
        caseId,
        ...(enterpriseGrant
          ? { raterKind: 'enterprise' as const, enterpriseId: enterpriseIdOfScope(enterpriseGrant.scope) }
          : {}),
      };
      const response: SubmitRatingResponse = { rating: { id: rating.id, level: rating.level, createdAt }, caseId };
      const phone = body.phone ? encryptPii(body.phone) : undefined;
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
            extra: { ratingId: rating.id, ratingDate: rating.date, level: rating.level, reasons: rating.reasons },
          })
        : undefined;

      const outcome = await ports.writeRating({
        request: record(response),
        rating,
        rater: { ratingId: rating.id, userId: session.userId, anonymous: !!body.anonymous, phone, createdAt },
        counters: {
          ...ratingCounters(rating.level),
          ...(caseId ? caseOpeningCounters('rating') : {}),
          ...(enterpriseGrant ? { entRatings: 1, entGood: isGoodRating(body.level) ? 1 : 0 } : {}),
        },
        opening,
      });
      if (outcome === 'stored') {
        correlate({ caseId: caseId ?? undefined });
        logger.info('rating stored', { ratingId: rating.id, level: rating.level, caseId });
        count('RatingsSubmitted');
        if (caseId) {
          count('BadRatings');
          count('CasesOpened');
        }
      }
      if (outcome === 'already-rated-today') {
        throw new AppError(
          'ALREADY_RATED_TODAY',
          '您今天已评价过该窗口（一次一评）。如问题仍未解决，可在“我的评价”中追评或投诉',
        );
      }
      return { outcome, response };
    },
  );
}

/** The caller's ratings, newest first, with the state of each one's case. */
export async function myRatings(
  session: Session,
  cursor: string | undefined,
): Promise<{ items: MyRatingItem[]; cursor?: string }> {
  const page = await listRatingsOfUser(session.userId, cursor, 20);
  const cases = await getCases(page.ratings.map((r) => r.caseId).filter((id): id is string => !!id));
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
    };
  });
  return { items, ...(page.cursor ? { cursor: page.cursor } : {}) };
}
