import '../domain/grants';
import { issueEnterpriseBindingCodes } from '../domain/binding-code-issue';
import { http } from '../lib/http';

/** POST /v1/binding-codes {requestId, enterpriseIds, delivery} (operators). Its own file: it sends SMS. */
export const issueCodes = http(async (req) => ({
  status: 201,
  body: await issueEnterpriseBindingCodes(await req.session(), req.body, new Date()),
}));
