import type { CaseStatus, Ref } from '@mashang/shared';
import { ancestorScopes } from '@mashang/shared';
import { K } from './keys';

export type CaseBucket = 'open' | 'overdue' | 'closed';

export interface CaseItem {
  id: string;
  source: 'rating' | 'complaint' | 'visit';
  status: CaseStatus;
  bucket: CaseBucket;
  path: string;
  department?: Ref;
  county: Ref;
  window?: Ref;
  ratingId?: string;
  trackingNo?: string;
  level?: number;
  reasons?: string[];
  category?: string;
  summary: string;
  /** The rater or complainant left a phone: closing needs a recorded callback first. */
  hasContact: boolean;
  /** Owner of the case for the 追评 (userId), never shown to departments. */
  createdAt: string;
  callbackDueAt: string;
  rectifyDueAt: string;
  callbackDone: boolean;
  rectificationReported: boolean;
  overdueStrikes: number;
  outcome?: string;
  closedAt?: string;
  version: number;
}

/**
 * Case lists per scope level and bucket: gsi1 = department, gsi2 = region (county / 州本级), gsi3 = prefecture.
 * Sort key = creation time, so every list is newest-first by a Query.
 */
export function caseIndexKeys(path: string, bucket: CaseBucket, createdAt: string) {
  const [prefecture, region, department] = ancestorScopes(path);
  return {
    gsi1pk: `CASES#${department ?? region}#${bucket}`,
    gsi1sk: createdAt,
    gsi2pk: `CASES#${region}#${bucket}`,
    gsi2sk: createdAt,
    gsi3pk: `CASES#${prefecture}#${bucket}`,
    gsi3sk: createdAt,
  };
}

export const caseItem = (c: CaseItem) => ({ ...K.case(c.id), ...caseIndexKeys(c.path, c.bucket, c.createdAt), type: 'case', ...c });

export interface TimelineEntry {
  caseId: string;
  at: string;
  seq: string;
  action: string;
  actor: { id: string; role: string; name?: string };
  note?: string;
  data?: Record<string, unknown>;
}

export const timelineItem = (t: TimelineEntry) => ({ ...K.timeline(t.caseId, t.at, t.seq), type: 'timeline', ...t });
