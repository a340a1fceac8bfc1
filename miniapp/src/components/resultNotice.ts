import Taro from '@tarojs/taro';
import { recordResultNotice } from '../api/endpoints';

/**
 * The 处理结果通知 subscribe-message template the backend tells the filer the result with
 * (functions/src/domain/owner-notices.ts, WECHAT_TEMPLATE_RESULT); wx.requestSubscribeMessage must name the same id.
 */
export const RESULT_NOTICE_TEMPLATE_ID = 'Kf3x-case-result-template-06';

/**
 * Ask for the 处理结果通知 on the submit tap itself (WeChat shows its dialog only in answer to a tap):
 * https://developers.weixin.qq.com/miniprogram/dev/api/open-api/subscribe-message/wx.requestSubscribeMessage.html
 * Resolves to the answer, or null where there is no subscribe message (H5) or the dialog failed; never rejects,
 * and never holds up the submission (the caller starts it without awaiting).
 */
export async function askResultNotice(): Promise<boolean | null> {
  if (process.env.TARO_ENV !== 'weapp') return null;
  try {
    const option = { tmplIds: [RESULT_NOTICE_TEMPLATE_ID] } as Taro.requestSubscribeMessage.Option;
    const res = (await Taro.requestSubscribeMessage(option)) as Taro.requestSubscribeMessage.SuccessCallbackResult;
    return res[RESULT_NOTICE_TEMPLATE_ID] === 'accept';
  } catch {
    return null;
  }
}

/** Once the submission opened its case: record the answer (best effort — the result is also under 我的). */
export async function saveResultNotice(caseId: string | null | undefined, answer: Promise<boolean | null>) {
  if (!caseId) return;
  const accepted = await answer;
  if (accepted === null) return;
  await recordResultNotice(caseId, accepted).catch(() => undefined);
}
