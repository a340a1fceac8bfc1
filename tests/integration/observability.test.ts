import '../support/observe-env'; // first: INFO logs and EMF metrics on before lib/logger loads
import type { Context } from 'aws-lambda';
import { PREFECTURE_ID } from '@mashang/shared';
import { buildDepartments, buildOfficials } from '../../dev/demo-data';
import { httpEvent } from '../../dev/http-event';
import { standinOpenid } from '../../dev/standin/identity';
import { userItem, grantItem } from '../../functions/src/data/users';
import { submit as submitComplaint } from '../../functions/src/handlers/complaints';
import { get } from '../../functions/src/handlers/cases';
import { submit as submitRating } from '../../functions/src/handlers/scan';
import { userIdFor } from '../../functions/src/domain/auth';
import { encryptPii } from '../../functions/src/lib/crypto';
import { call, loginAs, requestId, uniq } from '../support/api';
import { aWindow, put } from '../support/builders';
import { doAction } from '../support/flows';
import { failNext } from '../support/standin';
import { StreamTap } from '../support/stream';

/** Everything the process writes while `fn` runs (Powertools writes JSON lines to stdout/stderr). */
async function captured(fn: () => Promise<void>): Promise<string[]> {
  const chunks: string[] = [];
  const grab = (stream: NodeJS.WriteStream) =>
    jest.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }) as never);
  const spies = [grab(process.stdout), grab(process.stderr)];
  try {
    await fn();
  } finally {
    spies.forEach((s) => s.mockRestore());
  }
  return chunks
    .join('')
    .split('\n')
    .filter((l) => l.trim().startsWith('{'));
}

