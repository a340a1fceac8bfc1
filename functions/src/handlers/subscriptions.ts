import { z } from 'zod';
import { failedAlertsFor, setSubscription } from '../domain/subscriptions';
import { http } from '../lib/http';
import { parseWith } from '../lib/validate';

/*
 * The alert routes that send nothing: apart from handlers/alerts.ts so their bundles carry no WeChat/SMS sending
 * code and no Tencent Cloud SMS SDK.
 */

/** POST /v1/me/subscriptions {accepted} — the result of wx.requestSubscribeMessage on the officials' pages. */
export const subscribe = http(async (req) => ({
  body: await setSubscription(
    await req.session(),
    parseWith(z.strictObject({ accepted: z.boolean({ error: '请说明是否同意接收提醒' }) }), req.body).accepted,
  ),
}));

/** GET /v1/alerts/failed (inspectors, scoped): alerts that could not be delivered. */
export const failed = http(async (req) => ({ body: await failedAlertsFor(await req.session(), req.query) }));
