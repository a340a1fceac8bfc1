import { createHash, createHmac, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { StandinState } from './store';
import type { Reply } from './server';

/**
 * Tencent Cloud SMS (API 3.0, action SendSms, version 2021-01-11), the production provider: the request must be
 * signed with TC3-HMAC-SHA256 and is answered in the real response shape.
 * https://cloud.tencentcloud.com/document/product/382/52077 (SendSms), /213/30654 (signature v3)
 */
export interface SmsConfig {
  secretId: string;
  secretKey: string;
  sdkAppId: string;
}

const sha256hex = (s: string) => createHash('sha256').update(s).digest('hex');
const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s).digest();

function verifyTc3(
  cfg: SmsConfig,
  method: string,
  path: string,
  query: string,
  headers: IncomingHttpHeaders,
  raw: string,
): string | null {
  const auth = String(headers['authorization'] ?? '');
  const m =
    /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (!m) return 'AuthFailure.SignatureFailure';
  const [, secretId, date, service, signedHeaders, signature] = m;
  if (secretId !== cfg.secretId) return 'AuthFailure.SecretIdNotFound';
  const timestamp = String(headers['x-tc-timestamp'] ?? '');
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return 'AuthFailure.SignatureExpire';
  const canonicalHeaders = signedHeaders
    .split(';')
    // The real endpoint has no port; the SDK signs the host name alone, so the stand-in compares it without its port.
    .map(
      (h) =>
        `${h}:${String(headers[h] ?? '')
          .trim()
          .toLowerCase()
          .replace(h === 'host' ? /:\d+$/ : /^$/, '')}\n`,
    )
    .join('');
  const canonical = [method, path, query, canonicalHeaders, signedHeaders, sha256hex(raw)].join('\n');
  const toSign = ['TC3-HMAC-SHA256', timestamp, `${date}/${service}/tc3_request`, sha256hex(canonical)].join('\n');
  const key = hmac(hmac(hmac(`TC3${cfg.secretKey}`, date), service), 'tc3_request');
  return createHmac('sha256', key).update(toSign).digest('hex') === signature ? null : 'AuthFailure.SignatureFailure';
}

export class SmsStandin {
  constructor(
    private readonly cfg: SmsConfig,
    private readonly state: StandinState,
  ) {}

  async handle(method: string, url: URL, headers: IncomingHttpHeaders, raw: string): Promise<Reply | undefined> {
    const action = String(headers['x-tc-action'] ?? '');
    if (
      method !== 'POST' ||
      url.pathname !== '/' ||
      !['SendSms', 'PullSmsSendStatus', 'PullSmsReplyStatus'].includes(action)
    )
      return undefined;
    const RequestId = randomUUID();
    const fail = (Code: string, Message: string): Reply => ({
      json: { Response: { Error: { Code, Message }, RequestId } },
    });
    const authError = verifyTc3(this.cfg, method, url.pathname, url.search.replace(/^\?/, ''), headers, raw);
    if (authError) return fail(authError, 'The provided credentials could not be validated.');
    let body: any;
    try {
      body = JSON.parse(raw);
    } catch {
      return fail('InvalidParameter', 'body is not JSON');
    }
    if (body.SmsSdkAppId !== this.cfg.sdkAppId)
      return fail('FailedOperation.InsufficientBalanceInSmsPackage', 'SmsSdkAppId not found');
    if (action === 'PullSmsSendStatus' || action === 'PullSmsReplyStatus') {
      // Each receipt / reply is returned once, oldest first, at most Limit (≤ 100) per call.
      const limit = Number(body.Limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100)
        return fail('InvalidParameterValue', 'Limit must be 1–100');
      const queue = action === 'PullSmsSendStatus' ? this.state.smsReceipts : this.state.smsReplies;
      const set = queue.splice(0, limit);
      return {
        json: {
          Response: {
            [action === 'PullSmsSendStatus' ? 'PullSmsSendStatusSet' : 'PullSmsReplyStatusSet']: set,
            RequestId,
          },
        },
      };
    }
    // The provider's frequency limit (请求频率限制): a common error, the whole request refused.
    const rate = this.state.smsRate;
    if (rate.perSecond > 0) {
      const second = Math.floor(Date.now() / 1000);
      if (rate.second !== second) Object.assign(rate, { second, count: 0 });
      if (++rate.count > rate.perSecond) {
        rate.refused++;
        return fail('RequestLimitExceeded', 'request limit exceeded');
      }
    }
    const phones: string[] = Array.isArray(body.PhoneNumberSet) ? body.PhoneNumberSet : [];
    if (phones.length === 0 || !body.TemplateId)
      return fail('MissingParameter', 'PhoneNumberSet or TemplateId missing');
    if (this.state.takeFault('sms')) return fail('InternalError.Timeout', 'request timeout');
    const SendStatusSet = phones.map((PhoneNumber) => {
      if (!/^\+861[3-9]\d{9}$/.test(PhoneNumber)) {
        return {
          SerialNo: '',
          PhoneNumber,
          Fee: 0,
          SessionContext: body.SessionContext ?? '',
          Code: 'InvalidParameterValue.IncorrectPhoneNumber',
          Message: 'incorrect phone number',
          IsoCode: 'CN',
        };
      }
      this.state.record('sms', {
        recipient: PhoneNumber,
        template: String(body.TemplateId),
        data: body.TemplateParamSet ?? [],
        sessionContext: body.SessionContext ?? '',
      });
      const SerialNo = randomUUID();
      const subscriber = PhoneNumber.replace(/^\+86/, '');
      const failed = this.state.undeliverable.has(subscriber);
      this.state.smsReceipts.push({
        UserReceiveTime: Math.floor(Date.now() / 1000),
        CountryCode: '86',
        SubscriberNumber: subscriber,
        PhoneNumber,
        SerialNo,
        ReportStatus: failed ? 'FAIL' : 'SUCCESS',
        Description: failed ? '用户手机号停机' : '用户短信送达成功',
        SessionContext: body.SessionContext ?? '',
      });
      return {
        SerialNo,
        PhoneNumber,
        Fee: 1,
        SessionContext: body.SessionContext ?? '',
        Code: 'Ok',
        Message: 'send success',
        IsoCode: 'CN',
      };
    });
    return { json: { Response: { SendStatusSet, RequestId } } };
  }
}
