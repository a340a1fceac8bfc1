import { getUser } from '../data/users';
import { checkText } from '../gateways/wechat';
import { logger } from '../lib/logger';

export type ContentFlag = 'risky' | 'review' | 'unchecked';

/**
 * Free text (complaints, rating comments, 追评, officials' notes) goes through WeChat's content security check
 * (msg_sec_check, required for user content in mini-programs) but is NEVER refused for it: reports of misconduct
 * (赌博, 代开发票, 吃拿卡要 …) are what the platform exists to receive (SPEC §2.2). A "risky" or "review" verdict is a
 * flag shown to officials; when the check is unavailable the text is kept and flagged "unchecked".
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/sec-center/sec-check/msgSecCheck.html
 */
export async function contentFlag(userId: string, text: string | undefined): Promise<ContentFlag | undefined> {
  if (!text) return undefined;
  try {
    const user = await getUser(userId);
    if (!user) return 'unchecked';
    const verdict = await checkText(text, user.openid);
    return verdict === 'pass' ? undefined : verdict;
  } catch (e) {
    logger.warn('content check unavailable; text kept and flagged unchecked', { error: (e as Error).message });
    return 'unchecked';
  }
}
