/** The stand-in's /__dev routes, over HTTP like any client. */
const base = () => process.env.WECHAT_API_BASE!;

export interface Delivered {
  recipient: string;
  template: string;
  data: any;
  time: string;
  page?: string;
}

export async function wechatMessages(caseId?: string): Promise<Delivered[]> {
  const all = (await (await fetch(`${base()}/__dev/wechat/messages`)).json()) as Delivered[];
  return caseId ? all.filter((m) => m.data?.character_string1?.value === caseId) : all;
}

export async function smsMessages(caseId?: string): Promise<Delivered[]> {
  const all = (await (await fetch(`${base()}/__dev/sms/messages`)).json()) as Delivered[];
  return caseId ? all.filter((m) => Array.isArray(m.data) && m.data[1] === caseId) : all;
}

export async function failNext(service: 'wechat' | 'sms' | 'msgsec', n: number): Promise<void> {
  const r = await fetch(`${base()}/__dev/faults`, { method: 'POST', body: JSON.stringify({ service, failNext: n }) });
  if (!r.ok) throw new Error(await r.text());
}
