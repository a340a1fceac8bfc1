/** Case (督办件) states. Transitions and guards are added with the case workflow. */
export const CASE_STATUSES = ['open', 'in_progress', 'rectified', 'appealed', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_STATUS_LABELS: Record<CaseStatus, string> = {
  open: '待处理',
  in_progress: '处理中',
  rectified: '已反馈整改',
  appealed: '申诉复核中',
  closed: '已办结',
};
