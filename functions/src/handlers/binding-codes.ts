import '../domain/grants';
import { issueEnterpriseBindingCodes } from '../domain/binding-code-issue';
import { httpWrite } from '../domain/idempotency';

/** POST /v1/binding-codes {requestId, enterpriseIds, delivery} (operators). Its own file: it sends SMS. */
export const issueCodes = httpWrite(
  201,
  async (req, ticket) => issueEnterpriseBindingCodes(await req.session(), req.body, new Date(), ticket),
  { keepRequestId: true },
);
