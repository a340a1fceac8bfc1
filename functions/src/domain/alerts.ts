import { ancestorScopes, CASE_EVENT_LABELS, shanghaiMinute, WECHAT_TEMPLATE_IDS, type Role } from '@mashang/shared';
import {
  alertKeyOf,
  claimAlert,
  dueRetries,
  openAlert,
  settleAlert,
  type AlertItem,
  type AlertSettlement,
  type AlertSubject,
  type NewAlert,
} from '../data/alerts';
import { getUser, officialsAt, type UserItem } from '../data/users';
import { loadCaseSummary, type CaseEvent } from '../data/cases';
import { sendSms } from '../gateways/sms';
import { sendSubscribeMessage, type SendResult } from '../gateways/wechat';
import { decryptPii, maskPhone } from '../lib/crypto';
import { correlate, count, logger, uncorrelate } from '../lib/logger';
// Static imports although both modules import deliverAlert from here (a cycle used only inside functions, never at
// load): a dynamic import() made esbuild wrap them and everything they import, @mashang/shared's index with all its
// zod schemas among it, in lazily initialised modules it cannot tree-shake; the alerts bundle then built every schema
// of the product at cold start (issue 9).
import { retryOwnerNotice } from './owner-notices';
import { retryVisitAlert } from './visit-notices';

/** Delivery policy: a few quick tries inside the invocation, then the retry job with exponential backoff. */
const ALERT_POLICY = {
  inlineAttempts: 3,
  maxAttempts: 8,
  inlineBackoffMs: Number(process.env.ALERT_BACKOFF_MS ?? 200),
  retryBaseSeconds: 30,
};

/** Templates registered with WeChat (subscribe message) and Tencent Cloud SMS. */
const TEMPLATES = {
  wechatCase: process.env.WECHAT_TEMPLATE_CASE ?? WECHAT_TEMPLATE_IDS.caseAlert,
  smsCase: process.env.SMS_TEMPLATE_CASE ?? '2046001',
};

/** The officials' case page in the mini-program (subpackage `officials`), opened from the subscribe message. */
const CASE_PAGE = 'officials/pages/case/index';

const EVENT_LABEL = CASE_EVENT_LABELS;

/** What alert delivery needs from storage and the outside world (data/ and gateways/ in production; fakes in tests/unit). */
export interface AlertPorts {
  officialsAt(lookups: readonly { scope: string; role: Role }[]): Promise<UserItem[][]>;
  getUser(userId: string): Promise<UserItem | undefined>;
  openAlert(a: NewAlert, now: Date): Promise<AlertItem | undefined>;
  claimAlert(caseId: string, alertKey: string, now: Date, subject?: AlertSubject): Promise<AlertItem | undefined>;
  settleAlert(a: AlertItem, result: AlertSettlement, now: Date): Promise<void>;
  dueRetries(now: Date): Promise<AlertItem[]>;
  loadCaseSummary(caseId: string): Promise<Pick<CaseEvent, 'summary' | 'windowName' | 'source'>>;
  sendSubscribeMessage: typeof sendSubscribeMessage;
  sendSms: typeof sendSms;
  sleep(ms: number): Promise<void>;
}

