import type * as Tencentcloud from 'tencentcloud-sdk-nodejs-sms';
import { config } from '../config';
import { redactPhones } from '../lib/logger';
import type { SendResult } from './wechat';

/**
 * SMS through Tencent Cloud SMS (API 3.0 SendSms, 2021-01-11) with its official SDK, which signs requests with
 * TC3-HMAC-SHA256. Locally SMS_API_BASE points the SDK at the stand-in, which verifies that signature.
 * https://cloud.tencentcloud.com/document/product/382/52077
 */
type SmsClient = InstanceType<typeof Tencentcloud.sms.v20210111.Client>;
let client: SmsClient | undefined;

/**
 * The SDK is loaded on the first SMS, not when the bundle loads: it is half of the bundles that carry it, and the
 * stream functions mostly send WeChat messages (cold init of alerts.ts and invitation-sending.ts, issue 9).
 */
async function smsClient(): Promise<SmsClient> {
  if (!client) {
    const tencentcloud = await import('tencentcloud-sdk-nodejs-sms');
    const base = new URL(config().SMS_API_BASE);
    client = new tencentcloud.sms.v20210111.Client({
      credential: { secretId: config().SMS_SECRET_ID, secretKey: config().SMS_SECRET_KEY },
      region: 'ap-guangzhou',
      profile: { httpProfile: { endpoint: base.host, protocol: `${base.protocol}//`, reqTimeout: 5 } },
    });
  }
  return client;
}

const SMS_SIGN_NAME = '海北码上监督';

/** Send one templated SMS to a mainland number; `sessionContext` carries the alert's idempotency key. */
export async function sendSms(
  phone: string,
  templateId: string,
  params: string[],
  sessionContext: string,
): Promise<SendResult & { serialNo?: string; rateLimited?: boolean }> {
  try {
    const r = await (
      await smsClient()
    ).SendSms({
      PhoneNumberSet: [`+86${phone}`],
      SmsSdkAppId: config().SMS_SDK_APP_ID,
      SignName: SMS_SIGN_NAME,
      TemplateId: templateId,
      TemplateParamSet: params,
      SessionContext: sessionContext,
    });
    const status = r.SendStatusSet?.[0];
    if (status?.Code === 'Ok') return { ok: true, serialNo: status.SerialNo };
    const permanent = !!status?.Code?.startsWith('InvalidParameterValue');
    return { ok: false, permanent, error: redactPhones(`${status?.Code} ${status?.Message}`) };
  } catch (e) {
    const err = e as { code?: string; message?: string };
    // RequestLimitExceeded / LimitExceeded.*: the provider's rate limit; transient, try again later.
    const rateLimited = /LimitExceeded/.test(err.code ?? '');
    return {
      ok: false,
      permanent: false,
      rateLimited,
      error: redactPhones(`${err.code ?? ''} ${err.message ?? String(e)}`.trim()),
    };
  }
}

/** A delivery receipt (状态报告) as PullSmsSendStatus returns it. */
export interface SmsReceipt {
  serialNo: string;
  phone: string;
  delivered: boolean;
  description: string;
  receivedAt: string;
  sessionContext: string;
}

/** A citizen's reply (上行短信) as PullSmsReplyStatus returns it. */
export interface SmsReply {
  phone: string;
  text: string;
  at: string;
}

/**
 * Pull delivery receipts (each is returned once by the provider), up to 100 per call.
 * https://cloud.tencentcloud.com/document/product/382/52075 (PullSmsSendStatus)
 */
export async function pullSmsReceipts(limit = 100): Promise<SmsReceipt[]> {
  const r = await (await smsClient()).PullSmsSendStatus({ Limit: limit, SmsSdkAppId: config().SMS_SDK_APP_ID });
  return (r.PullSmsSendStatusSet ?? []).map((s) => ({
    serialNo: s.SerialNo ?? '',
    phone: s.SubscriberNumber ?? (s.PhoneNumber ?? '').replace(/^\+86/, ''),
    delivered: s.ReportStatus === 'SUCCESS',
    description: s.Description ?? '',
    receivedAt: new Date((s.UserReceiveTime ?? Math.floor(Date.now() / 1000)) * 1000).toISOString(),
    sessionContext: s.SessionContext ?? '',
  }));
}

/**
 * Pull citizens' replies (上行, e.g. 退订), up to 100 per call.
 * https://cloud.tencentcloud.com/document/product/382/52076 (PullSmsReplyStatus)
 */
export async function pullSmsReplies(limit = 100): Promise<SmsReply[]> {
  const r = await (await smsClient()).PullSmsReplyStatus({ Limit: limit, SmsSdkAppId: config().SMS_SDK_APP_ID });
  return (r.PullSmsReplyStatusSet ?? []).map((s) => ({
    phone: s.SubscriberNumber ?? (s.PhoneNumber ?? '').replace(/^\+86/, ''),
    text: s.ReplyContent ?? '',
    at: new Date((s.ReplyTime ?? Math.floor(Date.now() / 1000)) * 1000).toISOString(),
  }));
}
