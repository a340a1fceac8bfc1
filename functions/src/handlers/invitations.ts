import '../domain/grants';
import { createApiKey, listKeys, revokeKey } from '../domain/api-keys';
import { invitationView, optOutByToken } from '../domain/invitations';
import { verifyMachineRequest } from '../domain/machine-auth';
import { inviteFromWindow, listWindowInvitations, reportServices } from '../domain/services';
import { http } from '../lib/http';

/** POST /v1/services — the service hall's system, signed with its department's API key. */
export const services = http(async (req) => {
  const now = new Date();
  const caller = await verifyMachineRequest(
    { method: req.method, path: req.path, headers: req.headers, rawBody: req.rawBody },
    now,
  );
  return { body: await reportServices(caller, req.body, now) };
});

/** POST /v1/windows/{id}/invitations — 发送评价邀请, the window staff's form. */
export const staffInvite = http(async (req) => ({
  status: 201,
  body: await inviteFromWindow(await req.session(), req.params.id, req.body, new Date()),
}));

/** GET /v1/windows/{id}/invitations — the window's invitations (phones masked), newest first. */
export const windowInvitations = http(async (req) => ({
  body: await listWindowInvitations(await req.session(), req.params.id, req.query),
}));

/** GET /v1/invitations/{token} — the citizen's link. */
export const view = http(async (req) => ({ body: await invitationView(req.params.token, new Date()) }));

/** POST /v1/invitations/{token}/opt-out — 退订 through the link. */
export const optOut = http(async (req) => ({ body: await optOutByToken(req.params.token, new Date()) }));

/** Operators: POST /v1/api-keys, POST /v1/api-keys/{id}/revoke, GET /v1/api-keys. */
export const createKey = http(async (req) => ({
  status: 201,
  body: await createApiKey(await req.session(), req.body, new Date()),
}));
export const revoke = http(async (req) => ({ body: await revokeKey(await req.session(), req.params.id, new Date()) }));
export const keys = http(async (req) => ({ body: await listKeys(await req.session(), req.query) }));
