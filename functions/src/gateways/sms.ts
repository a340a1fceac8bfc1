import * as tencentcloud from 'tencentcloud-sdk-nodejs-sms';
import { config } from '../config';
import { redactPhones } from '../lib/logger';
import type { SendResult } from './wechat';

/**
 * SMS through Tencent Cloud SMS (API 3.0 SendSms, 2021-01-11) with its official SDK, which signs requests with
 * TC3-HMAC-SHA256. Locally SMS_API_BASE points the SDK at the stand-in, which verifies that signature.
 * https://cloud.tencentcloud.com/document/product/382/52077
 */
type SmsClient = InstanceType<typeof tencentcloud.sms.v20210111.Client>;
let client: SmsClient | undefined;

function smsClient(): SmsClient {
  if (!client) {
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
): Promise<SendResult> {
  try {
    const r = await smsClient().SendSms({
      PhoneNumberSet: [`+86${phone}`],
      SmsSdkAppId: config().SMS_SDK_APP_ID,
      SignName: SMS_SIGN_NAME,
      TemplateId: templateId,
      TemplateParamSet: params,
      SessionContext: sessionContext,
    });
    const status = r.SendStatusSet?.[0];
    if (status?.Code === 'Ok') return { ok: true };
    const permanent = !!status?.Code?.startsWith('InvalidParameterValue');
    return { ok: false, permanent, error: redactPhones(`${status?.Code} ${status?.Message}`) };
  } catch (e) {
    const err = e as { code?: string; message?: string };
    return { ok: false, permanent: false, error: redactPhones(`${err.code ?? ''} ${err.message ?? String(e)}`.trim()) };
  }
}
