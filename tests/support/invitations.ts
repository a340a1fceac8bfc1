import { PREFECTURE_ID } from '@mashang/shared';
import { createKey, services } from '../../functions/src/handlers/invitations';
import { signRequest, type ApiKey } from '../../dev/machine-client';
import { call, loginAs, uniq } from './api';
import { anOfficial, aWindow } from './builders';

/** An operator of the prefecture, logged in. */
export async function anOperator() {
  const o = await anOfficial([{ role: 'operator', scope: PREFECTURE_ID }]);
  return { ...o, token: (await loginAs(o.loginCode)).token };
}

/** A window of a fresh department, and an API key of that department created by an operator through the API. */
export async function aHall() {
  const w = await aWindow();
  const op = await anOperator();
  const r = await call(createKey, { token: op.token, body: { departmentId: w.department.id, name: '青松办' } });
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  return { ...w, key: { keyId: r.body.keyId, secret: r.body.secret } as ApiKey, operator: op };
}

let phoneSeq = Math.floor(Math.random() * 1e7);
/** A fresh mainland mobile number per call, so per-phone caps and opt-outs of other tests stay out of the way. */
export const aPhone = () => `13${String(100000000 + (phoneSeq++ % 899999999)).slice(0, 9)}`;

export function aRow(windowId: string, over: Record<string, unknown> = {}) {
  return {
    serviceId: uniq('BJ-'),
    windowId,
    matter: '营业执照办理',
    completedAt: new Date(Date.now() - 3600000).toISOString(),
    phone: aPhone(),
    ...over,
  };
}

/** POST /v1/services signed with `key` (or with the given signature parts). */
export async function postServices(
  key: ApiKey,
  body: unknown,
  opts: { timestamp?: number; nonce?: string; tamper?: boolean; authorization?: string } = {},
) {
  const raw = JSON.stringify(body);
  const s = signRequest(key, 'POST', '/v1/services', raw, opts);
  const authorization =
    opts.authorization ??
    (opts.tamper
      ? s.authorization.replace(/Signature=(.)/, (_, c) => `Signature=${c === 'a' ? 'b' : 'a'}`)
      : s.authorization);
  const r = await call(services, { method: 'POST', path: '/v1/services', rawBody: raw, headers: { authorization } });
  return { ...r, authorization };
}
