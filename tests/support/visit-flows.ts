import { PREFECTURE_ID } from '@mashang/shared';
import { bind } from '../../functions/src/handlers/enterprises';
import { issueCodes } from '../../functions/src/handlers/binding-codes';
import { register } from '../../functions/src/handlers/visits';
import { registerVisit } from '../../functions/src/domain/visits';
import { call, loginAs, requestId, uniq } from './api';
import { aDepartment, anEnterprise, anOfficial } from './builders';

const CREDIT = '91632221MA7XXXXXX0';

/**
 * An enterprise with a bound contact, a department with a visiting official (干部), its handler, and the county's
 * inspector and operator — all in a region of their own, so counters and lists start empty.
 */
export async function aVisitScene(opts: { contactSubscribed?: boolean; contactPhone?: string } = {}) {
  const regionId = uniq('r');
  const region = `${PREFECTURE_ID}/${regionId}`;
  const department = await aDepartment({ regionId });
  const otherDepartment = await aDepartment({ regionId });
  const ent = await anEnterprise(regionId, { contactPhone: '13700001234' });
  const mk = async (grants: Parameters<typeof anOfficial>[0]) => {
    const o = await anOfficial(grants);
    return { ...o, token: (await loginAs(o.loginCode)).token };
  };
  const operator = await mk([{ role: 'operator', scope: region }]);
  const cadre = await mk([{ role: 'visiting_official', scope: department.path }]);
  const otherCadre = await mk([{ role: 'visiting_official', scope: otherDepartment.path }]);
  const handler = await mk([{ role: 'handler', scope: department.path }]);
  const inspector = await mk([{ role: 'inspector', scope: region }]);
  const contact = await bindContact(operator.token, ent.code, ent.enterprise.id, { phone: opts.contactPhone });
  return {
    regionId,
    region,
    department,
    otherDepartment,
    ...ent,
    operator,
    cadre,
    otherCadre,
    handler,
    inspector,
    contact,
  };
}

/** A new user bound to the enterprise through an operator-issued code; their token carries the enterprise role. */
export async function bindContact(
  operatorToken: string,
  code: string,
  enterpriseId: string,
  opts: { phone?: string; name?: string } = {},
) {
  const issued = await call(issueCodes, {
    token: operatorToken,
    body: { requestId: requestId(), enterpriseIds: [enterpriseId], delivery: 'show' },
  });
  const user = await loginAs(uniq('contact-'));
  const r = await call(bind, {
    token: user.token,
    body: {
      code,
      creditCode: CREDIT,
      bindingCode: issued.body.items[0].code,
      name: opts.name ?? '企业联系人',
      ...(opts.phone ? { phone: opts.phone } : {}),
    },
  });
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  return { userId: user.userId, token: r.body.token as string };
}

/** A visit registered now through the handler, or at an injected time through the use case. */
export async function aVisit(
  scene: { code: string },
  cadre: { token: string; userId: string },
  opts: { at?: Date; visitedAt?: string; purpose?: string } = {},
) {
  const body = {
    requestId: requestId(),
    code: scene.code,
    purpose: opts.purpose ?? '解难题',
    note: '协调用电报装',
    companions: ['李明'],
    ...(opts.visitedAt ? { visitedAt: opts.visitedAt } : {}),
  };
  if (opts.at) {
    const { loadUser } = await import('../../functions/src/data/users');
    const { grants } = await loadUser(cadre.userId);
    return (await registerVisit({ userId: cadre.userId, grants }, body, opts.at)).visit;
  }
  const r = await call(register, { token: cadre.token, body });
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  return r.body.visit;
}
