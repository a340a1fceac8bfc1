import { dayjs, shanghaiMinute, TZ, WECHAT_TEMPLATE_IDS } from '@mashang/shared';
import { alertKeyOf, type AlertItem } from '../data/alerts';
import { allContacts, getContact, type ContactItem } from '../data/contacts';
import { getEnterprise, type EnterpriseItem } from '../data/registry';
import { officialsAt, type UserItem } from '../data/users';
import {
  getVisit,
  getWarning,
  type VisitEvent,
  type VisitItem,
  type WarningEvent,
  type WarningItem,
} from '../data/visits';
import { sendSms } from '../gateways/sms';
import { sendSubscribeMessage, type SendResult } from '../gateways/wechat';
import { decryptPii, maskPhone } from '../lib/crypto';
import { deliverAlert } from './alerts';

/** Templates registered with WeChat (subscribe message) and Tencent Cloud SMS for visits. */
export const VISIT_TEMPLATES = {
  wechatVisit: process.env.WECHAT_TEMPLATE_VISIT ?? WECHAT_TEMPLATE_IDS.visitRate,
  smsVisit: process.env.SMS_TEMPLATE_VISIT ?? '2046004',
  wechatWarning: process.env.WECHAT_TEMPLATE_VISIT_WARNING ?? WECHAT_TEMPLATE_IDS.visitWarning,
  smsWarning: process.env.SMS_TEMPLATE_VISIT_WARNING ?? '2046005',
};

/** The rating page in the mini-program (subpackage `visits`), opened from the notice. */
export const VISIT_RATE_PAGE = 'visits/pages/rate/index';
/** The same page as an ordinary https link (扫普通链接/短信链接 open the mini-program or the H5 build). */
export const VISIT_LINK_PREFIX = 'https://mashang.haibei.gov.cn/v/';
export const WARNINGS_PAGE = 'officials/pages/visits/index';

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const when = (iso: string) => shanghaiMinute(iso);

/** The phone an SMS fallback of a visit notice goes to: the contact's own, else the registry's contact phone. */
function contactPhone(contact: ContactItem | undefined, enterprise: EnterpriseItem | undefined): string | undefined {
  const sealed = contact?.phone ?? enterprise?.contactPhone;
  return sealed ? decryptPii(sealed) : undefined;
}

function sendVisitNotice(v: VisitItem, phone: string | undefined, alertKey: string) {
  return async (channel: 'wechat' | 'sms', user: UserItem): Promise<SendResult> => {
    if (channel === 'wechat') {
      // Field limits: thing ≤ 20 characters, time as YYYY-MM-DD HH:mm, phrase ≤ 5.
      return sendSubscribeMessage({
        touser: user.openid,
        templateId: VISIT_TEMPLATES.wechatVisit,
        page: `${VISIT_RATE_PAGE}?id=${encodeURIComponent(v.id)}`,
        data: {
          thing1: clip(v.department.name, 20),
          thing2: clip(`${v.official.name}（${v.purpose}）`, 20),
          time3: when(v.visitedAt),
          time4: when(v.rateBy),
          phrase5: '待评价',
        },
      });
    }
    if (!phone) return { ok: false, permanent: true, error: 'no phone for this contact' };
    return sendSms(
      phone,
      VISIT_TEMPLATES.smsVisit,
      [
        clip(v.department.name, 20),
        v.official.name,
        dayjs(v.visitedAt).tz(TZ).format('M月D日'),
        `${VISIT_LINK_PREFIX}${v.id}`,
      ],
      alertKey,
    );
  };
}

/**
 * A registered visit → one notice per bound contact (idempotent per contact), WeChat first, SMS fallback, retried
 * by the alert retry job. A visit withdrawn before the notice leaves is not announced.
 */
