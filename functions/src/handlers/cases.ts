import '../domain/grants';
import { actOnCase } from '../domain/case-actions';
import { getCaseView, listCaseViews } from '../domain/case-views';
import { getCitizenCase } from '../domain/citizen-case';
import { revealContact } from '../domain/contact';
import { openFinding } from '../domain/inspection';
import { httpWrite } from '../domain/idempotency';
import { http } from '../lib/http';
import { CaseIdParams as Id } from '../lib/params';
import { parseWith } from '../lib/validate';

/** GET /v1/cases?status=open|overdue|closed&scope=&cursor= (officials, scoped) */
export const list = http(async (req) => ({ body: await listCaseViews(await req.session(), req.query) }));

/** GET /v1/cases/{id} */
export const get = http(async (req) => ({
  body: await getCaseView(await req.session(), parseWith(Id, req.params).id),
}));

/** POST /v1/cases {requestId, departmentId, windowId?, description, deadlineWorkingDays}: an inspectors' finding. */
export const open = httpWrite(
  201,
  async (req, ticket) => openFinding(await req.session(), req.body, new Date(), ticket),
  {
    keepRequestId: true,
  },
);

/** POST /v1/cases/{id}/actions */
export const act = httpWrite(
  200,
  async (req, ticket) =>
    await actOnCase(await req.session(), parseWith(Id, req.params).id, req.body, new Date(), undefined, ticket),
  { keepRequestId: true },
);

/** GET /v1/me/cases/{id}: the filer's own case — outcome, published summary, citizen-safe timeline, 追评 offer. */
export const mine = http(async (req) => ({
  body: await getCitizenCase(await req.session(), parseWith(Id, req.params).id),
}));

/** POST /v1/cases/{id}/contact {reason}: the filer's phone for those allowed to call, written to the audit trail. */
export const contact = httpWrite(200, async (req) =>
  revealContact(await req.session(), parseWith(Id, req.params).id, req.body, new Date()),
);
