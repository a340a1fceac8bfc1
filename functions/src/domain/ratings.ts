import { ulid } from 'ulid';
import {
  CASE_STATUS_LABELS,
  isBadRating,
  shanghaiDate,
  SubmitRatingRequest,
  type CaseStatus,
  type MyRatingItem,
  type SubmitRatingResponse,
} from '@mashang/shared';
import { K } from '../data/keys';
import { batchGet, listRatingsOfUser, writeRating, type RatingItem } from '../data/ratings';
import { getStoredRequest } from '../data/requests';
import { AppError } from '../lib/errors';
import { encryptPii, sha256 } from '../lib/crypto';
import type { Session } from '../lib/session';
import { parseWith } from '../lib/validate';
import { caseOpeningCounters, newCaseId, openCaseItems } from './case-opening';
import { resolveCode } from './codes';
import { ensureSafeText } from './content-check';
import { enforce, LIMITS } from './limits';

const MAX_CONFLICT_RETRIES = 4;

function replay(stored: { bodyHash: string; response: unknown }, bodyHash: string): SubmitRatingResponse {
  if (stored.bodyHash !== bodyHash) {
    throw new AppError('IDEMPOTENCY_KEY_REUSED', '该请求编号已用于另一条评价，请刷新页面后重新提交');
  }
  return stored.response as SubmitRatingResponse;
}

/**
 * 好差评: validate, resolve the window's code, and store the rating with its counters (and, for a 差评, its case)
 * in one transaction. The same requestId again returns the first answer and stores nothing new.
 */
export async function submitRating(session: Session, input: unknown, now: Date): Promise<SubmitRatingResponse> {
  const body = parseWith(SubmitRatingRequest, input);
  const bodyHash = sha256(JSON.stringify([body.code, body.level, body.reasons ?? [], body.comment ?? '', body.phone ?? '', !!body.anonymous]));

  for (let attempt = 0; ; attempt++) {
    const stored = await getStoredRequest(session.userId, body.requestId);
    if (stored) return replay(stored, bodyHash);

    const target = await resolveCode(body.code);
    if (attempt === 0) {
      await enforce(`rating#${session.userId}`, LIMITS.ratingsPerUserPerHour, 3600, now);
      await ensureSafeText(session.userId, body.comment);
    }
    if (target.kind !== 'window') throw new AppError('VALIDATION_FAILED', '企业监督码用于干部访企评价，请扫描窗口监督码进行评价');
    const w = target.window;

    const createdAt = now.toISOString();
    const bad = isBadRating(body.level);
    const caseId = bad ? newCaseId(now) : null;
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
    };
    const response: SubmitRatingResponse = { rating: { id: rating.id, level: rating.level, createdAt }, caseId };
    const extra = caseId
      ? openCaseItems({
          id: caseId,
          source: 'rating',
          path: w.path,
          county: w.county,
          department: w.department,
          window: { id: w.id, name: w.name },
          summary: `${rating.reasons.join('、')}${rating.comment ? `：${rating.comment}` : ''}`,
          owner: { userId: session.userId, phone: body.phone ? encryptPii(body.phone) : undefined },
          now,
          extra: { ratingId: rating.id, ratingDate: rating.date, level: rating.level, reasons: rating.reasons },
        })
      : [];

    const outcome = await writeRating({
      request: { userId: session.userId, requestId: body.requestId, bodyHash, status: 201, response },
      rating,
      rater: {
        ratingId: rating.id,
        userId: session.userId,
        anonymous: !!body.anonymous,
        phone: body.phone ? encryptPii(body.phone) : undefined,
        createdAt,
      },
      extra,
      extraCounters: caseId ? caseOpeningCounters('rating') : undefined,
    });
    if (outcome === 'stored') return response;
    if (outcome === 'already-rated-today') {
      throw new AppError('ALREADY_RATED_TODAY', '您今天已评价过该窗口（一次一评）。如问题仍未解决，可在“我的评价”中追评或投诉');
    }
    // duplicate-request: a concurrent twin won; loop to read and return its answer.
    // conflict: a concurrent transaction touched the same counters; retry after a short jittered pause.
    if (attempt >= MAX_CONFLICT_RETRIES) throw new AppError('CONFLICT', '提交繁忙，请稍后重试');
    if (outcome === 'conflict') await new Promise((r) => setTimeout(r, 20 + Math.random() * 60 * (attempt + 1)));
  }
}

/** The caller's ratings, newest first, with the state of each one's case. */
export async function myRatings(session: Session, cursor: string | undefined): Promise<{ items: MyRatingItem[]; cursor?: string }> {
  const page = await listRatingsOfUser(session.userId, cursor, 20);
  const caseIds = page.ratings.map((r) => r.caseId).filter((id): id is string => !!id);
  const cases = await batchGet<{ pk: string; status: CaseStatus }>(caseIds.map((id) => K.case(id)));
  const items = page.ratings.map((r) => {
    const status = r.caseId ? cases.get(K.case(r.caseId).pk)?.status : undefined;
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
