import '../domain/grants';
import { createApiKey, listKeys, revokeKey } from '../domain/api-keys';
import { invitationView, optOutByToken } from '../domain/invitations';
import { createHash } from 'node:crypto';
import { verifyMachineRequest, type MachineCaller } from '../domain/machine-auth';
import { inviteFromWindow, listWindowInvitations, reportServices } from '../domain/services';
import { httpWrite } from '../domain/idempotency';
import { http } from '../lib/http';

/**
 * POST /v1/services — the service hall's system, signed with its department's API key. Its public contract has no
 * requestId: a batch sent again (same bytes, new signature) is the same request and gets the first answer.
 */
const callers = new WeakMap<object, MachineCaller>();
export const services = httpWrite(200, async (req) => reportServices(callers.get(req)!, req.body, new Date()), {
  principal: async (req) => {
    const caller = await verifyMachineRequest(
      { method: req.method, path: req.path, headers: req.headers, rawBody: req.rawBody },
      new Date(),
    );
    callers.set(req, caller);
    return `apikey:${caller.keyId}`;
  },
  requestId: (req) => createHash('sha256').update(req.rawBody).digest('base64url'),
});

/** POST /v1/windows/{id}/invitations — 发送评价邀请, the window staff's form. */
export const staffInvite = httpWrite(
  201,
  async (req) => inviteFromWindow(await req.session(), req.params.id, req.body, new Date()),
  { keepRequestId: true },
);

/** GET /v1/windows/{id}/invitations — the window's invitations (phones masked), newest first. */
export const windowInvitations = http(async (req) => ({
  body: await listWindowInvitations(await req.session(), req.params.id, req.query),
}));

/** GET /v1/invitations/{token} — the citizen's link. */
export const view = http(async (req) => ({ body: await invitationView(req.params.token, new Date()) }));

/** POST /v1/invitations/{token}/opt-out — 退订 through the link. */
export const optOut = httpWrite(200, async (req) => optOutByToken(req.params.token, new Date()), {
  principal: async (req) => `invitation:${req.params.token}`,
});

/** Operators: POST /v1/api-keys, POST /v1/api-keys/{id}/revoke, GET /v1/api-keys. */
export const createKey = httpWrite(201, async (req) => createApiKey(await req.session(), req.body, new Date()));
export const revoke = httpWrite(200, async (req) => revokeKey(await req.session(), req.params.id, new Date()));
export const keys = http(async (req) => ({ body: await listKeys(await req.session(), req.query) }));