const lambdaContext = (name: string): Context =>
  ({
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws-cn:lambda:cn-northwest-1:000000000000:function:${name}`,
    memoryLimitInMB: '512',
    awsRequestId: `lambda-${uniq()}`,
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 's',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 10000,
  }) as unknown as Context;

describe('observability (Powertools logs and EMF metrics of a realistic run)', () => {
  test('when ratings, a complaint, case actions and alerts run, then every line carries its correlation keys, metrics are emitted, and no phone, name or openid is logged', async () => {
    // Demo officials as `npm start` seeds them (names and phones from dev/demo-data), in a region of this test.
    const demo = buildOfficials(buildDepartments()).slice(0, 4);
    const w = await aWindow();
    const region = `${PREFECTURE_ID}/${w.department.regionId}`;
    const official = async (
      o: (typeof demo)[number],
      loginCode: string,
      scope: string,
      role: 'inspector' | 'handler',
      subscribed: boolean,
      withPhone = true,
    ) => {
      const userId = userIdFor(standinOpenid(loginCode));
      await put(
        userItem({
          userId,
          openid: standinOpenid(loginCode),
          createdAt: new Date().toISOString(),
          subscribed,
          name: o.name,
          ...(withPhone ? { phone: encryptPii(o.phone) } : {}),
        }),
      );
      await put(grantItem(userId, { role, scope }));
      return { loginCode, token: (await loginAs(loginCode)).token };
    };
    const inspector = await official(demo[0], uniq('demo-inspector-'), region, 'inspector', false); // SMS
    await official(demo[1], uniq('demo-handler-'), w.department.path, 'handler', true); // WeChat
    await official(demo[2], uniq('demo-nophone-'), region, 'inspector', false, false); // fails: no consent, no phone
    const citizenCode = uniq('citizen-');
    const citizen = await loginAs(citizenCode);
    const raterPhone = demo[3].phone;
    const complainant = { name: demo[3].name, phone: '13912345678' };
    const tap = await new StreamTap().start();

    let caseId = '';
    const ratingRequestId = requestId();
    const lines = await captured(async () => {
      const event = httpEvent({
        token: citizen.token,
        body: {
          requestId: ratingRequestId,
          code: w.code,
          level: 1,
          reasons: ['推诿扯皮'],
          comment: '材料没有一次性告知',
          phone: raterPhone,
        },
      });
      const res = await submitRating(event, lambdaContext('mashang-jiandu-dev-ratingsSubmit'));
      expect(res.statusCode).toBe(201);
      caseId = JSON.parse(String(res.body)).caseId;
      // The county inspector's SMS times out three times: the rating's alert waits for the retry job. (A batch's cases
      // are dispatched at once, so the complaint's case comes in a batch of its own: the faults hit this alert only.)
      await failNext('sms', 3);
      expect((await tap.pump()).result.batchItemFailures).toEqual([]);
      await failNext('sms', 0);
      const c = await call(submitComplaint, {
        token: citizen.token,
        body: {
          requestId: requestId(),
          code: w.code,
          category: '服务意识不强',
          content: '上班时间玩手机',
          anonymous: false,
          ...complainant,
        },
      });
      expect(c.status).toBe(201);
      expect((await tap.pump()).result.batchItemFailures).toEqual([]);
      expect(
        (await doAction(inspector.token, caseId, { type: 'callback', reached: true, note: '已回访' })).status,
      ).toBe(200);
      expect((await call(get, { token: inspector.token, params: { id: caseId } })).status).toBe(200);
    });

    const logs = lines.map((l) => JSON.parse(l) as Record<string, any>).filter((l) => l.level);
    const emf = lines.map((l) => JSON.parse(l) as Record<string, any>).filter((l) => l._aws);

    // Privacy: not one line holds a phone (in any form), a name or an openid.
    const forbidden = [
      raterPhone,
      complainant.phone,
      ...demo.slice(0, 3).map((o) => o.phone),
      ...demo.map((o) => o.name),
      standinOpenid(citizenCode),
    ];
    expect(lines.length).toBeGreaterThan(5);
    for (const s of forbidden) expect(lines.filter((l) => l.includes(s))).toEqual([]);
    expect(lines.filter((l) => /(?<!\d)1[3-9]\d{9}(?!\d)/.test(l))).toEqual([]);

    // The rating request: Lambda context and correlation keys on its line.
    const rated = logs.find((l) => l.message === 'rating stored');
    expect(rated).toMatchObject({
      function_name: 'mashang-jiandu-dev-ratingsSubmit',
      cold_start: expect.any(Boolean),
      function_request_id: expect.stringMatching(/^lambda-/),
      apiRequestId: expect.any(String),
      requestId: ratingRequestId,
      caseId,
    });
    // Every line of the case's requests and stream records names the case.
    const ofCase = logs.filter((l) => JSON.stringify(l).includes(caseId));
    expect(ofCase.length).toBeGreaterThanOrEqual(4);
    expect(ofCase.every((l) => l.caseId === caseId)).toBe(true);
    const streamLines = logs.filter((l) => l.trigger === 'stream');
    expect(streamLines.length).toBeGreaterThan(0);
    expect(streamLines.every((l) => typeof l.caseId === 'string' && l.eventKind === 'opened')).toBe(true);
    expect(logs.find((l) => l.message === 'case action stored')).toMatchObject({
      caseId,
      requestId: expect.any(String),
      apiRequestId: expect.any(String),
      action: 'callback',
    });

    // Metrics (EMF): ratings, cases opened, alerts sent / retrying / failed.
    const metric = (name: string) =>
      emf
        .filter((m) => m._aws.CloudWatchMetrics[0].Metrics.some((d: { Name: string }) => d.Name === name))
        .reduce(
          (n, m) => n + (Array.isArray(m[name]) ? m[name].reduce((a: number, b: number) => a + b, 0) : m[name]),
          0,
        );
    expect(emf.length).toBeGreaterThan(0);
    expect(emf.every((m) => m._aws.CloudWatchMetrics[0].Namespace === 'MashangJiandu')).toBe(true);
    expect(metric('RatingsSubmitted')).toBe(1);
    expect(metric('CasesOpened')).toBe(2);
    expect(metric('AlertsSent')).toBeGreaterThanOrEqual(2);
    expect(metric('AlertsRetrying')).toBeGreaterThanOrEqual(1);
    expect(metric('AlertsFailed')).toBeGreaterThanOrEqual(2);
  });

  test('when one stream batch holds several cases (dispatched at once), then each line carries its own case, event and record', async () => {
    const windows = await Promise.all([aWindow(), aWindow(), aWindow()]);
    for (const w of windows) {
      // A handler of each window's department, subscribed (WeChat): every case has an alert to send.
      const code = uniq('demo-handler-');
      const userId = userIdFor(standinOpenid(code));
      await put(
        userItem({ userId, openid: standinOpenid(code), createdAt: new Date().toISOString(), subscribed: true }),
      );
      await put(grantItem(userId, { role: 'handler', scope: w.department.path }));
    }
    const tap = await new StreamTap().start();
    const caseIds: string[] = [];
    for (const w of windows) {
      const citizen = await loginAs(uniq('citizen-'));
      const r = await call(submitRating, {
        token: citizen.token,
        body: { requestId: requestId(), code: w.code, level: 1, reasons: ['办事效率低'] },
      });
      expect(r.status).toBe(201);
      caseIds.push(r.body.caseId);
    }
    let records: Awaited<ReturnType<StreamTap['pump']>>['records'] = [];
    const lines = await captured(async () => {
      const pumped = await tap.pump();
      records = pumped.records;
      expect(pumped.result.batchItemFailures).toEqual([]);
    });
    const logs = lines.map((l) => JSON.parse(l) as Record<string, any>).filter((l) => l.level);
    for (const caseId of caseIds) {
      const sequence = records.find(
        (r) => r.dynamodb?.NewImage?.type?.S === 'event' && r.dynamodb.NewImage.caseId?.S === caseId,
      )?.dynamodb?.SequenceNumber;
      expect(sequence).toEqual(expect.any(String));
      const ofCase = logs.filter((l) => JSON.stringify(l).includes(caseId));
      expect(ofCase.some((l) => l.message === 'alert sent')).toBe(true);
      for (const l of ofCase) {
        expect(l).toMatchObject({ trigger: 'stream', caseId, eventKind: 'opened', streamSequence: sequence });
      }
    }
    // And no line of the batch lost its case.
    expect(logs.filter((l) => l.trigger === 'stream' && !caseIds.includes(l.caseId))).toEqual([]);
  });
});
