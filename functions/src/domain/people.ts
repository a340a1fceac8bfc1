import {
  canAccess,
  GrantInput,
  PREFECTURE_ID,
  regionPath,
  ROLE_LABELS,
  type Page,
  type PeopleQuery,
  type PersonCreate,
  type PersonView,
  type RoleGrant,
} from '@mashang/shared';
import { createHash } from 'node:crypto';
import type * as z from 'zod/mini';
import {
  bindingItems,
  changePersonGrant,
  createPerson,
  getPerson,
  listPeople,
  type Person,
  type PersonItem,
} from '../data/people';
import { getDepartment } from '../data/registry';
import { loadUser } from '../data/users';
import { decryptPii, encryptPii, maskPhone } from '../lib/crypto';
import { AppError, forbidden, notFound } from '../lib/errors';
import { issueToken, type Session } from '../lib/session';
import { actorOf, auditEntry, recordAudit } from './audit';
import { checkBindingAttempt, issueBindingCodes, redeemBindingCode } from './bindings';

const personIdOf = (userId: string, requestId: string) =>
  `p${createHash('sha256').update(`person\n${userId}\n${requestId}`).digest('hex').slice(0, 26)}`;

function view(p: Person | (PersonItem & { grants?: RoleGrant[] })): PersonView {
  const bound = p as Partial<Person>;
  return {
    id: p.id,
    name: p.name,
    post: p.post,
    phone: maskPhone(decryptPii(p.phone)),
    department: p.department,
    county: p.county,
    path: p.path,
    grants: (p.grants ?? []).map((g) => ({ ...g, roleLabel: ROLE_LABELS[g.role] })),
    ...(bound.userId ? { userId: bound.userId, boundAt: bound.boundAt } : {}),
    createdAt: p.createdAt,
  };
}

/** A grant the operator may give or take: inside their scope. */
function checkGrant(session: Session, g: z.infer<typeof GrantInput>, field: string): RoleGrant {
  if (!canAccess(session.grants, ['operator'], g.scope))
    throw new AppError('FORBIDDEN', '只能在您的管理范围内授予或撤销角色', [
      { path: field, message: '超出您的管理范围' },
    ]);
  return { role: g.role as RoleGrant['role'], scope: g.scope };
}

async function operatorPerson(session: Session, id: string): Promise<Person> {
  const p = /^p[0-9a-z]{26}$/.test(id) ? await getPerson(id) : undefined;
  if (!p || !canAccess(session.grants, ['operator'], p.path)) throw notFound('人员');
  return p;
}

/** POST /v1/people: register an official or window staff in a department, with roles. Same requestId → same person. */
export async function createPersonFor(session: Session, input: PersonCreate, now: Date): Promise<PersonView> {
  const dept = (await getDepartment(input.departmentId)) as
    (Awaited<ReturnType<typeof getDepartment>> & { status?: string }) | undefined;
  if (!dept || dept.status === 'staged' || !canAccess(session.grants, ['operator'], dept.path))
    throw new AppError('VALIDATION_FAILED', '部门不存在或不在您的管理范围内', [
      { path: 'departmentId', message: '部门不存在或不在您的管理范围内' },
    ]);
  const grants = input.grants.map((g, i) => checkGrant(session, g, `grants.${i}.scope`));
  const id = personIdOf(session.userId, input.requestId);
  const existing = await getPerson(id);
  if (existing) return view(existing);
  const actor = actorOf(session, ['operator'], dept.path);
  const item: PersonItem = {
    id,
    name: input.name,
    post: input.post,
    phone: encryptPii(input.phone),
    department: { id: dept.id, name: dept.name },
    county: { id: dept.regionId, name: dept.regionName },
    path: dept.path,
    createdAt: now.toISOString(),
    createdBy: session.userId,
  };
  const target = { kind: 'person' as const, id, name: input.name };
  const audits = [
    auditEntry(
      {
        actor,
        action: 'person.create',
        target,
        scope: dept.path,
        after: { name: input.name, post: input.post, department: dept.id },
      },
      now,
      `person-${id}`,
    ),
    ...grants.map((g, i) =>
      auditEntry({ actor, action: 'role.grant', target, scope: dept.path, after: g }, now, `person-${id}-g${i}`),
    ),
  ];
  if (!(await createPerson(item, grants, audits))) return view((await getPerson(id))!);
  return view({ ...item, grants });
}

