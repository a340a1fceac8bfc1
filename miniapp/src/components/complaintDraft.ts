import Taro from '@tarojs/taro';

const DRAFT_KEY = 'mashang.complaintDraft';

/**
 * Text a citizen typed into a rating the API refused (一次一评) travels to the complaint form, so nothing typed is
 * lost. Kept in storage (a link could not carry 500 characters reliably) and taken once by the complaint page.
 */
export function saveComplaintDraft(code: string, text: string): void {
  if (text.trim()) Taro.setStorageSync(DRAFT_KEY, { code, text: text.trim() });
  else Taro.removeStorageSync(DRAFT_KEY);
}

/** The draft left for this code (or for no code), removed as it is read. */
export function takeComplaintDraft(code: string | undefined): string {
  const draft = Taro.getStorageSync(DRAFT_KEY) as { code?: string; text?: string } | '';
  if (!draft || typeof draft.text !== 'string') return '';
  Taro.removeStorageSync(DRAFT_KEY);
  return (draft.code ?? '') === (code ?? '') ? draft.text : '';
}

/** What a refused rating said in words: its reasons and its comment, as the case summary would read. */
export function ratingDraftText(reasons: string[], comment: string): string {
  const c = comment.trim();
  if (!reasons.length) return c;
  return `${reasons.join('、')}${c ? `：${c}` : ''}`;
}
