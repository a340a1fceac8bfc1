import type { MediaCheck } from './wechat';

/** What the stand-ins were asked to deliver, newest first, and the faults to inject. */
export interface Delivered {
  id: number;
  recipient: string;
  template: string;
  data: unknown;
  time: string;
  page?: string;
  /** SMS: the SessionContext the sender passed (an alert key or an invitation id). */
  sessionContext?: string;
}

export class StandinState {
  private seq = 0;
  readonly wechat: Delivered[] = [];
  readonly sms: Delivered[] = [];
  /** Injected failures: WeChat subscribe messages, SMS sends, URL links, and msg_sec_check (the content check's outage). */
  readonly faults = { wechat: 0, sms: 0, urllink: 0, msgsec: 0, mediacheck: 0 };
  /** media_check_async requests, newest first, with the event pushed for each. */
  readonly mediaChecks: MediaCheck[] = [];
  /** WeChat's message push URL (消息推送 服务器地址): where media check verdicts are pushed; unset = recorded only. */
  pushUrl: string | undefined;
  /** URL Links handed out by /wxa/generate_urllink, by their slug (https://wxaurl.cn/<slug>). */
  readonly urlLinks = new Map<string, { path: string; query: string; expireTime: number; created: string }>();
  /** Delivery receipts and replies waiting to be pulled (PullSmsSendStatus / PullSmsReplyStatus); each once. */
  readonly smsReceipts: Record<string, unknown>[] = [];
  readonly smsReplies: Record<string, unknown>[] = [];
  /** Numbers whose SMS the operator reports as not delivered (receipt FAIL). */
  readonly undeliverable = new Set<string>();
  /** The provider's send-rate limit per second (0 = none), and what it refused. */
  smsRate = { perSecond: 0, second: 0, count: 0, refused: 0 };
  /** Codes of the website QR login handed out by /connect/confirm, each exchanged once at /sns/oauth2/access_token. */
  readonly webCodes = new Map<string, { person: string; appid: string; expires: number; used: boolean }>();
  /** Users who refused subscribe messages (errcode 43101), by openid. */
  readonly refused = new Set<string>();

  record(service: 'wechat' | 'sms', d: Omit<Delivered, 'id' | 'time'>): Delivered {
    const entry = { id: ++this.seq, time: new Date().toISOString(), ...d };
    this[service].unshift(entry);
    return entry;
  }

  /** True when this delivery must fail (and consumes one injected fault). */
  takeFault(service: 'wechat' | 'sms' | 'urllink' | 'msgsec' | 'mediacheck'): boolean {
    if (this.faults[service] > 0) {
      this.faults[service]--;
      return true;
    }
    return false;
  }

  reset(): void {
    this.wechat.length = 0;
    this.sms.length = 0;
    this.faults.wechat = 0;
    this.faults.sms = 0;
    this.faults.urllink = 0;
    this.urlLinks.clear();
    this.webCodes.clear();
    this.smsReceipts.length = 0;
    this.smsReplies.length = 0;
    this.undeliverable.clear();
    this.smsRate = { perSecond: this.smsRate.perSecond, second: 0, count: 0, refused: 0 };
    this.faults.msgsec = 0;
    this.faults.mediacheck = 0;
    this.mediaChecks.length = 0;
    this.refused.clear();
  }
}
