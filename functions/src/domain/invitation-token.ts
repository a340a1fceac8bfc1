import { timingSafeEqual } from 'node:crypto';
import { parseInviteToken, parseQuietHours, type QuietHours } from '@mashang/shared';
import { config } from '../config';
import { hmac, piiLookupHash } from '../lib/crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * The invitation of a department's service (办件): `i` + 10 base62 characters (~59 bits) of a keyed hash of
 * (department, service id). One service has exactly one possible invitation, so storing the invitation with
 * `attribute_not_exists` is what accepts each 办件 id once — one item per service, no separate uniqueness record.
 */
export function invitationIdFor(departmentId: string, serviceId: string): string {
  const bytes = hmac(config().CODE_SECRET, `service:v1:${departmentId}\n${serviceId}`);
  return `i${[...bytes.subarray(0, 10)].map((b) => BASE62[b % 62]).join('')}`;
}

const signature = (id: string) => hmac(config().CODE_SECRET, `invite:v1:${id}`).toString('base64url').slice(0, 12);

/** `<id>.<72-bit HMAC>` — 24 characters, fits a 32-character WeChat scene. */
export function invitationToken(id: string): string {
  return `${id}.${signature(id)}`;
}

/** The invitation id when the token is genuine, else null (a tampered link). */
export function verifyInvitationToken(token: string): string | null {
  const p = parseInviteToken(token);
  if (!p) return null;
  const a = Buffer.from(signature(p.id));
  const b = Buffer.from(p.signature);
  return a.length === b.length && timingSafeEqual(a, b) ? p.id : null;
}

/** Lookups by phone (daily cap, opt-out) use a keyed hash: the number itself is stored only encrypted. */
export function phoneHash(phone: string): string {
  return piiLookupHash(`phone:v1:${phone}`).toString('base64url').slice(0, 32);
}

/** The quiet hours in force (INVITE_QUIET_HOURS, default 21:00–08:00 China time). */
export const quietHours = (): QuietHours => parseQuietHours(config().INVITE_QUIET_HOURS);
