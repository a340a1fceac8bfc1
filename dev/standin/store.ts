/** What the stand-ins were asked to deliver, newest first, and the faults to inject. */
export interface Delivered {
  id: number;
  recipient: string;
  template: string;
  data: unknown;
  time: string;
  page?: string;
}

export class StandinState {
  private seq = 0;
  readonly wechat: Delivered[] = [];
  readonly sms: Delivered[] = [];
  readonly faults = { wechat: 0, sms: 0 };
  /** Users who refused subscribe messages (errcode 43101), by openid. */
  readonly refused = new Set<string>();

  record(service: 'wechat' | 'sms', d: Omit<Delivered, 'id' | 'time'>): Delivered {
    const entry = { id: ++this.seq, time: new Date().toISOString(), ...d };
    this[service].unshift(entry);
    return entry;
  }

  /** True when this delivery must fail (and consumes one injected fault). */
  takeFault(service: 'wechat' | 'sms'): boolean {
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
    this.refused.clear();
  }
}
