import {
  canAccess,
  earliestSendTime,
  scopeContains,
  ServiceBatch,
  ServiceRow,
  shanghaiDate,
  StaffInvitationRequest,
  type ErrorIssue,
  type ServiceBatchResponse,
  type ServiceRowResult,
  INVITATION_STATUS_LABELS,
  SKIP_REASON_LABELS,
} from '@mashang/shared';
import * as z from 'zod/mini';
import {
  existingInvitations,
  getWindows,
  invitationsOfWindow,
  writeIntake,
  type InvitationItem,
} from '../data/invitations';
import type { WindowItem } from '../data/registry';
import { decryptPii, encryptPii, maskPhone } from '../lib/crypto';
import { AppError, forbidden, notFound } from '../lib/errors';
import type { Session } from '../lib/session';
import { parseWith } from '../lib/validate';
import type { MachineCaller } from './machine-auth';
import { invitationIdFor, phoneHash, quietHours } from './invitation-token';

/**
 * A transaction holds at most 100 items: 1 put per row, plus one counter update per scope of the chunk (the
 * prefecture, region and department, and each window). Rows are grouped by window, so a chunk of one window's
 * services carries 96 rows.
 */
const MAX_TRANSACTION_ITEMS = 100;

function chunksOf(rows: Prepared[]): Prepared[][] {
  const sorted = [...rows].sort((a, b) => a.window.id.localeCompare(b.window.id));
  const chunks: Prepared[][] = [];
  let current: Prepared[] = [];
  let windows = new Set<string>();
  for (const p of sorted) {
    const nextWindows = windows.has(p.window.id) ? windows.size : windows.size + 1;
    if (current.length > 0 && current.length + 1 + 3 + nextWindows > MAX_TRANSACTION_ITEMS) {
      chunks.push(current);
      current = [];
      windows = new Set();
    }
    current.push(p);
    windows.add(p.window.id);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
const MAX_CONFLICT_RETRIES = 6;
/** A service completed longer ago than this is no longer invited (the rating would be about a distant memory). */
const MAX_AGE_DAYS = 30;

interface Prepared {
  index: number;
  row: ServiceRow;
  window: WindowItem;
}

function rowIssues(index: number, issues: { path: PropertyKey[]; message: string }[]): ErrorIssue[] {
  return issues.map((i) => ({ path: [`services[${index}]`, ...i.path.map(String)].join('.'), message: i.message }));
}

/** Build the service and its invitation (queued; quiet hours push its first send to 08:00 China time). */
function build(p: Prepared, source: InvitationItem['source'], reportedBy: string, now: Date) {
  const id = invitationIdFor(p.window.department.id, p.row.serviceId);
  const at = now.toISOString();
  const invitation: InvitationItem = {
    id,
    serviceId: p.row.serviceId,
    completedAt: p.row.completedAt,
    reportedAt: at,
    source,
    reportedBy,
    departmentId: p.window.department.id,
    windowId: p.window.id,
    windowName: p.window.name,
    departmentName: p.window.department.name,
    countyName: p.window.county.name,
    path: p.window.path,
    matter: p.row.matter,
    completedDate: shanghaiDate(p.row.completedAt),
    phone: encryptPii(p.row.phone),
    ...(p.row.name ? { name: encryptPii(p.row.name) } : {}),
    phoneHash: phoneHash(p.row.phone),
    status: 'queued',
    sendAfter: earliestSendTime(now, quietHours()).toISOString(),
    attempts: 0,
    createdAt: at,
    updatedAt: at,
  };
  return { invitation };
}

/**
 * Store valid rows in chunks, each chunk one transaction with its counters. A service id already stored (a
 * re-sent batch, a concurrent twin) is reported as a duplicate and stores nothing.
 */
async function store(
  rows: Prepared[],
  source: InvitationItem['source'],
  reportedBy: string,
  now: Date,
): Promise<Map<number, { status: 'accepted' | 'duplicate'; invitationId?: string }>> {
  const out = new Map<number, { status: 'accepted' | 'duplicate'; invitationId?: string }>();
  const date = shanghaiDate(now);
  for (const part of chunksOf(rows)) {
    let chunk = part.map((p) => ({ p, ...build(p, source, reportedBy, now) }));
    for (let attempt = 0; chunk.length > 0; attempt++) {
      const r = await writeIntake(
        chunk.map((c) => c.invitation),
        chunk.map((c) => ({ path: c.invitation.path, date, add: { servicesReported: 1 } })),
      );
      if (r.ok) {
        for (const c of chunk) out.set(c.p.index, { status: 'accepted', invitationId: c.invitation.id });
        break;
      }
      if ('duplicates' in r) {
        for (const d of r.duplicates) out.set(chunk[d].p.index, { status: 'duplicate' });
        chunk = chunk.filter((_, j) => !r.duplicates.includes(j));
        continue;
      }
      if (attempt >= MAX_CONFLICT_RETRIES)
        throw new AppError('CONFLICT', '提交繁忙，请稍后重试（已保存的办件不会重复保存）');
      await new Promise((res) => setTimeout(res, 20 + Math.random() * 80 * (attempt + 1)));
    }
  }
  return out;
}

/**
 * POST /v1/services (machine API): 1–500 completed services of the caller's department. Rows are checked one by
 * one; valid rows are stored even when others are not. A window outside the key's department refuses the whole
 * batch (403, nothing stored): that is a misconfigured or misused key, not a typo in one row.
 */
export async function reportServices(caller: MachineCaller, input: unknown, now: Date): Promise<ServiceBatchResponse> {
  const { services } = parseWith(ServiceBatch, input);
  const results: ServiceRowResult[] = [];
  const parsed: { index: number; row: ServiceRow }[] = [];
  const seen = new Set<string>();
  services.forEach((raw, index) => {
    const r = ServiceRow.safeParse(raw);
    const serviceId =
      typeof (raw as { serviceId?: unknown })?.serviceId === 'string'
        ? (raw as { serviceId: string }).serviceId
        : undefined;
    if (!r.success) {
      results[index] = { index, serviceId, status: 'invalid', errors: rowIssues(index, r.error.issues) };
      return;
    }
    const completed = Date.parse(r.data.completedAt);
    if (completed > now.getTime() + 5 * 60000) {
      results[index] = {
        index,
        serviceId,
        status: 'invalid',
        errors: [{ path: `services[${index}].completedAt`, message: '办结时间不能晚于当前时间' }],
      };
      return;
    }
    if (completed < now.getTime() - MAX_AGE_DAYS * 86400000) {
      results[index] = {
        index,
        serviceId,
        status: 'invalid',
        errors: [
          { path: `services[${index}].completedAt`, message: `办结超过 ${MAX_AGE_DAYS} 天的办件不再发送评价邀请` },
        ],
      };
      return;
    }
    if (seen.has(r.data.serviceId)) {
      results[index] = { index, serviceId, status: 'duplicate' };
      return;
    }
    seen.add(r.data.serviceId);
    parsed.push({ index, row: r.data });
  });

  const windows = await getWindows([...new Set(parsed.map((p) => p.row.windowId))]);
  const foreign = [...windows.values()].filter((w) => !scopeContains(caller.departmentPath, w.path));
  if (foreign.length > 0) {
    throw new AppError(
      'FORBIDDEN',
      `该密钥只能报送本部门窗口的办件（窗口 ${foreign.map((w) => w.id).join('、')} 不属于本部门），本批未保存`,
    );
  }
  const prepared: Prepared[] = [];
  for (const p of parsed) {
    const window = windows.get(p.row.windowId);
    if (!window) {
      results[p.index] = {
        index: p.index,
        serviceId: p.row.serviceId,
        status: 'invalid',
        errors: [{ path: `services[${p.index}].windowId`, message: '窗口不存在' }],
      };
      continue;
    }
    prepared.push({ ...p, window });
  }
  const already = await existingInvitations(prepared.map((p) => invitationIdFor(caller.departmentId, p.row.serviceId)));
  const fresh = prepared.filter((p) => {
    if (!already.has(invitationIdFor(caller.departmentId, p.row.serviceId))) return true;
    results[p.index] = { index: p.index, serviceId: p.row.serviceId, status: 'duplicate' };
    return false;
  });
  const stored = await store(fresh, 'api', caller.keyId, now);
  for (const p of fresh) {
    const s = stored.get(p.index)!;
    results[p.index] = {
      index: p.index,
      serviceId: p.row.serviceId,
      status: s.status,
      ...(s.invitationId ? { invitationId: s.invitationId } : {}),
    };
  }
  return {
    received: services.length,
    accepted: results.filter((r) => r.status === 'accepted').length,
    duplicates: results.filter((r) => r.status === 'duplicate').map((r) => r.serviceId!),
    invalid: results.filter((r) => r.status === 'invalid').length,
    rows: results,
  };
}

/**
 * 发送评价邀请: the window staff's form (halls without integration). The requestId makes the service id, so a
 * double tap or a retry stores one invitation.
 */
export async function inviteFromWindow(
  session: Session,
  windowId: string,
  input: unknown,
  now: Date,
): Promise<{ invitationId: string | null; duplicate: boolean; sendAfter: string }> {
  const body = parseWith(StaffInvitationRequest, input);
  const window = (await getWindows([windowId])).get(windowId);
  if (!window) throw notFound('窗口');
  if (!canAccess(session.grants, ['window_staff', 'handler'], window.path)) throw forbidden();
  const row: ServiceRow = {
    serviceId: `staff-${body.requestId}`,
    windowId,
    matter: body.matter,
    completedAt: now.toISOString(),
    phone: body.phone,
  };
  const stored = await store([{ index: 0, row, window }], 'staff', session.userId, now);
  const s = stored.get(0)!;
  return {
    invitationId: s.invitationId ?? null,
    duplicate: s.status === 'duplicate',
    sendAfter: earliestSendTime(now, quietHours()).toISOString(),
  };
}

const ListQuery = z.strictObject({
  cursor: z.optional(z.string().check(z.maxLength(1024))),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 20),
});

/** The window's invitations for its staff and department: what was sent, never the whole number. */
export async function listWindowInvitations(session: Session, windowId: string, query: unknown) {
  const q = parseWith(ListQuery, query);
  const window = (await getWindows([windowId])).get(windowId);
  if (!window || !canAccess(session.grants, ['window_staff', 'handler', 'inspector', 'operator'], window.path))
    throw notFound('窗口');
  const page = await invitationsOfWindow(windowId, q.cursor, q.limit);
  return {
    items: page.items.map((i) => ({
      id: i.id,
      matter: i.matter,
      phone: maskPhone(decryptPii(i.phone)),
      status: i.status,
      statusLabel: INVITATION_STATUS_LABELS[i.status],
      ...(i.skipReason ? { skipReason: SKIP_REASON_LABELS[i.skipReason] } : {}),
      rated: !!i.ratingId,
      createdAt: i.createdAt,
      sentAt: i.sentAt,
    })),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  };
}
