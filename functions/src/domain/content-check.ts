import { getUser } from '../data/users';
import { checkText } from '../gateways/wechat';
import { AppError } from '../lib/errors';
import { logger } from '../lib/logger';

/**
 * Free text from citizens goes through WeChat's content security check (msg_sec_check, required for user content
 * in mini-programs). "risky" is refused with a clear message and nothing is stored. If the check itself is
 * unavailable the text is accepted and the failure logged: a complaint must never be lost to an outage.
 */
export async function ensureSafeText(userId: string, text: string | undefined): Promise<void> {
  if (!text) return;
  try {
    const user = await getUser(userId);
    if (!user) return;
    const verdict = await checkText(text, user.openid);
    if (verdict === 'risky')
      throw new AppError('VALIDATION_FAILED', '内容含有违法违规信息，请修改后再提交', [
        { path: 'content', message: '内容含有违法违规信息' },
      ]);
  } catch (e) {
    if (e instanceof AppError && e.code === 'VALIDATION_FAILED') throw e;
    logger.warn('content check unavailable; text accepted', { error: (e as Error).message });
  }
}
