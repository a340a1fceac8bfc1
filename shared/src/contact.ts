import type { Actor } from './cases';

/**
 * Who may see a filer's phone and name (SPEC §2.2, §2.4): the one rule the API enforces and the mini-program's
 * privacy notice states (a page test compares the two). Nobody sees any part of it in a case or a list; those
 * allowed get it only through an explicit reveal (`POST /v1/cases/{id}/contact` with a reason), which is written
 * to the audit trail.
 */
export const CALLBACK_BY = ['department', 'inspectors'] as const;
export type CallbackBy = (typeof CALLBACK_BY)[number];

export const CALLBACK_BY_LABELS: Record<CallbackBy, string> = {
  department: '责任部门',
  inspectors: '仅纪检监察',
};

/** May an actor with these roles on the case reveal the filer's contact? */
export function mayRevealContact(
  source: 'rating' | 'complaint' | 'visit' | 'inspection',
  callbackBy: CallbackBy | undefined,
  actors: readonly Actor[],
): boolean {
  if (actors.includes('inspector')) return true;
  if (source === 'rating' && (callbackBy ?? 'department') === 'department') return actors.includes('handler');
  return false;
}

/**
 * The rule as sentences, per reader, for the privacy notice: each role's label and whether it may reveal a rater's
 * contact (by the rater's choice) and a complainant's. Roles not listed never see any part of it.
 */
export const CONTACT_READERS: {
  role: Actor;
  label: string;
  rating: 'always' | 'if-department' | 'never';
  complaint: 'always' | 'never';
}[] = [
  { role: 'inspector', label: '纪检监察', rating: 'always', complaint: 'always' },
  { role: 'handler', label: '责任部门负责回访的人员', rating: 'if-department', complaint: 'never' },
  { role: 'window_staff', label: '被评价的窗口工作人员', rating: 'never', complaint: 'never' },
  { role: 'operator', label: '平台运维人员', rating: 'never', complaint: 'never' },
];
