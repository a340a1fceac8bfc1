import { timingSafeEqual } from 'node:crypto';
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  CASE_STATUS_LABELS,
  PREFECTURE_ID,
  TIMELINE_LABELS,
  shanghaiDate,
  SubmitComplaintRequest,
  type ComplaintProgress,
  type MyComplaintItem,
  type SubmitComplaintResponse,
} from '@mashang/shared';
import { config } from '../config';
import { db, table } from '../data/client';
import { G, K } from '../data/keys';
import { batchGet } from '../data/ratings';
import { getStoredRequest, storedRequestPut } from '../data/requests';
import type { CaseItem } from '../data/cases';
import { AppError } from '../lib/errors';
import { decryptPii, encryptPii, hmac, sha256 } from '../lib/crypto';
import type { Session } from '../lib/session';
import { parseWith } from '../lib/validate';
import { caseOpeningCounters, dayCounterUpdates, newCaseId, openCaseItems, randomCrockford } from './case-opening';
import { resolveCode } from './codes';
import { negativeItem } from './conduct-lists';
import { ensureSafeText } from './content-check';
import { enforce, LIMITS } from './limits';

const queryHash = (trackingNo: string, queryCode: string) => hmac(config().CODE_SECRET, `complaint:${trackingNo}:${queryCode.toUpperCase()}`).toString('hex');

/**
 * 投诉举报: a complaint opens a case in one transaction. The complainant gets a tracking number and a secret query
 * code (only its keyed hash is stored); name and phone are encrypted and kept apart from what departments read.
 */
export async function submitComplaint(session: Session, input: unknown, now: Date): Promise<SubmitComplaintResponse> {
  const body = parseWith(SubmitComplaintRequest, input);
  if (body.negativeItemId && !negativeItem(body.negativeItemId)) throw new AppError('VALIDATION_FAILED', '负面清单条目不存在');
  const bodyHash = sha256(JSON.stringify({ ...body, requestId: undefined }));
  const stored = await getStoredRequest(session.userId, body.requestId);
  if (stored) {
    if (stored.bodyHash !== bodyHash) throw new AppError('IDEMPOTENCY_KEY_REUSED', '该请求编号已用于另一件投诉，请刷新后重新提交');
    // The query code is shown once: a retry gets the same number and code back (kept encrypted for this purpose).
    const r = stored.response as SubmitComplaintResponse & { sealedQueryCode: string };
    return { trackingNo: r.trackingNo, caseId: r.caseId, queryCode: decryptPii(r.sealedQueryCode) };
  }
  const target = body.code ? await resolveCode(body.code) : undefined;
  await enforce(`complaint#${session.userId}`, LIMITS.complaintsPerUserPerHour, 3600, now);
  await ensureSafeText(session.userId, body.content);
  const w = target?.kind === 'window' ? target.window : undefined;
  const ent = target?.kind === 'enterprise' ? target.enterprise : undefined;
  const path = w?.path ?? (ent ? ent.path.split('/').slice(0, 2).join('/') : PREFECTURE_ID);
  const county = w?.county ?? ent?.county ?? { id: PREFECTURE_ID, name: '海北州' };

  const trackingNo = `TS${shanghaiDate(now).replaceAll('-', '')}${randomCrockford(6)}`;
  const queryCode = randomCrockford(8);
  const caseId = newCaseId(now);
  const createdAt = now.toISOString();
  const item = {
    trackingNo,
    queryHash: queryHash(trackingNo, queryCode),
    category: body.category,
    content: body.content,
    negativeItemId: body.negativeItemId,
    anonymous: body.anonymous,
    caseId,
    path,
    createdAt,
  };
  const response = { trackingNo, queryCode, caseId };
  const sealedResponse = { trackingNo, caseId, sealedQueryCode: encryptPii(queryCode) };
  const negative = body.negativeItemId ? negativeItem(body.negativeItemId)!.text : undefined;
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          storedRequestPut({ userId: session.userId, requestId: body.requestId, bodyHash, status: 201, response: sealedResponse }, now),
          { Put: { TableName: table(), Item: { pk: `COMPLAINT#${trackingNo}`, sk: 'META', type: 'complaint', ...item }, ConditionExpression: 'attribute_not_exists(pk)' } },
          {
            Put: {
              TableName: table(),
              Item: { pk: `COMPLAINT#${trackingNo}`, sk: 'COMPLAINANT', type: 'complainant', ...G.mine(session.userId, 'C', createdAt), trackingNo, caseId, userId: session.userId, category: body.category, createdAt },
            },
          },
          ...openCaseItems({
            id: caseId,
            source: 'complaint',
            path,
            county,
            department: w?.department,
            window: w ? { id: w.id, name: w.name } : undefined,
            summary: `【${body.category}】${negative ? `（负面清单 ${body.negativeItemId}：${negative}）` : ''}${body.content}`,
            owner: { userId: session.userId, phone: body.phone ? encryptPii(body.phone) : undefined, name: body.name ? encryptPii(body.name) : undefined },
            now,
            extra: { trackingNo, category: body.category },
          }),
          ...dayCounterUpdates(path, shanghaiDate(now), caseOpeningCounters('complaint')),
        ],
      }),
    );
  } catch (e) {
    if (e instanceof TransactionCanceledException && e.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') {
      return submitComplaint(session, input, now); // a concurrent twin won: answer as it did
    }
    throw e;
  }
  return response;
}

