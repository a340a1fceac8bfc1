import { shanghaiMinute } from '@mashang/shared';
import { alertKeyOf, type AlertItem, type NewAlert } from '../data/alerts';
import { getCase, type CaseEvent } from '../data/cases';
import { getOwner, type CaseOwner } from '../data/owners';
import { sendSms } from '../gateways/sms';
import { sendSubscribeMessage, type SendResult } from '../gateways/wechat';
import { decryptPii, maskPhone } from '../lib/crypto';
import { logger } from '../lib/logger';
import { deliverAlert } from './alerts';

/**
 * 处理结果通知 (SPEC §2.3): the person who rated or complained hears when their case closes, and when it is
 * reopened after their 追评. WeChat subscribe message if they accepted it when submitting (or rating the fix), SMS
 * to the phone they left otherwise (and when WeChat refuses); through the officials' alert delivery, so a failed
 * notice is retried, ends visibly `failed`, and is listed on the case.
 */

/** The templates registered for the filer's notice; the mini-program asks for the same WeChat template id. */
export const OWNER_TEMPLATES = {
  wechat: process.env.WECHAT_TEMPLATE_RESULT ?? 'Kf3x-case-result-template-06',
  sms: process.env.SMS_TEMPLATE_RESULT ?? '2046006',
};

/** The citizen's own case page (main package), opened from the subscribe message. */
const OWNER_CASE_PAGE = 'pages/case/index';

const NOTIFIED_KINDS = new Set<CaseEvent['kind']>(['closed', 'reopened']);

/** The one id every notice of this case and event has: a redelivered stream record creates nothing new. */
const OWNER_RECIPIENT = 'owner';

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function channelsOf(owner: CaseOwner): ('wechat' | 'sms')[] {
  const subscribed =
    !!owner.noticeAcceptedAt && (!owner.noticeDeclinedAt || owner.noticeDeclinedAt < owner.noticeAcceptedAt);
  return [...(subscribed ? (['wechat'] as const) : []), ...(owner.phone ? (['sms'] as const) : [])];
}

function readPhone(owner: CaseOwner): string | undefined {
  if (!owner.phone) return undefined;
  try {
    return decryptPii(owner.phone);
  } catch {
    return undefined;
  }
}

interface NoticeFacts {
  caseId: string;
  kind: CaseEvent['kind'];
  at: string;
  source: CaseEvent['source'];
  windowName?: string;
  outcome?: string;
}

async function send(channel: 'wechat' | 'sms', openid: string, owner: CaseOwner, f: NoticeFacts, alertKey: string) {
  const result = f.kind === 'closed' ? (f.outcome ?? '已办结') : '重新办理';
  if (channel === 'wechat') {
    // Field limits: character_string ≤ 32, thing ≤ 20 characters, time.
    return sendSubscribeMessage({
      touser: openid,
      templateId: OWNER_TEMPLATES.wechat,
      page: `${OWNER_CASE_PAGE}?id=${encodeURIComponent(f.caseId)}`,
      data: {
        character_string1: f.caseId,
        thing2: clip(f.windowName ?? (f.source === 'complaint' ? '投诉举报' : '服务评价'), 20),
        thing3: clip(f.kind === 'closed' ? `已办结：${result}` : '已重新办理', 20),
        time4: shanghaiMinute(f.at),
        thing5: f.kind === 'closed' ? '请查看处理结果并评价' : '请留意办理进展',
      },
    });
  }
  const phone = readPhone(owner);
  if (!phone) return { ok: false, permanent: true, error: 'no phone on record' } as SendResult;
  // Template 2046006: 您反映的问题{1}（督办件{2}），处理结果：{3}。可在“码上监督”小程序“我的”中查看并评价。
  return sendSms(
    phone,
    OWNER_TEMPLATES.sms,
    [f.kind === 'closed' ? '已办结' : '已重新办理', f.caseId, result],
    alertKey,
  );
}

async function deliverOwnerNotice(
  alert: Pick<AlertItem, 'caseId' | 'alertKey'>,
  owner: CaseOwner,
  f: NoticeFacts,
  now: () => Date,
  open?: Omit<NewAlert, 'caseId' | 'subject' | 'alertKey'>,
) {
  return deliverAlert(
    'case',
    alert.caseId,
    alert.alertKey,
    (channel, user) => send(channel, user.openid, owner, f, alert.alertKey),
    now,
    { channels: channelsOf(owner), open },
  );
}

/** A case event from the stream: if it is one the filer hears of and they can be reached, one notice, delivered. */
export async function notifyOwner(
  e: CaseEvent,
  now: () => Date = () => new Date(),
): Promise<AlertItem['status'] | 'skipped' | 'unreachable'> {
  if (!NOTIFIED_KINDS.has(e.kind) || e.source === 'visit' || e.source === 'inspection') return 'skipped';
  const owner = await getOwner(e.caseId);
  if (!owner) return 'skipped';
  if (channelsOf(owner).length === 0) {
    logger.info('filer cannot be notified (no subscription, no phone)', { caseId: e.caseId, kind: e.kind });
    return 'unreachable';
  }
  const c = e.kind === 'closed' ? await getCase(e.caseId) : undefined;
  const alertKey = alertKeyOf(e.at, e.kind, OWNER_RECIPIENT);
  const phone = readPhone(owner);
  const who = owner.source === 'complaint' ? '投诉人' : '评价人';
  // Created and claimed in one write; a redelivered record finds it and delivers it only if it is still due.
  return deliverOwnerNotice(
    { caseId: e.caseId, alertKey },
    owner,
    { caseId: e.caseId, kind: e.kind, at: e.at, source: e.source, windowName: e.windowName, outcome: c?.outcome },
    now,
    {
      eventKind: e.kind,
      eventAt: e.at,
      path: e.path,
      recipientId: owner.userId,
      recipientRole: 'owner',
      recipientMasked: phone ? `${who} ${maskPhone(phone)}` : who,
    },
  );
}

/** The retry job's turn for a filer's notice: the message is rebuilt from the case and the owner item. */
export async function retryOwnerNotice(a: AlertItem, now: () => Date = () => new Date()) {
  const [owner, c] = await Promise.all([getOwner(a.caseId), getCase(a.caseId)]);
  if (!owner || !c) return 'skipped';
  return deliverOwnerNotice(
    a,
    owner,
    {
      caseId: a.caseId,
      kind: a.eventKind as CaseEvent['kind'],
      at: a.eventAt,
      source: c.source,
      windowName: c.window?.name,
      outcome: a.eventKind === 'closed' ? c.outcome : undefined,
    },
    now,
  );
}
