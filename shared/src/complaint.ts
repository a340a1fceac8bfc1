/** The five problems the commission targets, the negative list, and 其他 (SPEC §2.4). */
export const COMPLAINT_CATEGORIES = [
  '为官不为懒政怠政',
  '服务意识不强',
  '审批不规范',
  '行政执法不严格',
  '政策落实中梗阻',
  '违规干预插手',
  '违反负面清单',
  '其他',
] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];

export const CONTENT_MIN = 5;
export const CONTENT_MAX = 2000;

export interface SubmitComplaintResponse {
  trackingNo: string;
  queryCode: string;
  caseId: string;
}

export interface ListItem {
  id: string;
  text: string;
}

export interface ConductLists {
  positive: { version: string; items: ListItem[] };
  negative: { version: string; items: ListItem[] };
}

/** GET /v1/me/complaints item */
export interface MyComplaintItem {
  trackingNo: string;
  category: string;
  createdAt: string;
  caseId: string;
  caseStatus?: string;
  caseStatusLabel?: string;
  outcome?: string;
}

/** GET /v1/complaints/{trackingNo}?queryCode= — progress without any internal identity */
export interface ComplaintProgress {
  trackingNo: string;
  category: string;
  content: string;
  createdAt: string;
  status?: string;
  statusLabel?: string;
  outcome?: string;
  timeline: { action: string; label: string; at: string; note?: string }[];
}
