import { PREFECTURE_ID } from '@mashang/shared';
import { bind, contacts, unbind } from '../../functions/src/handlers/enterprises';
import { issueCodes } from '../../functions/src/handlers/binding-codes';
import { issueBindingCodes } from '../../functions/src/domain/bindings';
import { loadUser } from '../../functions/src/data/users';
import { call, loginAs, requestId, uniq } from '../support/api';
import { anEnterprise, anOfficial, getItem, partition } from '../support/builders';
import { smsMessages } from '../support/standin';

const CREDIT = '91632221MA7XXXXXX0';

async function scene(opts: { contactPhone?: string } = {}) {
  const regionId = uniq('r');
  const ent = await anEnterprise(regionId, opts);
  const op = await anOfficial([{ role: 'operator', scope: `${PREFECTURE_ID}/${regionId}` }]);
  const operator = (await loginAs(op.loginCode)).token;
  const contact = await loginAs(uniq('contact-'));
  return { ...ent, regionId, operator, contact };
}

async function showCode(token: string, enterpriseId: string): Promise<string> {
  const r = await call(issueCodes, {
    token,
    body: { requestId: requestId(), enterpriseIds: [enterpriseId], delivery: 'show' },
  });
  expect(r.status).toBe(201);
  return r.body.items[0].code;
}

const contactsOf = async (enterpriseId: string) =>
  (await partition(`ENT#${enterpriseId}`)).filter((i) => i.type === 'contact');

