import {
  earliestSendTime,
  INVITATION_TTL_MS,
  INVITE_PAGE,
  isOptOutReply,
  PHONE_PATTERN,
  shanghaiDate,
  type InvitationStatus,
} from '@mashang/shared';
import { config } from '../config';
import {
  claimInvitation,
  dueInvitations,
  expiringInvitations,
  getInvitations,
  isOptedOut,
  markExpired,
  putOptOut,
  recordReceipts,
  releasePhoneDay,
  settleInvitation,
  takePhoneDay,
  type InvitationItem,
  type ReceiptUpdate,
} from '../data/invitations';
import { hit } from '../data/limits';
import { pullSmsReceipts, pullSmsReplies, sendSms } from '../gateways/sms';
import { generateUrlLink } from '../gateways/wechat';
import { decryptPii } from '../lib/crypto';
import { logger } from '../lib/logger';
import { invitationToken, phoneHash, quietHours } from './invitation-token';

/**
 * 一事一评 sending (schedule and stream functions only: this module pulls in the SMS provider's SDK): the SMS of
 * each invitation, delivery receipts and replies, expiry.
 */

/** Delivery policy, the same shape as the alerts' (domain/alerts ALERT_POLICY): quick tries, then the schedule. */
export const INVITE_POLICY = {
  inlineAttempts: 3,
  maxAttempts: 8,
  inlineBackoffMs: Number(process.env.ALERT_BACKOFF_MS ?? 200),
  retryBaseSeconds: 30,
  /** How long one sender waits for a free slot under the provider's rate limit before handing back. */
  maxRateWaitMs: 30000,
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** The link an invitation SMS carries: a WeChat URL Link, else the H5 page (both https in production). */
async function linkFor(token: string): Promise<{ link: string; linkKind: 'urllink' | 'h5' }> {
  const r = await generateUrlLink({ path: INVITE_PAGE, query: `t=${token}`, expireDays: 7 });
  if (r.ok) return { link: r.url, linkKind: 'urllink' };
  logger.warn('url link unavailable, falling back to the H5 page', { error: r.error });
  return { link: `${config().INVITE_H5_BASE}/#/${INVITE_PAGE}?t=${encodeURIComponent(token)}`, linkKind: 'h5' };
}

/**
 * The provider's send-rate limit, shared by every sender (stream and schedule, any number of Lambdas): a
 * per-second counter in the table. A sender takes a block of the current second's allowance in one write (what it
 * gets is what the counter still had), hands the slots out to its concurrent sends, and drops what is left when the
 * second is over; when the second is full it waits for the next one.
 */
/** A slot is handed out only in the first part of a (wall-clock) second, so its SMS reaches the provider within it. */
const SLOT_USABLE_MS = 600;

class RateSlots {
  private second = -1;
  private left = 0;
  /** The table said this second is full. */
  private full = false;
  private refill: Promise<void> | undefined;
  constructor(
    private readonly now: () => Date,
    private readonly block = 1,
  ) {}

  async take(): Promise<boolean> {
    const limit = config().SMS_RATE_PER_SECOND;
    const until = Date.now() + INVITE_POLICY.maxRateWaitMs;
    for (;;) {
      const t = this.now();
      const second = Math.floor(t.getTime() / 1000);
      if (Date.now() % 1000 > SLOT_USABLE_MS) {
        // Too late in this second: an SMS sent now may reach the provider in the next one, on top of that
        // second's whole allowance. Wait for the next second.
        if (Date.now() > until) return false;
        await sleep(1000 - (Date.now() % 1000) + 5);
        continue;
      }
      if (second === this.second && this.left > 0) {
        this.left--;
        return true;
      }
      if (this.refill) {
        await this.refill;
        continue;
      }
      if (second === this.second && this.full) {
        // This second's allowance is used up (here or elsewhere): wait for the next one.
        if (Date.now() > until) return false;
        await sleep(1000 - (Date.now() % 1000) + 5);
        if (Date.now() > until) return false;
        continue;
      }
      this.refill = (async () => {
        const want = Math.max(1, Math.min(this.block, limit));
        const n = await hit('sms-send', 1, t, want);
        this.second = second;
        this.left = Math.max(0, Math.min(want, limit - (n - want)));
        this.full = this.left === 0;
      })().finally(() => (this.refill = undefined));
    }
  }
}

const bump = (inv: InvitationItem, at: Date | string, add: Record<string, number>) => [
  { path: inv.path, date: shanghaiDate(at), add },
];

/**
 * Send one invitation: claim it (so no one else sends it), then quiet hours → back to the queue until 08:00;
 * opted out or the phone's invitation of the day already taken → skipped (counted); otherwise the SMS, with
 * quick retries, then the schedule's backoff; after maxAttempts it ends `failed` (counted, visible).
 */
export async function sendInvitation(
  id: string,
  now: () => Date = () => new Date(),
  slots: RateSlots = new RateSlots(now),
): Promise<InvitationStatus | 'not-due'> {
  const inv = await claimInvitation(id, now());
  if (!inv) return 'not-due';
  const start = now();
  const sendAfter = earliestSendTime(start, quietHours());
  if (sendAfter.getTime() !== start.getTime()) {
    await settleInvitation(inv, { status: 'queued', sendAfter: sendAfter.toISOString() }, start, []);
    return 'queued';
  }
  if (await isOptedOut(inv.phoneHash)) {
    await settleInvitation(
      inv,
      { status: 'skipped', skipReason: 'opted_out' },
      start,
      bump(inv, start, { invitationsSkipped: 1 }),
    );
    return 'skipped';
  }
  const day = shanghaiDate(start);
  if (!(await takePhoneDay(inv.phoneHash, day, inv.id, Math.floor(start.getTime() / 1000) + 2 * 86400))) {
    await settleInvitation(
      inv,
      { status: 'skipped', skipReason: 'daily_cap' },
      start,
      bump(inv, start, { invitationsSkipped: 1 }),
    );
    return 'skipped';
  }

  const token = invitationToken(inv.id);
  const { link, linkKind } = inv.link ? { link: inv.link, linkKind: inv.linkKind ?? 'h5' } : await linkFor(token);
  const phone = decryptPii(inv.phone);
  let attempts = inv.attempts;
  let lastError = inv.lastError ?? '';
  for (let i = 0; i < INVITE_POLICY.inlineAttempts && attempts < INVITE_POLICY.maxAttempts; i++) {
    if (!(await slots.take())) {
      lastError = 'rate limit: no slot';
      break;
    }
    attempts++;
    const r = await sendSms(
      phone,
      config().SMS_TEMPLATE_INVITE,
      [clip(inv.windowName, 20), clip(inv.matter, 20), link],
      inv.id,
    );
    if (r.ok) {
      const sentAt = now();
      await settleInvitation(
        inv,
        {
          status: 'sent',
          attempts,
          link,
          linkKind,
          serialNo: r.serialNo,
          sentAt: sentAt.toISOString(),
          expiresAt: new Date(sentAt.getTime() + INVITATION_TTL_MS).toISOString(),
        },
        sentAt,
        bump(inv, sentAt, { invitationsSent: 1 }),
      );
      return 'sent';
    }
    lastError = r.error;
    if (r.permanent) {
      attempts = INVITE_POLICY.maxAttempts;
      break;
    }
    if (i + 1 < INVITE_POLICY.inlineAttempts)
      await sleep(r.rateLimited ? 1000 : INVITE_POLICY.inlineBackoffMs * 4 ** i);
  }
  const end = now();
  if (attempts >= INVITE_POLICY.maxAttempts) {
    logger.error('invitation failed', { id: inv.id, attempts, lastError });
    await releasePhoneDay(inv.phoneHash, day, inv.id);
    await settleInvitation(
      inv,
      { status: 'failed', attempts, lastError },
      end,
      bump(inv, end, { invitationsFailed: 1 }),
    );
    return 'failed';
  }
  const nextAttemptAt = new Date(
    end.getTime() + INVITE_POLICY.retryBaseSeconds * 1000 * 2 ** Math.max(0, attempts - INVITE_POLICY.inlineAttempts),
  ).toISOString();
  logger.warn('invitation will be retried', { id: inv.id, attempts, lastError, nextAttemptAt });
  await settleInvitation(inv, { status: 'retrying', attempts, nextAttemptAt, lastError }, end, []);
  return 'retrying';
}

/** The schedule (every minute) and the stream: every due invitation, a few senders at once, within a time budget. */
export async function sendDueInvitations(
  now: () => Date = () => new Date(),
  opts: { budgetMs?: number; concurrency?: number } = {},
): Promise<Record<string, number>> {
  const started = Date.now();
  const budget = opts.budgetMs ?? 45000;
  const concurrency = opts.concurrency ?? Math.min(8, config().SMS_RATE_PER_SECOND);
  const counts: Record<string, number> = {};
  const tried = new Set<string>();
  const slots = new RateSlots(now, concurrency);
  while (Date.now() - started < budget) {
    const due = (await dueInvitations(now(), 200)).filter((i) => !tried.has(i.id));
    if (due.length === 0) break;
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, due.length) }, async () => {
        while (next < due.length && Date.now() - started < budget) {
          const inv = due[next++];
          tried.add(inv.id);
          const s = await sendInvitation(inv.id, now, slots);
          counts[s] = (counts[s] ?? 0) + 1;
        }
      }),
    );
  }
  return counts;
}

