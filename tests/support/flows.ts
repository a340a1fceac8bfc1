import { PREFECTURE_ID, type RoleGrant } from '@mashang/shared';
import { act } from '../../functions/src/handlers/cases';
import { submit } from '../../functions/src/handlers/scan';
import { submitRating } from '../../functions/src/domain/ratings';
import { call, loginAs, requestId, uniq } from './api';
import { anOfficial, aWindow } from './builders';

/** A window with its own department and region, and the officials of SPEC §5 for them, logged in. */
export async function aScene(opts: { subscribed?: boolean } = {}) {
  const w = await aWindow();
  const region = `${PREFECTURE_ID}/${w.department.regionId}`;
  const mk = async (grants: RoleGrant[]) => {
    const o = await anOfficial(grants, uniq('official-'), { subscribed: opts.subscribed ?? true });
    return { ...o, name: `干部${o.loginCode.slice(-4)}`, token: (await loginAs(o.loginCode)).token };
  };
  return {
    ...w,
    region,
    handler: await mk([{ role: 'handler', scope: w.department.path }]),
    countyInspector: await mk([{ role: 'inspector', scope: region }]),
    staff: await mk([{ role: 'window_staff', scope: w.window.path }]),
    citizen: await loginAs(uniq('citizen-')),
  };
}

/** A 差评 through the handler (now) or the use case (at an injected time). */
export async function aBadRating(
  scene: Awaited<ReturnType<typeof aScene>>,
  opts: { phone?: string; at?: Date; callbackBy?: 'department' | 'inspectors' } = {},
) {
  const body = {
    requestId: requestId(),
    code: scene.code,
    level: 1,
    reasons: ['推诿扯皮'],
    comment: '窗口说材料不全，但没有一次性告知需要什么',
    ...(opts.phone ? { phone: opts.phone } : {}),
    ...(opts.callbackBy ? { callbackBy: opts.callbackBy } : {}),
  };
  if (opts.at) {
    const r = await submitRating({ userId: scene.citizen.userId, grants: [] }, body, opts.at);
    return r.caseId!;
  }
  const r = await call(submit, { token: scene.citizen.token, body });
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  return r.body.caseId as string;
}

export async function doAction(token: string, caseId: string, body: Record<string, unknown>) {
  return call(act, { token, params: { id: caseId }, body: { requestId: requestId(), ...body } });
}

/** The alerts of a case view that went to the scene's own handler and county inspector. */
export function sceneAlerts(
  view: { alerts: ({ recipient: string } & Record<string, any>)[] },
  scene: Awaited<ReturnType<typeof aScene>>,
) {
  return view.alerts.filter(
    (a) => a.recipient.startsWith(scene.handler.name) || a.recipient.startsWith(scene.countyInspector.name),
  );
}