describe('enterprise contacts bind with a one-time binding code', () => {
  test('when a contact gives the credit code and a fresh binding code, then they are bound and get a token with the enterprise role', async () => {
    const s = await scene();
    const bindingCode = await showCode(s.operator, s.enterprise.id);
    expect(bindingCode).toMatch(/^\d{6}$/);

    const r = await call(bind, {
      token: s.contact.token,
      body: { code: s.code, creditCode: CREDIT.toLowerCase(), bindingCode, name: '王会计' },
    });

    expect(r.status).toBe(201);
    expect(r.body.enterprise).toEqual({ id: s.enterprise.id, name: s.enterprise.name, county: s.enterprise.county });
    expect(r.body.user.roles).toEqual([{ role: 'enterprise', scope: s.enterprise.path }]);
    expect((await loadUser(s.contact.userId)).grants).toEqual([{ role: 'enterprise', scope: s.enterprise.path }]);
    expect(await contactsOf(s.enterprise.id)).toEqual([
      expect.objectContaining({ userId: s.contact.userId, name: '王会计' }),
    ]);
    const code = (await partition(`BINDCODE#enterprise#${s.enterprise.id}`))[0];
    expect(code).toMatchObject({ usedBy: s.contact.userId });
    expect(JSON.stringify(code)).not.toContain(bindingCode);
  });

  test.each([
    ['a wrong credit code', { creditCode: '91632221MA7XXXXXX9' }, 400, 'CREDIT_CODE_MISMATCH'],
    ['a wrong binding code', { bindingCode: 'WRONG' }, 400, 'BINDING_CODE_INVALID'],
    ['a malformed binding code', { bindingCode: '12ab' }, 400, 'VALIDATION_FAILED'],
  ])(
    'when a contact gives %s, then a clear error and nothing is bound',
    async (_n, change: Record<string, string>, status, errorCode) => {
      const s = await scene();
      const bindingCode = await showCode(s.operator, s.enterprise.id);
      const wrong =
        change.bindingCode === 'WRONG'
          ? String((Number(bindingCode) + 1) % 1_000_000).padStart(6, '0')
          : change.bindingCode;

      const r = await call(bind, {
        token: s.contact.token,
        body: { code: s.code, creditCode: CREDIT, bindingCode, ...change, ...(wrong ? { bindingCode: wrong } : {}) },
      });

      expect(r.status).toBe(status);
      expect(r.body.error.code).toBe(errorCode);
      expect(r.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
      expect(await contactsOf(s.enterprise.id)).toEqual([]);
      expect((await loadUser(s.contact.userId)).grants).toEqual([]);
      expect((await partition(`BINDCODE#enterprise#${s.enterprise.id}`))[0].usedAt).toBeUndefined();
    },
  );

  test('when a used binding code is given again by someone else, then BINDING_CODE_USED', async () => {
    const s = await scene();
    const bindingCode = await showCode(s.operator, s.enterprise.id);
    expect(
      (await call(bind, { token: s.contact.token, body: { code: s.code, creditCode: CREDIT, bindingCode } })).status,
    ).toBe(201);
    const other = await loginAs(uniq('contact-'));

    const r = await call(bind, { token: other.token, body: { code: s.code, creditCode: CREDIT, bindingCode } });

    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('BINDING_CODE_USED');
    expect(await contactsOf(s.enterprise.id)).toHaveLength(1);
  });

  test('when a binding code is older than 7 days, then BINDING_CODE_EXPIRED; at 6 days it still works', async () => {
    const s = await scene();
    const old = await issueBindingCodes(
      [{ kind: 'enterprise', id: s.enterprise.id }],
      'op',
      new Date(Date.now() - 7 * 86400_000 - 60_000),
    );
    const recent = await issueBindingCodes(
      [{ kind: 'enterprise', id: s.enterprise.id }],
      'op',
      new Date(Date.now() - 6 * 86400_000),
    );
    if (typeof old === 'string' || typeof recent === 'string') throw new Error(`unexpected ${old} ${recent}`);

    const expired = await call(bind, {
      token: s.contact.token,
      body: { code: s.code, creditCode: CREDIT, bindingCode: old[0].code },
    });
    const ok = await call(bind, {
      token: s.contact.token,
      body: { code: s.code, creditCode: CREDIT, bindingCode: recent[0].code },
    });

    expect(expired.status).toBe(410);
    expect(expired.body.error.code).toBe('BINDING_CODE_EXPIRED');
    expect(ok.status).toBe(201);
  });

  test('when an already bound contact uses a second code, then ALREADY_BOUND and the second code stays unused', async () => {
    const s = await scene();
    await call(bind, {
      token: s.contact.token,
      body: { code: s.code, creditCode: CREDIT, bindingCode: await showCode(s.operator, s.enterprise.id) },
    });
    const second = await showCode(s.operator, s.enterprise.id);

    const r = await call(bind, {
      token: s.contact.token,
      body: { code: s.code, creditCode: CREDIT, bindingCode: second },
    });

    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('ALREADY_BOUND');
    expect((await partition(`BINDCODE#enterprise#${s.enterprise.id}`)).filter((c) => c.usedAt)).toHaveLength(1);
  });

  test('when ten wrong attempts were made against an enterprise, then even the right code is refused with RATE_LIMITED for the hour', async () => {
    const s = await scene();
    const bindingCode = await showCode(s.operator, s.enterprise.id);
    const wrong = String((Number(bindingCode) + 1) % 1_000_000).padStart(6, '0');
    // Several guessers (each user has their own attempt limit too).
    for (let i = 0; i < 10; i++) {
      const guesser = await loginAs(uniq('guesser-'));
      const r = await call(bind, {
        token: guesser.token,
        body: { code: s.code, creditCode: CREDIT, bindingCode: wrong },
      });
      expect(r.body.error.code).toBe('BINDING_CODE_INVALID');
    }

    const r = await call(bind, { token: s.contact.token, body: { code: s.code, creditCode: CREDIT, bindingCode } });

    expect(r.status).toBe(429);
    expect(r.body.error.code).toBe('RATE_LIMITED');
    expect(await contactsOf(s.enterprise.id)).toEqual([]);
  });

  test('when one user keeps trying, then the eleventh attempt within the hour is RATE_LIMITED', async () => {
    const s = await scene();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const other = await anEnterprise(s.regionId);
      const r = await call(bind, {
        token: s.contact.token,
        body: { code: other.code, creditCode: '91632221MA7XXXXXX9', bindingCode: '000000' },
      });
      statuses.push(r.status);
    }
    expect(statuses.slice(0, 10).length).toBeGreaterThan(0);
    expect(statuses.slice(0, 10).every((x) => x === 400)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  test('when an operator sends codes by SMS, then the registry phone gets the code, a retry sends nothing again, and the code binds', async () => {
    const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const s = await scene({ contactPhone: phone });
    const body = { requestId: requestId(), enterpriseIds: [s.enterprise.id], delivery: 'sms' };

    const r1 = await call(issueCodes, { token: s.operator, body });
    const r2 = await call(issueCodes, { token: s.operator, body });

    expect(r1.status).toBe(201);
    expect(r1.body.items[0]).toEqual({
      enterpriseId: s.enterprise.id,
      enterpriseName: s.enterprise.name,
      sentTo: `${phone.slice(0, 3)}****${phone.slice(7)}`,
      validUntil: expect.any(String),
    });
    expect(r2.body).toEqual(r1.body);
    const sms = (await smsMessages()).filter((m) => m.recipient === `+86${phone}`);
    expect(sms).toHaveLength(1);
    expect(await partition(`BINDCODE#enterprise#${s.enterprise.id}`)).toHaveLength(1);
    const bindingCode = sms[0].data[1];
    expect(
      (await call(bind, { token: s.contact.token, body: { code: s.code, creditCode: CREDIT, bindingCode } })).status,
    ).toBe(201);
  });

  test('when someone other than an operator of the scope issues codes or lists contacts, then FORBIDDEN', async () => {
    const s = await scene();
    const outsider = (
      await loginAs((await anOfficial([{ role: 'operator', scope: `${PREFECTURE_ID}/${uniq('r')}` }])).loginCode)
    ).token;
    const r1 = await call(issueCodes, {
      token: outsider,
      body: { requestId: requestId(), enterpriseIds: [s.enterprise.id], delivery: 'show' },
    });
    const r2 = await call(contacts, { token: s.contact.token, params: { id: s.enterprise.id } });
    expect(r1.status).toBe(403);
    expect(r2.status).toBe(403);
    expect(await partition(`BINDCODE#enterprise#${s.enterprise.id}`)).toEqual([]);
  });

  test('when an operator lists and unbinds a contact, then the contact and its grant are gone, and unbinding again is NOT_FOUND', async () => {
    const s = await scene();
    const second = await loginAs(uniq('contact-'));
    await call(bind, {
      token: s.contact.token,
      body: {
        code: s.code,
        creditCode: CREDIT,
        bindingCode: await showCode(s.operator, s.enterprise.id),
        phone: '13912345678',
      },
    });
    await call(bind, {
      token: second.token,
      body: { code: s.code, creditCode: CREDIT, bindingCode: await showCode(s.operator, s.enterprise.id) },
    });

    const list = await call(contacts, { token: s.operator, params: { id: s.enterprise.id } });
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(2);
    expect(list.body.items.find((c: any) => c.userId === s.contact.userId).phone).toBe('139****5678');

    const r1 = await call(unbind, { token: s.operator, params: { id: s.enterprise.id, userId: s.contact.userId } });
    const r2 = await call(unbind, { token: s.operator, params: { id: s.enterprise.id, userId: s.contact.userId } });

    expect(r1.status).toBe(200);
    expect(r2.status).toBe(404);
    expect((await contactsOf(s.enterprise.id)).map((c) => c.userId)).toEqual([second.userId]);
    expect((await loadUser(s.contact.userId)).grants).toEqual([]);
    expect(
      await getItem({ pk: `USER#${s.contact.userId}`, sk: `GRANT#enterprise#${s.enterprise.path}` }),
    ).toBeUndefined();
  });
});
