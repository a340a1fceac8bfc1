import {
  CITIZEN_STATUS_LABELS,
  CITIZEN_TIMELINE_LABELS,
  type CitizenCaseView,
  type CitizenTimelineEntry,
} from '@mashang/shared';
import { loadCase, type CaseBundle, type TimelineEntry } from '../data/cases';
import { notFound } from '../lib/errors';
import type { Session } from '../lib/session';
import { photoViews } from './photo-evidence';

/** Texts officials chose to publish to the filer (rectification `publicSummary`, close `publicNote`). */
type Published = { publicSummary?: string; publicNote?: string };

/** One timeline entry as the filer may read it, or nothing for an internal one (deadlines, 约谈, appeals). */
function citizenEntry(t: TimelineEntry, ownerId: string): CitizenTimelineEntry | undefined {
  const data = (t.data ?? {}) as Record<string, unknown> & Published;
  switch (t.action) {
    case 'close':
      return {
        at: t.at,
        label: `已办结：${String(data.outcome ?? '')}`.replace(/：$/, ''),
        ...(data.publicNote ? { text: data.publicNote } : {}),
      };
    case 'rectification':
      return {
        at: t.at,
        label: CITIZEN_TIMELINE_LABELS.rectification,
        ...(data.publicSummary ? { text: data.publicSummary } : {}),
      };
    case 'follow_up': {
      // The filer's own words are theirs to read again; nobody else's note is shown.
      const own = t.actor.id === ownerId ? (t.note ?? '').replace(/^追评不满意，督办件重新办理。/, '').trim() : '';
      const comment = own && own !== '满意' && own !== '不满意' ? own : undefined;
      return {
        at: t.at,
        label: data.satisfied ? '您已追评：满意' : '您已追评：不满意，督办件重新办理',
        ...(comment ? { text: comment } : {}),
      };
    }
    case 'appeal':
      return data.upheld === true ? { at: t.at, label: '经复核，评价所反映问题不成立（申诉成立）' } : undefined;
    default: {
      const label = CITIZEN_TIMELINE_LABELS[t.action];
      return label ? { at: t.at, label } : undefined;
    }
  }
}

/** The filer's view of their case (no official's identity, no internal note), from its partition. */
export function citizenView(bundle: CaseBundle): CitizenCaseView {
  const c = bundle.case!;
  const ownerId = bundle.owner?.userId ?? '';
  const timeline = [...bundle.timeline]
    .sort((a, b) => (a.at === b.at ? a.seq.localeCompare(b.seq) : a.at.localeCompare(b.at)))
    .map((t) => citizenEntry(t, ownerId))
    .filter((t): t is CitizenTimelineEntry => !!t);
  const followUpDone = c.followUpDone === true;
  const closed = c.status === 'closed';
  const reopened = !closed && bundle.timeline.some((t) => t.action === 'reopen' || t.action === 'follow_up');
  return {
    id: c.id,
    source: c.source === 'complaint' ? 'complaint' : 'rating',
    status: c.status,
    statusLabel: reopened && c.status === 'in_progress' ? '重新办理中' : CITIZEN_STATUS_LABELS[c.status],
    ...(c.window ? { window: { name: c.window.name } } : {}),
    ...(c.department ? { department: { name: c.department.name } } : {}),
    county: { name: c.county.name },
    ...(c.level ? { level: c.level } : {}),
    ...(c.reasons?.length ? { reasons: c.reasons } : {}),
    ...(c.category ? { category: c.category } : {}),
    ...(bundle.owner?.trackingNo ? { trackingNo: bundle.owner.trackingNo } : {}),
    createdAt: c.createdAt,
    ...(closed && c.closedAt ? { closedAt: c.closedAt } : {}),
    ...(closed && c.outcome ? { outcome: c.outcome } : {}),
    ...(c.publishedRectification ? { rectificationSummary: c.publishedRectification } : {}),
    ...(closed && c.publishedClosingNote ? { closingNote: c.publishedClosingNote } : {}),
    timeline,
    followUp: { allowed: closed && !followUpDone, done: followUpDone },
  };
}

/** GET /v1/me/cases/{id}: only the person who filed it; anyone else (officials included) gets NOT_FOUND. */
export async function getCitizenCase(session: Session, id: string): Promise<CitizenCaseView> {
  const bundle = await loadCase(id);
  if (
    !bundle.case ||
    !bundle.owner ||
    bundle.owner.userId !== session.userId ||
    bundle.case.source === 'visit' ||
    bundle.case.source === 'inspection'
  )
    throw notFound('督办件');
  const view = citizenView(bundle);
  // The filer's own photos, as expiring links (the content check's marks are for officials).
  const photos = await photoViews([{ by: 'filer', photos: bundle.case.photos ?? [] }], { checks: false });
  return photos.length ? { ...view, photos } : view;
}
