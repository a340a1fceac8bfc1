import { refreshCalendar } from './calendar';
import { timingSafeEqual } from 'node:crypto';
import {
  CASE_STATUS_LABELS,
  PREFECTURE_ID,
  TIMELINE_LABELS,
  shanghaiDate,
  SubmitComplaintRequest,
  type ComplaintProgress,
  type MyComplaintItem,
  type PhotoRef,
  type SubmitComplaintResponse,
} from '@mashang/shared';
import { config } from '../config';
import { caseTimeline, getCase, getCases } from '../data/cases';
import { getComplaint, listComplaintsOfUser, writeComplaint } from '../data/complaints';
import { getStoredRequest } from '../data/requests';
import { AppError } from '../lib/errors';
import { encryptPii, hmac } from '../lib/crypto';
import type { Session } from '../lib/session';
import { correlate, count, logger } from '../lib/logger';
import { parseWith } from '../lib/validate';
import { newCaseId, openCase, randomCrockford } from './case-opening';
import { caseOpeningCounters } from './counters';
import { onceOnly, type RequestTicket } from './idempotency';
import { resolveCode } from './codes';
import { negativeItem } from './conduct-lists';
import { contentFlag, type ContentFlag } from './content-check';
import { enforce, LIMITS } from './limits';
import { startPhotoChecks, takePhotos } from './photo-evidence';

const queryHash = (trackingNo: string, queryCode: string) =>
  hmac(config().CODE_SECRET, `complaint:${trackingNo}:${queryCode.toUpperCase()}`).toString('hex');

/**
 * 投诉举报: a complaint opens a case in one transaction. The complainant gets a tracking number and a secret query
 * code (only its keyed hash is stored); name and phone are encrypted and kept apart from what departments read.
 */
export async function submitComplaint(
  session: Session,
  input: unknown,
  now: Date,
  ticket?: RequestTicket,
): Promise<SubmitComplaintResponse> {
  const body = parseWith(SubmitComplaintRequest, input);
  if (body.negativeItemId && !negativeItem(body.negativeItemId))
    throw new AppError('VALIDATION_FAILED', '负面清单条目不存在');
  const { requestId, photos: photoKeys, ...rest } = body;
  // Only when there are photos: a complaint without them has the same fingerprint as before photos existed.
  const intent = { ...rest, ...(photoKeys?.length ? { photos: photoKeys } : {}) };
  await refreshCalendar(); // the case it opens takes its deadlines from the stored holiday calendar
  let flag: ContentFlag | undefined;
  let photos: PhotoRef[] = [];
  return onceOnly(
    { getStoredRequest },
    {
      ticket,
      userId: session.userId,
      requestId,
      intent: { route: 'complaint', ...intent },
      status: 201,
      busyMessage: '提交繁忙，请稍后重试',
      maxAttempts: 5,
    },
    async (record, attempt) => {
      const target = body.code ? await resolveCode(body.code) : undefined;
      if (attempt === 0) {
        await enforce(`complaint#${session.userId}`, LIMITS.complaintsPerUserPerHour, 3600, now);
        // Checked and flagged for the inspectors, never refused: misconduct is what complaints report.
        flag = await contentFlag(session.userId, body.content);
        // The evidence as the inspectors will see it: the caller's uploads, checked and stripped of metadata.
        photos = await takePhotos(session.userId, photoKeys);
      }
      const w = target?.kind === 'window' ? target.window : undefined;
      const ent = target?.kind === 'enterprise' ? target.enterprise : undefined;
      const path = w?.path ?? (ent ? ent.path.split('/').slice(0, 2).join('/') : PREFECTURE_ID);
      const county = w?.county ?? ent?.county ?? { id: PREFECTURE_ID, name: '海北州' };

      const trackingNo = `TS${shanghaiDate(now).replaceAll('-', '')}${randomCrockford(6)}`;
      const queryCode = randomCrockford(8);
      const caseId = newCaseId(now);
      const createdAt = now.toISOString();
      const negative = body.negativeItemId ? negativeItem(body.negativeItemId)!.text : undefined;
      const response = { trackingNo, queryCode, caseId };
      const outcome = await writeComplaint({
        request: record(response),
        complaint: {
          trackingNo,
          queryHash: queryHash(trackingNo, queryCode),
          category: body.category,
          content: body.content,
          negativeItemId: body.negativeItemId,
          anonymous: body.anonymous,
          caseId,
          path,
          createdAt,
        },
        complainant: { trackingNo, caseId, userId: session.userId, category: body.category, createdAt },
        opening: openCase({
          id: caseId,
          source: 'complaint',
          path,
          county,
          department: w?.department,
          window: w ? { id: w.id, name: w.name } : undefined,
          // Departments read `summary` once an inspector forwards the complaint: until then only its category. The
          // text as filed stays with the inspectors (`originalText`); the tracking number and whether it was
          // real-name stay on the complaint item, which only the complainant's tracking reads (SPEC §2.4).
          summary: `【${body.category}】`,
          owner: {
            userId: session.userId,
            phone: body.phone ? encryptPii(body.phone) : undefined,
            name: body.name ? encryptPii(body.name) : undefined,
            trackingNo,
          },
          now,
          extra: {
            category: body.category,
            forwarded: false,
            originalText: `${negative ? `（负面清单 ${body.negativeItemId}：${negative}）` : ''}${body.content}`,
            ...(flag ? { contentFlag: flag } : {}),
            ...(photos.length ? { photos } : {}),
          },
        }),
        counters: caseOpeningCounters('complaint'),
        date: shanghaiDate(now),
      });
      if (outcome === 'stored') {
        correlate({ caseId });
        logger.info('complaint stored', { trackingNo, caseId, category: body.category });
        count('ComplaintsSubmitted');
        count('CasesOpened');
        await startPhotoChecks(session.userId, photos, { caseId }, now);
      }
      return { outcome, response };
    },
  );
}

