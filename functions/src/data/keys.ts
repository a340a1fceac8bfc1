/**
 * Every key of the single table, in one place. See README "Access patterns".
 * Index use: gsi1 = registry lists, ratings per window, grants per scope; gsi2 = what a user filed;
 * gsi3 = case lists and due dates (added with the case workflow).
 */
export const K = {
  region: (id: string) => ({ pk: `REGION#${id}`, sk: 'META' }),
  department: (id: string) => ({ pk: `DEPT#${id}`, sk: 'META' }),
  window: (id: string) => ({ pk: `WIN#${id}`, sk: 'META' }),
  enterprise: (id: string) => ({ pk: `ENT#${id}`, sk: 'META' }),
  creditCode: (code: string) => ({ pk: `CREDIT#${code}`, sk: 'META' }),
  code: (codeId: string) => ({ pk: `CODE#${codeId}`, sk: 'META' }),
  user: (userId: string) => ({ pk: `USER#${userId}`, sk: 'META' }),
  grant: (userId: string, role: string, scope: string) => ({ pk: `USER#${userId}`, sk: `GRANT#${role}#${scope}` }),
  request: (userId: string, requestId: string) => ({ pk: `REQ#${userId}#${requestId}`, sk: 'REQ' }),
  oncePerDay: (userId: string, windowId: string, date: string) => ({ pk: `ONCE#${userId}#${windowId}#${date}`, sk: 'ONCE' }),
  rating: (id: string) => ({ pk: `RATING#${id}`, sk: 'META' }),
  rater: (id: string) => ({ pk: `RATING#${id}`, sk: 'RATER' }),
  statDay: (path: string, date: string) => ({ pk: `STAT#${path}`, sk: `D#${date}` }),
  case: (id: string) => ({ pk: `CASE#${id}`, sk: 'META' }),
  timeline: (caseId: string, at: string, seq: string) => ({ pk: `CASE#${caseId}`, sk: `TL#${at}#${seq}` }),
};

/** Secondary-index keys (attribute values), also in one place. */
export const G = {
  windows: (path: string) => ({ gsi1pk: 'WINDOWS', gsi1sk: path }),
  enterprises: (path: string) => ({ gsi1pk: 'ENTERPRISES', gsi1sk: path }),
  departments: (path: string) => ({ gsi1pk: 'DEPTS', gsi1sk: path }),
  regions: (id: string) => ({ gsi1pk: 'REGIONS', gsi1sk: id }),
  grantsInScope: (scope: string, role: string, userId: string) => ({ gsi1pk: `GRANTS#${scope}`, gsi1sk: `${role}#${userId}` }),
  ratingsOfWindow: (windowId: string, createdAt: string) => ({ gsi1pk: `RATINGS#${windowId}`, gsi1sk: createdAt }),
  mine: (userId: string, kind: 'R' | 'C', createdAt: string) => ({ gsi2pk: `MINE#${userId}`, gsi2sk: `${kind}#${createdAt}` }),
};