/** GET /v1/people: people of a department, a county or the operator's whole scope, paged, by name. */
export async function listPeopleFor(session: Session, q: z.infer<typeof PeopleQuery>): Promise<Page<PersonView>> {
  const mine = session.grants.filter((g) => g.role === 'operator').sort((a, b) => a.scope.length - b.scope.length);
  if (!mine.length) throw forbidden();
  let path = mine[0].scope;
  if (q.departmentId) {
    const d = await getDepartment(q.departmentId);
    if (!d) throw notFound('部门');
    path = d.path;
  } else if (q.county) path = regionPath(q.county);
  if (!canAccess(session.grants, ['operator'], path)) throw forbidden();
  const page = await listPeople(path === PREFECTURE_ID ? PREFECTURE_ID : path, { q: q.q, cursor: q.cursor, limit: 20 });
  // The list shows each person's roles: one Query per person on a page of 20.
  const people = await Promise.all(page.items.map((p) => getPerson(p.id)));
  return {
    items: people.filter((p): p is Person => !!p).map(view),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  };
}

export async function getPersonView(session: Session, id: string): Promise<PersonView> {
  return view(await operatorPerson(session, id));
}

/**
 * POST /v1/people/{id}/grants (add) and POST /v1/people/{id}/grants/revoke (remove): give or take a role within the
 * operator's scope. A bound account's grants change in the same transaction and its grants version moves, so a
 * token issued before a revoke is refused at its next request (lib/session).
 */
export async function changeRole(
  session: Session,
  id: string,
  input: z.infer<typeof GrantInput>,
  change: 'add' | 'remove',
  now: Date,
): Promise<PersonView> {
  const p = await operatorPerson(session, id);
  const g = checkGrant(session, input, 'scope');
  const audit = auditEntry(
    {
      actor: actorOf(session, ['operator'], p.path),
      action: change === 'add' ? 'role.grant' : 'role.revoke',
      target: { kind: 'person', id: p.id, name: p.name },
      scope: p.path,
      ...(change === 'add' ? { before: { grants: p.grants }, after: g } : { before: g }),
    },
    now,
  );
  if (!(await changePersonGrant(p, g, change, audit)))
    throw new AppError('CONFLICT', change === 'add' ? '该人员已有此角色' : '该人员没有此角色');
  return view((await getPerson(id))!);
}

/** POST /v1/people/{id}/binding-code: a one-time 6-digit code (7 days) the person enters after signing in with WeChat. */
export async function issuePersonBindingCode(
  session: Session,
  id: string,
  now: Date,
): Promise<{ personId: string; code: string; validUntil: string }> {
  const p = await operatorPerson(session, id);
  const actor = actorOf(session, ['operator'], p.path);
  const issued = await issueBindingCodes([{ kind: 'official', id: p.id }], session.userId, now);
  if (!Array.isArray(issued)) throw new AppError('CONFLICT', '生成绑定码失败，请重试');
  await recordAudit(
    { actor, action: 'binding.issue', target: { kind: 'person', id: p.id, name: p.name }, scope: p.path },
    now,
  );
  return { personId: p.id, code: issued[0].code, validUntil: issued[0].validUntil };
}

/** POST /v1/people/bind: the signed-in WeChat user becomes this person and gets their roles (a fresh token). */
export async function bindPerson(
  session: Session,
  input: { personId: string; bindingCode: string },
  now: Date,
): Promise<{ token: string; user: { id: string; roles: RoleGrant[] } }> {
  const p = await getPerson(input.personId);
  if (!p) throw new AppError('BINDING_CODE_INVALID', '绑定码不正确，请核对运维人员提供的人员编号和 6 位绑定码');
  const subject = { kind: 'official' as const, id: p.id };
  await checkBindingAttempt(subject, session.userId, now);
  if (p.userId) throw new AppError('ALREADY_BOUND', '该人员已绑定微信账号');
  await redeemBindingCode(
    subject,
    input.bindingCode,
    session.userId,
    now,
    bindingItems(p, session.userId, now.toISOString()),
  );
  await recordAudit(
    {
      actor: { userId: session.userId, role: p.grants[0]?.role ?? 'official', scope: p.path },
      action: 'binding.bind',
      target: { kind: 'person', id: p.id, name: p.name },
      scope: p.path,
    },
    now,
  );
  const { grants, grantsVersion } = await loadUser(session.userId);
  return {
    token: await issueToken({ userId: session.userId, grants, grantsVersion }),
    user: { id: session.userId, roles: grants },
  };
}
