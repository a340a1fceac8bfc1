import '../domain/grants';
import * as z from 'zod/mini';
import { consentToOwnerNotice, failedAlertsFor, setSubscription } from '../domain/subscriptions';
import { httpWrite } from '../domain/idempotency';
import { http } from '../lib/http';
import { parseWith } from '../lib/validate';

/*
 * The alert routes that send nothing: apart from handlers/alerts.ts so their bundles carry no WeChat/SMS sending
 * code and no Tencent Cloud SMS SDK.
 */

const SubscriptionRequest = z.strictObject({
  accepted: z.boolean({ error: '请说明是否同意接收提醒' }),
  /** A filer's answer for the case their submission opened (处理结果通知); absent for officials' alerts. */
  caseId: z.optional(z.string().check(z.regex(/^[0-9A-Za-z-]{1,40}$/, '督办件编号格式不正确'))),
});

/**
 * POST /v1/me/subscriptions {accepted, caseId?} — the result of wx.requestSubscribeMessage: on the officials' pages
 * (case alerts), or on a citizen's submit tap for the case it opened (处理结果通知, `caseId`).
 */
export const subscribe = httpWrite(200, async (req) => {
  const body = parseWith(SubscriptionRequest, req.body);
  const session = await req.session();
  return body.caseId
    ? await consentToOwnerNotice(session, body.caseId, body.accepted)
    : await setSubscription(session, body.accepted);
});

/** GET /v1/alerts/failed (inspectors, scoped): alerts that could not be delivered. */
export const failed = http(async (req) => ({ body: await failedAlertsFor(await req.session(), req.query) }));
