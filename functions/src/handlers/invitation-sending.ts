import { expireInvitations, pullReceiptsAndReplies, sendDueInvitations } from '../domain/invitation-sending';

/** 一事一评 sending: the only invitation functions that bundle the SMS provider's SDK. */

/** Every minute: invitations due (new ones, those quiet hours queued, retries), within the provider's rate limit. */
export const sendDue = async () => sendDueInvitations();

/** Every minute: delivery receipts and 退订 replies from the provider; invitations whose 7 days ran out. */
export const receipts = async () => ({
  ...(await pullReceiptsAndReplies()),
  expired: await expireInvitations(new Date()),
});