const alertPorts: AlertPorts = {
  officialsAt,
  getUser,
  openAlert: (a, now) => openAlert(a, now, 60000),
  claimAlert: (caseId, alertKey, now, subject) => claimAlert(caseId, alertKey, now, 60000, subject),
  settleAlert,
  dueRetries: (now) => dueRetries(now),
  loadCaseSummary,
  sendSubscribeMessage,
  sendSms,
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

/**
 * Who hears of a case event (SPEC §2.3, §2.4): the department's handlers and the discipline inspectors of the county
 * (region) and the prefecture. A complaint goes to the inspectors alone until one of them forwards it (转办); from
 * then on its department hears of it too. Only the inspectors hear that a case closed.
 */
async function recipientsOf(
  e: CaseEvent,
  ports: Pick<AlertPorts, 'officialsAt'> = alertPorts,
): Promise<{ user: UserItem; role: Role }[]> {
  const [prefecture, region, department] = ancestorScopes(e.path);
  const lookups: { scope: string; role: Role }[] = [
    { scope: prefecture, role: 'inspector' },
    ...(region ? [{ scope: region, role: 'inspector' as const }] : []),
    ...(department && e.kind !== 'closed' && (e.source !== 'complaint' || e.forwarded)
      ? [{ scope: department, role: 'handler' as const }]
      : []),
  ];
  const found = await ports.officialsAt(lookups);
  const seen = new Set<string>();
  return found
    .flatMap((users, i) => users.map((user) => ({ user, role: lookups[i].role })))
    .filter((r) => !seen.has(r.user.userId) && seen.add(r.user.userId));
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

async function sendVia(
  ports: AlertPorts,
  channel: 'wechat' | 'sms',
  user: UserItem,
  e: CaseEvent,
  alertKey: string,
): Promise<SendResult> {
  const when = shanghaiMinute(e.at);
  if (channel === 'wechat') {
    // Field limits: thing ≤ 20 characters, phrase ≤ 5, character_string ≤ 32.
    return ports.sendSubscribeMessage({
      touser: user.openid,
      templateId: TEMPLATES.wechatCase,
      page: `${CASE_PAGE}?id=${encodeURIComponent(e.caseId)}`,
      data: {
        character_string1: e.caseId,
        thing2: clip(e.windowName ?? (e.source === 'complaint' ? '投诉举报' : '督办件'), 20),
        thing3: clip(e.summary || '详见督办件', 20),
        time4: when,
        phrase5: EVENT_LABEL[e.kind],
      },
    });
  }
  if (!user.phone) return { ok: false, permanent: true, error: 'no phone on record' };
  let phone: string;
  try {
    phone = decryptPii(user.phone);
  } catch (err) {
    // This recipient's record is broken (e.g. sealed with a key no longer in the ring): their alert fails visibly.
    return { ok: false, permanent: true, error: `phone on record cannot be read: ${(err as Error).message}` };
  }
  return ports.sendSms(phone, TEMPLATES.smsCase, [EVENT_LABEL[e.kind], e.caseId, clip(e.summary, 20)], alertKey);
}

interface DeliveryOptions {
  /** Whether the recipient can be reached by SMS at all (default: yes). */
  canSms?: (user: UserItem) => boolean;
  /** The caller decides (a filer's notice: WeChat if they subscribed on that case, SMS if they left a phone). */
  channels?: ('wechat' | 'sms')[];
  /** A new alert: what the event says about it; it is created and claimed in one write (openAlert). */
  open?: Omit<NewAlert, 'caseId' | 'subject' | 'alertKey'>;
  /** The recipient's record, when the caller has just read it; otherwise it is read after the claim. */
  recipient?: UserItem;
}

/**
 * Deliver one alert of any subject: WeChat subscribe message to recipients who subscribed, SMS to the others and
 * whenever WeChat fails. Failed runs back off; after maxAttempts the alert ends as `failed`, visible where its
 * subject is shown and listed for the inspectors. Claiming the alert first makes a second delivery impossible.
 * `send` builds the subject's message for one channel (case alerts here, visit notices and frequency warnings in
 * domain/visit-notices).
 *
 * A new alert (`opts.open`) is created and claimed in one write; without it an existing alert is claimed (the
 * retry job). With `opts.recipient` (the officials found for a case event) the recipient is not read again. A case
 * event thus reaches its first send after three requests in a row: the grant queries (one per scope, at once), one
 * BatchGet of the officials, the alert's create-and-claim (tests/integration/alert-requests.test.ts pins it).
 */
export async function deliverAlert(
  subject: AlertSubject,
  id: string,
  alertKey: string,
  send: (channel: 'wechat' | 'sms', user: UserItem) => Promise<SendResult>,
  now: () => Date = () => new Date(),
  opts: DeliveryOptions = {},
  ports: AlertPorts = alertPorts,
): Promise<AlertItem['status'] | 'skipped'> {
  const alert = opts.open
    ? await ports.openAlert({ caseId: id, ...(subject === 'case' ? {} : { subject }), alertKey, ...opts.open }, now())
    : await ports.claimAlert(id, alertKey, now(), subject);
  if (!alert) return 'skipped';
  const user = opts.recipient ?? (await ports.getUser(alert.recipientId));
  const canSms = user ? (opts.canSms ?? (() => true))(user) : false;
  let plan: ('wechat' | 'sms')[] = opts.channels ? [...opts.channels] : user?.subscribed ? ['wechat', 'sms'] : ['sms'];
  if (!opts.channels && !canSms && user?.subscribed) plan = ['wechat'];
  let attempts = alert.attempts;
  let lastError = alert.lastError;
  for (let i = 0; i < ALERT_POLICY.inlineAttempts && plan.length > 0 && user; i++) {
    attempts++;
    for (const channel of plan) {
      const r = await send(channel, user);
      if (r.ok) {
        await ports.settleAlert(alert, { status: 'sent', channel, attempts, lastError }, now());
        logger.info('alert sent', { subject, id, alertKey, channel, attempts });
        count('AlertsSent');
        return 'sent';
      }
      lastError = `${channel}: ${r.error}`;
      if (r.permanent) plan = plan.filter((c) => c !== channel);
    }
    if (attempts >= ALERT_POLICY.maxAttempts) break;
    if (i + 1 < ALERT_POLICY.inlineAttempts) await ports.sleep(ALERT_POLICY.inlineBackoffMs * 4 ** i);
  }
  if (!user) lastError = 'recipient not found';
  if (plan.length === 0 || attempts >= ALERT_POLICY.maxAttempts || !user) {
    logger.error('alert failed', { subject, id, alertKey, attempts, lastError });
    count('AlertsFailed');
    await ports.settleAlert(alert, { status: 'failed', attempts, lastError }, now());
    return 'failed';
  }
  const nextAttemptAt = new Date(
    now().getTime() + ALERT_POLICY.retryBaseSeconds * 1000 * 2 ** Math.max(0, attempts - ALERT_POLICY.inlineAttempts),
  ).toISOString();
  logger.warn('alert will be retried', { subject, id, alertKey, attempts, lastError, nextAttemptAt });
  count('AlertsRetrying');
  await ports.settleAlert(alert, { status: 'retrying', attempts, lastError, nextAttemptAt }, now());
  return 'retrying';
}

/** Deliver one case alert (see deliverAlert): a new one with `opts`, an existing one (the retry job) without. */
export async function deliver(
  caseId: string,
  alertKey: string,
  e: CaseEvent,
  now: () => Date = () => new Date(),
  ports: AlertPorts = alertPorts,
  opts: Pick<DeliveryOptions, 'open' | 'recipient'> = {},
): Promise<AlertItem['status'] | 'skipped'> {
  return deliverAlert(
    'case',
    caseId,
    alertKey,
    (channel, user) => sendVia(ports, channel, user, e, alertKey),
    now,
    opts,
    ports,
  );
}

/**
 * What a recipient sees of who got an alert: name and masked phone, never the phone itself. A record that cannot
 * be read does not stop the alert.
 */
function maskedRecipient(user: UserItem): string {
  if (!user.phone) return user.name ?? user.userId.slice(0, 6) + '…';
  try {
    return `${user.name ?? ''} ${maskPhone(decryptPii(user.phone))}`.trim();
  } catch {
    return `${user.name ?? user.userId.slice(0, 6) + '…'}（号码无法读取）`;
  }
}

/**
 * A case event from the table's stream: one alert per recipient (idempotent by its key), created already claimed
 * and delivered to the official record the recipient lookup just read.
 */
export async function dispatchEvent(
  e: CaseEvent,
  now: () => Date = () => new Date(),
  ports: AlertPorts = alertPorts,
): Promise<void> {
  const recipients = await recipientsOf(e, ports);
  // Recipients are isolated: one recipient's failure never keeps the others from being alerted. A failure of the
  // store itself (after every recipient was tried) fails the record, so the stream delivers it again.
  const results = await Promise.allSettled(
    recipients.map(async ({ user, role }) => {
      const alertKey = alertKeyOf(e.at, e.kind, user.userId);
      // Even when the alert already existed (a redelivered record), a pending or retrying one is delivered; a sent
      // one, or one under a live claim, is not.
      await deliver(e.caseId, alertKey, e, now, ports, {
        open: {
          eventKind: e.kind,
          eventAt: e.at,
          path: e.path,
          recipientId: user.userId,
          recipientRole: role,
          recipientMasked: maskedRecipient(user),
        },
        recipient: user,
      });
    }),
  );
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length) {
    logger.error('some recipients could not be processed; the record will be retried', {
      caseId: e.caseId,
      failed: failed.length,
      of: results.length,
    });
    throw failed[0].reason;
  }
}

/** The retry job: alerts whose backoff has elapsed, and claimed alerts whose delivery died before it settled. */
export async function retryDueAlerts(
  now: () => Date = () => new Date(),
  ports: AlertPorts = alertPorts,
): Promise<number> {
  const due = await ports.dueRetries(now());
  for (const a of due) {
    if (a.recipientRole === 'owner') {
      // The filer's own notice (处理结果通知) rebuilds its message from the case (domain/owner-notices).
      await retryOwnerNotice(a, now);
      continue;
    }
    if (a.subject && a.subject !== 'case') {
      // Visit notices and frequency warnings rebuild their own message (domain/visit-notices).
      try {
        await retryVisitAlert(a, now);
      } catch (err) {
        logger.error('retry of an alert failed', { alertKey: a.alertKey, error: (err as Error).message });
      }
      continue;
    }
    correlate({ caseId: a.caseId });
    try {
      const e: CaseEvent = {
        caseId: a.caseId,
        kind: a.eventKind as CaseEvent['kind'],
        at: a.eventAt,
        path: a.path,
        ...(await ports.loadCaseSummary(a.caseId)),
      };
      await deliver(a.caseId, a.alertKey, e, now, ports);
    } catch (err) {
      // It stays in the retry index (a claimed alert is put there at its lease expiry): the next run tries again.
      logger.error('retry of an alert failed', { alertKey: a.alertKey, error: (err as Error).message });
    }
    uncorrelate(['caseId']);
  }
  return due.length;
}
