import { caseOpeningWrites, type CaseOpening } from './cases';
import { IX, K, indexAttrs } from './keys';
import { requestWrite, type StoredRequest } from './requests';
import { counterWrites, type DayCounts } from './stats';
import { getItem, putNew, queryIndex, strip, transact } from './table';

/** A complaint as filed; the complainant's identity is in the case's owner item, encrypted. */
export interface ComplaintItem {
  trackingNo: string;
  /** Keyed hash of the query code (domain/complaints); the code itself is never stored in clear. */
  queryHash: string;
  category: string;
  content: string;
  negativeItemId?: string;
  anonymous?: boolean;
  caseId: string;
  path: string;
  createdAt: string;
}

/** Who filed it, listed under "my complaints" (gsi2 MINE#<userId>, C#). */
export interface ComplainantItem {
  trackingNo: string;
  caseId: string;
  userId: string;
  category: string;
  createdAt: string;
}

/** The complaint, its complainant, the case it opens, its counters and the request record: one transaction. */
export async function writeComplaint(args: {
  request: StoredRequest;
  complaint: ComplaintItem;
  complainant: ComplainantItem;
  opening: CaseOpening;
  counters: DayCounts;
  date: string;
}): Promise<'stored' | 'duplicate-request'> {
  const { complaint: c, complainant: p } = args;
  const outcome = await transact([
    requestWrite(args.request, new Date(c.createdAt)),
    putNew({ ...K.complaint(c.trackingNo), type: 'complaint', ...c }),
    putNew({
      ...K.complainant(p.trackingNo),
      type: 'complainant',
      ...indexAttrs(IX.mine(p.userId, 'C', p.createdAt)),
      ...p,
    }),
    ...caseOpeningWrites(args.opening),
    ...counterWrites([{ path: c.path, date: args.date, add: args.counters }]),
  ]);
  if (outcome === 'stored') return 'stored';
  if (outcome.reasons[0] === 'ConditionalCheckFailed') return 'duplicate-request';
  throw new Error(`complaint transaction cancelled: ${outcome.reasons.join(',')}`);
}

export const getComplaint = (trackingNo: string) => getItem<ComplaintItem>(K.complaint(trackingNo));

/** What a user filed, newest first. */
export async function listComplaintsOfUser(userId: string, limit: number): Promise<ComplainantItem[]> {
  const page = await queryIndex(IX.mine(userId, 'C'), { sk: 'prefix', newestFirst: true, limit });
  return page.items.map((i) => strip<ComplainantItem>(i));
}