/** Progress by tracking number and query code, without any internal identity; a wrong code looks like an unknown number. */
export async function trackComplaint(trackingNo: string, queryCode: string | undefined, sourceIp: string, now: Date): Promise<ComplaintProgress> {
  const notFound = new AppError('NOT_FOUND', '未找到该投诉，请核对受理编号和查询码');
  await enforce(`track-ip#${sourceIp}`, LIMITS.trackingPerAddressPerHour, 3600, now);
  if (!/^TS\d{8}[0-9A-Z]{6}$/.test(trackingNo) || !queryCode || !/^[0-9A-Za-z]{8}$/.test(queryCode)) throw notFound;
  await enforce(`track-no#${trackingNo}`, LIMITS.trackingPerNumberPerHour, 3600, now);
  const r = await db().send(new GetCommand({ TableName: table(), Key: { pk: `COMPLAINT#${trackingNo}`, sk: 'META' } }));
  const c = r.Item;
  const given = Buffer.from(queryHash(trackingNo, queryCode));
  if (!c || !timingSafeEqual(Buffer.from(String(c.queryHash)), given)) throw notFound;
  const kase = (await db().send(new GetCommand({ TableName: table(), Key: K.case(String(c.caseId)) }))).Item as CaseItem | undefined;
  const tl = await db().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :tl)',
      ExpressionAttributeValues: { ':pk': K.case(String(c.caseId)).pk, ':tl': 'TL#' },
    }),
  );
  return {
    trackingNo,
    category: String(c.category),
    content: String(c.content),
    createdAt: String(c.createdAt),
    status: kase?.status,
    statusLabel: kase ? CASE_STATUS_LABELS[kase.status] : undefined,
    outcome: kase?.outcome,
    // What was done and when; notes only where they are meant for the complainant (opening, closing).
    timeline: (tl.Items ?? []).map((t) => ({
      action: String(t.action),
      label: TIMELINE_LABELS[String(t.action)] ?? String(t.action),
      at: String(t.at),
      ...(t.action === 'close' || t.action === 'opened' ? { note: t.note } : {}),
    })),
  };
}

/** GET /v1/me/complaints: what the caller filed, with case progress. */
export async function myComplaints(session: Session): Promise<{ items: MyComplaintItem[] }> {
  const r = await db().send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :c)',
      ExpressionAttributeValues: { ':pk': `MINE#${session.userId}`, ':c': 'C#' },
      ScanIndexForward: false,
      Limit: 50,
    }),
  );
  const mine = r.Items ?? [];
  const cases = await batchGet<CaseItem & { pk: string }>(mine.map((m) => K.case(String(m.caseId))));
  return {
    items: mine.map((m) => {
      const k = cases.get(K.case(String(m.caseId)).pk);
      return { trackingNo: String(m.trackingNo), category: String(m.category), createdAt: String(m.createdAt), caseId: String(m.caseId), caseStatus: k?.status, caseStatusLabel: k ? CASE_STATUS_LABELS[k.status] : undefined, outcome: k?.outcome };
    }),
  };
}