export async function notifyVisitRegistered(e: VisitEvent, now: () => Date = () => new Date()): Promise<void> {
  const v = await getVisit(e.visitId);
  if (!v || v.status !== 'active') return;
  const [contacts, enterprise] = await Promise.all([allContacts(v.enterprise.id), getEnterprise(v.enterprise.id)]);
  await Promise.all(
    contacts.map(async (c) => {
      const alertKey = alertKeyOf(e.at, 'visit', c.userId);
      const phone = contactPhone(c, enterprise);
      await deliverAlert('visit', v.id, alertKey, sendVisitNotice(v, phone, alertKey), now, {
        canSms: () => !!phone,
        open: {
          eventKind: 'visit',
          eventAt: e.at,
          path: v.enterprisePath,
          recipientId: c.userId,
          recipientRole: 'enterprise',
          recipientMasked: [c.name, phone ? maskPhone(phone) : undefined].filter(Boolean).join(' ') || '企业联系人',
        },
      });
    }),
  );
}

function sendWarning(w: WarningItem, alertKey: string) {
  return async (channel: 'wechat' | 'sms', user: UserItem): Promise<SendResult> => {
    const what =
      w.rule === 'department'
        ? `${w.department?.name ?? ''}${w.days}天内走访${w.count}次`
        : `${w.days}天内共走访${w.count}次`;
    if (channel === 'wechat') {
      return sendSubscribeMessage({
        touser: user.openid,
        templateId: VISIT_TEMPLATES.wechatWarning,
        page: `${WARNINGS_PAGE}?tab=warnings`,
        data: {
          thing1: clip(w.enterprise.name, 20),
          thing2: clip(what, 20),
          time3: when(w.createdAt),
          phrase4: '频次预警',
        },
      });
    }
    if (!user.phone) return { ok: false, permanent: true, error: 'no phone on record' };
    return sendSms(
      decryptPii(user.phone),
      VISIT_TEMPLATES.smsWarning,
      [clip(w.enterprise.name, 20), clip(what, 20)],
      alertKey,
    );
  };
}

/** A frequency warning → the inspectors of the prefecture and of the enterprise's county, once each. */
export async function notifyWarning(e: WarningEvent, now: () => Date = () => new Date()): Promise<void> {
  const w = await getWarning(e.warningId);
  if (!w) return;
  const [prefecture, region] = w.enterprisePath.split('/');
  const found = await officialsAt([
    { scope: prefecture, role: 'inspector' },
    { scope: `${prefecture}/${region}`, role: 'inspector' },
  ]);
  const seen = new Set<string>();
  const inspectors = found.flat().filter((u) => !seen.has(u.userId) && seen.add(u.userId));
  await Promise.all(
    inspectors.map(async (u) => {
      const alertKey = alertKeyOf(e.at, 'warning', u.userId);
      await deliverAlert('warning', w.id, alertKey, sendWarning(w, alertKey), now, {
        open: {
          eventKind: 'warning',
          eventAt: e.at,
          path: w.enterprisePath,
          recipientId: u.userId,
          recipientRole: 'inspector',
          recipientMasked: u.phone
            ? `${u.name ?? ''} ${maskPhone(decryptPii(u.phone))}`.trim()
            : (u.name ?? '纪检监察'),
        },
        recipient: u,
      });
    }),
  );
}

/** The stream's visit events (outbox items of type `visit-event`). */
export async function dispatchVisitEvent(
  item: VisitEvent | WarningEvent,
  now: () => Date = () => new Date(),
): Promise<void> {
  if (item.kind === 'registered') return notifyVisitRegistered(item as VisitEvent, now);
  if (item.kind === 'warning') return notifyWarning(item as WarningEvent, now);
}

/** The retry job's turn for a visit notice or a warning alert. */
export async function retryVisitAlert(a: AlertItem, now: () => Date): Promise<void> {
  if (a.subject === 'visit') {
    const v = await getVisit(a.caseId);
    if (!v) return;
    const [contact, enterprise] = await Promise.all([
      getContact(v.enterprise.id, a.recipientId),
      getEnterprise(v.enterprise.id),
    ]);
    const phone = contactPhone(contact, enterprise);
    await deliverAlert('visit', v.id, a.alertKey, sendVisitNotice(v, phone, a.alertKey), now, {
      canSms: () => !!phone,
    });
  } else if (a.subject === 'warning') {
    const w = await getWarning(a.caseId);
    if (w) await deliverAlert('warning', w.id, a.alertKey, sendWarning(w, a.alertKey), now);
  }
}