/** Progress by tracking number and query code, without any internal identity; a wrong code looks like an unknown number. */
export async function trackComplaint(
  rawTrackingNo: string,
  rawQueryCode: string | undefined,
  caller: { sourceIp: string; userId?: string },
  now: Date,
): Promise<ComplaintProgress> {
  const notFound = new AppError('NOT_FOUND', '未找到该投诉，请核对投诉编号和查询码');
  // As people type them, read out or copied: lower case and surrounding spaces are the same number and code.
  const trackingNo = rawTrackingNo.trim().toUpperCase();
  const queryCode = rawQueryCode?.trim();
  await enforce(`track-ip#${caller.sourceIp}`, LIMITS.trackingPerAddressPerHour, 3600, now);
  if (!/^TS\d{8}[0-9A-Z]{6}$/.test(trackingNo) || !queryCode || !/^[0-9A-Za-z]{8}$/.test(queryCode)) throw notFound;
  // Guessing is limited per (number, caller): someone else's wrong guesses never lock the complainant out.
  await enforce(
    `track-no#${trackingNo}#${caller.userId ?? caller.sourceIp}`,
    LIMITS.trackingPerNumberPerHour,
    3600,
    now,
  );
  const c = await getComplaint(trackingNo);
  const given = Buffer.from(queryHash(trackingNo, queryCode));
  if (!c || !timingSafeEqual(Buffer.from(String(c.queryHash)), given)) throw notFound;
  const kase = await getCase(c.caseId);
  const timeline = await caseTimeline(c.caseId);
  return {
    trackingNo,
    category: c.category,
    content: c.content,
    createdAt: c.createdAt,
    status: kase?.status,
    statusLabel: kase ? CASE_STATUS_LABELS[kase.status] : undefined,
    outcome: kase?.outcome,
    // What was done and when; notes only where they are meant for the complainant: the opening, and the closing
    // note the inspector chose to publish (never the internal one).
    timeline: timeline.map((t) => {
      const note = t.action === 'opened' ? t.note : t.action === 'close' ? t.data?.publicNote : undefined;
      return {
        action: t.action,
        label: TIMELINE_LABELS[t.action] ?? t.action,
        at: t.at,
        ...(typeof note === 'string' && note ? { note } : {}),
      };
    }),
  };
}

/** GET /v1/me/complaints: what the caller filed, with case progress. */
export async function myComplaints(session: Session): Promise<{ items: MyComplaintItem[] }> {
  const mine = await listComplaintsOfUser(session.userId, 50);
  const cases = await getCases(mine.map((m) => m.caseId));
  return {
    items: mine.map((m) => {
      const k = cases.get(m.caseId);
      return {
        trackingNo: m.trackingNo,
        category: m.category,
        createdAt: m.createdAt,
        caseId: m.caseId,
        caseStatus: k?.status,
        caseStatusLabel: k ? CASE_STATUS_LABELS[k.status] : undefined,
        outcome: k?.outcome,
      };
    }),
  };
}
