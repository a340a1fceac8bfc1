import '../domain/grants';
import { AuditQuery } from '@mashang/shared';
import { listAuditTrail } from '../domain/audit';
import { http } from '../lib/http';
import { parseWith } from '../lib/validate';

/** GET /v1/audit?scope=&action=&actor=&targetKind=&targetId=&from=&to=&cursor=&limit= (inspectors, operators) */
export const list = http(async (req) => ({
  body: await listAuditTrail(await req.session(), parseWith(AuditQuery, req.query)),
}));