const INVITATION_ID = /^i[0-9A-Za-z]{10}$/;

/**
 * Delivery receipts and replies (退订), pulled from the provider (schedule, every minute). The provider hands out
 * each receipt once, so a page pulled is recorded before the next is asked for, and no page is asked for once the
 * time budget is spent (what is left waits for the next minute's run): a page costs one BatchGet and a write per
 * ~90 receipts (data/invitations recordReceipts), not two requests per receipt.
 */
export async function pullReceiptsAndReplies(opts: { budgetMs?: number } = {}): Promise<{
  receipts: number;
  delivered: number;
  failed: number;
  optOuts: number;
}> {
  const started = Date.now();
  const budget = opts.budgetMs ?? 40000;
  const out = { receipts: 0, delivered: 0, failed: 0, optOuts: 0 };
  for (let page = 0; page < 50 && Date.now() - started < budget; page++) {
    const receipts = await pullSmsReceipts(100);
    // Alerts share the SMS app: only receipts whose session context is an invitation id are ours.
    const ours = receipts.filter((r) => INVITATION_ID.test(r.sessionContext));
    const invitations = await getInvitations(ours.map((r) => r.sessionContext));
    const updates: ReceiptUpdate[] = [];
    for (const r of ours) {
      const inv = invitations.get(r.sessionContext);
      if (!inv) continue;
      out.receipts++;
      const outcome = r.delivered ? 'delivered' : 'failed';
      updates.push({
        id: inv.id,
        outcome,
        at: r.receivedAt,
        error: r.description,
        counters: bump(
          inv,
          r.receivedAt,
          outcome === 'delivered' ? { invitationsDelivered: 1 } : { invitationsFailed: 1 },
        ),
      });
    }
    const changed = await recordReceipts(updates);
    for (const u of updates) if (changed.has(u.id)) out[u.outcome]++;
    if (receipts.length < 100) break;
  }
  for (let page = 0; page < 20; page++) {
    const replies = await pullSmsReplies(100);
    for (const r of replies) {
      if (PHONE_PATTERN.test(r.phone) && isOptOutReply(r.text)) {
        await putOptOut(phoneHash(r.phone), 'reply', r.at);
        out.optOuts++;
      }
    }
    if (replies.length < 100) break;
  }
  return out;
}

/** Sent invitations whose 7 days ran out unrated become 未评 (counted once, on the day they expired). */
export async function expireInvitations(now: Date): Promise<number> {
  let n = 0;
  for (let page = 0; page < 50; page++) {
    const due = await expiringInvitations(now, 100);
    for (const inv of due)
      if (await markExpired(inv.id, now, bump(inv, inv.expiresAt!, { invitationsExpired: 1 }))) n++;
    if (due.length < 100) break;
  }
  return n;
}
