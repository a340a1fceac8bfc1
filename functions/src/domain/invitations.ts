import type { InvitationView } from '@mashang/shared';
import {
  getInvitation,
  getRatingItem,
  getWindows,
  isOptedOut,
  putOptOut,
  type InvitationItem,
} from '../data/invitations';
import { AppError } from '../lib/errors';
import { verifyInvitationToken } from './invitation-token';

/**
 * 一事一评, the citizen's side: the invitation behind a link, its page, 退订 through it, and the check a rating
 * through it must pass. No provider SDK here: the rating function imports this module.
 */
const invalid = () => new AppError('INVITATION_INVALID', '评价链接无效，请核对短信中的链接');

/** The invitation behind a token: tampered or unknown → INVITATION_INVALID; never sent → the same. */
export async function invitationByToken(token: string): Promise<InvitationItem> {
  const id = verifyInvitationToken(token);
  if (!id) throw invalid();
  const inv = await getInvitation(id);
  if (!inv || !inv.sentAt || !inv.expiresAt) throw invalid();
  return inv;
}

export const isExpired = (inv: InvitationItem, now: Date) =>
  !inv.ratingId && now.getTime() >= Date.parse(inv.expiresAt!);

/** GET /v1/invitations/{token}: window, matter and date; the stored rating if rated; expired after 7 days. */
export async function invitationView(token: string, now: Date): Promise<InvitationView> {
  const inv = await invitationByToken(token);
  const [windows, rating, optedOut] = await Promise.all([
    getWindows([inv.windowId]),
    inv.ratingId ? getRatingItem(inv.ratingId) : undefined,
    isOptedOut(inv.phoneHash),
  ]);
  const w = windows.get(inv.windowId);
  return {
    token,
    window: {
      id: inv.windowId,
      name: inv.windowName,
      departmentName: inv.departmentName,
      countyName: inv.countyName,
      code: w?.code ?? null,
    },
    matter: inv.matter,
    date: inv.completedDate,
    expired: isExpired(inv, now),
    expiresAt: inv.expiresAt ?? null,
    optedOut,
    rating: rating
      ? {
          id: rating.id,
          level: rating.level,
          reasons: rating.reasons,
          ...(rating.comment ? { comment: rating.comment } : {}),
          createdAt: rating.createdAt,
        }
      : null,
  };
}

/** 退订 through the link: this phone gets no more invitations. Repeating it changes nothing. */
export async function optOutByToken(token: string, now: Date): Promise<{ optedOut: true }> {
  const inv = await invitationByToken(token);
  await putOptOut(inv.phoneHash, 'link', now.toISOString());
  return { optedOut: true };
}

/**
 * For a rating that answers an invitation: usable only once and only within its 7 days. `ratingId` is the id the
 * caller's rating would have: when the invitation already holds exactly that rating, this is the same person's
 * retry (answered from the rating's own record), not a second use.
 */
export async function invitationForRating(
  token: string,
  now: Date,
  ratingId?: string,
): Promise<{ invitation: InvitationItem; retry: boolean }> {
  const inv = await invitationByToken(token);
  if (inv.ratingId && inv.ratingId === ratingId) return { invitation: inv, retry: true };
  if (inv.ratingId) throw new AppError('INVITATION_USED', '您已通过该邀请评价过本次办事，感谢参与');
  if (isExpired(inv, now)) throw new AppError('INVITATION_EXPIRED', '评价邀请已过期');
  return { invitation: inv, retry: false };
}
