import { PREFECTURE_ID } from '@mashang/shared';
import { get } from '../../functions/src/handlers/cases';
import { failed } from '../../functions/src/handlers/subscriptions';
import { onStream } from '../../functions/src/handlers/alerts';
import { retryDueAlerts } from '../../functions/src/domain/alerts';
import { db } from '../../functions/src/data/client';
import { userItem } from '../../functions/src/data/users';
import { standinOpenid } from '../../dev/standin/identity';
import { call, loginAs, uniq } from '../support/api';
import { anOfficial, put } from '../support/builders';
import { aBadRating, aScene, doAction, sceneAlerts } from '../support/flows';
import { submit as submitComplaint } from '../../functions/src/handlers/complaints';
import { requestId } from '../support/api';
import { failNext, smsMessages, wechatMessages } from '../support/standin';
import { StreamTap } from '../support/stream';

describe('alerts from the table stream', () => {
  let tap: StreamTap;
  beforeEach(async () => {
    tap = await new StreamTap().start();
  });
  afterEach(async () => {
    await failNext('wechat', 0);
    await failNext('sms', 0);
  });

  test('when a 差评 is filed, then its stream record alerts the department handler and the county and prefecture inspectors by WeChat, once each', async () => {
    const scene = await aScene();
    const caseId = await aBadRating(scene, { phone: '13800001111' });

    const { records } = await tap.pump();

    expect(records.some((r) => r.eventName === 'INSERT' && r.dynamodb?.NewImage?.type?.S === 'event')).toBe(true);
    const msgs = await wechatMessages(caseId);
    const recipients = msgs.map((m) => m.recipient);
    expect(new Set(recipients).size).toBe(recipients.length);
    expect(recipients.length).toBeGreaterThanOrEqual(2);
    expect(msgs[0].data.phrase5.value).toBe('新督办件');
    expect(msgs[0].data.thing2.value).toBe(scene.window.name.slice(0, 20));
    expect(msgs[0].page).toBe(`officials/pages/case/index?id=${caseId}`);
    const view = await call(get, { token: scene.countyInspector.token, params: { id: caseId } });
    const mine = view.body.alerts.filter((a: any) => a.recipientRole === 'handler' || a.recipientRole === 'inspector');
    expect(mine.length).toBe(recipients.length);
    expect(mine.every((a: any) => a.status === 'sent' && a.channel === 'wechat' && a.attempts === 1)).toBe(true);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((a: any) => /\d{3}\*{4}\d{4}/.test(a.recipient))).toBe(true);
    expect(await smsMessages(caseId)).toHaveLength(0);
  });

  test('when a complaint is filed, then only the inspectors are alerted; the department handler hears of it only once an inspector forwards it (转办)', async () => {
    const scene = await aScene();
    const filed = await call(submitComplaint, {
      token: scene.citizen.token,
      body: {
        requestId: requestId(),
        code: scene.code,
        category: '服务意识不强',
        content: '窗口工作人员上班时间玩手机',
        anonymous: true,
      },
    });
    expect(filed.status).toBe(201);
    const caseId = filed.body.caseId;
    await tap.pump();
    const handlerOpenid = standinOpenid(scene.handler.loginCode);
    const inspectorOpenid = standinOpenid(scene.countyInspector.loginCode);
    const first = (await wechatMessages(caseId)).map((m) => m.recipient);
    expect(first).toContain(inspectorOpenid);
    expect(first).not.toContain(handlerOpenid);
    const before = await call(get, { token: scene.countyInspector.token, params: { id: caseId } });
    expect(before.body.alerts.map((a: any) => a.recipientRole)).not.toContain('handler');

    const fwd = await doAction(scene.countyInspector.token, caseId, { type: 'forward', text: '请核查窗口工作纪律' });
    expect(fwd.status).toBe(200);
    await tap.pump();
    const after = (await wechatMessages(caseId)).map((m) => m.recipient);
    expect(after.filter((r) => r === handlerOpenid)).toHaveLength(1);
  });

  test('when the same stream records are delivered again, then no message is sent twice', async () => {
    const scene = await aScene();
    const caseId = await aBadRating(scene);
    const { records } = await tap.pump();
    const before = (await wechatMessages(caseId)).length;

    const again = await onStream({ Records: records } as any);

    expect(again.batchItemFailures).toEqual([]);
    expect(await wechatMessages(caseId)).toHaveLength(before);
    expect(before).toBeGreaterThan(0);
  });

  test('when WeChat fails, then each alert falls back to SMS', async () => {
    const scene = await aScene();
    const caseId = await aBadRating(scene);
    await failNext('wechat', 1000);

    await tap.pump();

    const sms = await smsMessages(caseId);
    expect(sms.length).toBeGreaterThanOrEqual(2);
    expect(sms.every((m) => /^\+861\d{10}$/.test(m.recipient))).toBe(true);
    expect(await wechatMessages(caseId)).toHaveLength(0);
    const view = await call(get, { token: scene.countyInspector.token, params: { id: caseId } });
    const ours = view.body.alerts.filter((a: any) => a.status === 'sent');
    expect(ours.length).toBe(sms.length);
    expect(ours.every((a: any) => a.channel === 'sms')).toBe(true);
  });

  test('when SMS fails twice for officials without WeChat consent, then the failed sends are retried with backoff and every alert is delivered once', async () => {
    const scene = await aScene({ subscribed: false });
    await failNext('sms', 2);
    const caseId = await aBadRating(scene);

    await tap.pump();

    const view = await call(get, { token: scene.countyInspector.token, params: { id: caseId } });
    const handlerAlert = view.body.alerts.find((a: any) => a.recipientRole === 'handler');
    const bySms = view.body.alerts.filter((a: any) => a.channel === 'sms');
    const attempts: number[] = bySms.map((a: any) => a.attempts);
    expect(handlerAlert).toMatchObject({ status: 'sent', channel: 'sms' });
    // each injected failure costs exactly one attempt of one SMS alert; every alert still ends delivered, once
    expect(attempts.reduce((s, n) => s + n, 0)).toBe(attempts.length + 2);
    expect(Math.max(...attempts)).toBeGreaterThanOrEqual(2);
    expect(view.body.alerts.length).toBeGreaterThan(0);
    expect(view.body.alerts.every((a: any) => a.status === 'sent')).toBe(true);
    expect((await smsMessages(caseId)).length).toBe(bySms.length);
  });

  test("when every channel keeps failing, then the alert is retried later and finally ends as failed, visible on the case and in the inspectors' list", async () => {
    const scene = await aScene({ subscribed: false });
    const caseId = await aBadRating(scene);
    await failNext('sms', 1000);

    await tap.pump();
    let view = await call(get, { token: scene.countyInspector.token, params: { id: caseId } });
    expect(sceneAlerts(view.body, scene)).toHaveLength(2);
    expect(sceneAlerts(view.body, scene).every((a: any) => a.status === 'retrying' && a.attempts === 3)).toBe(true);

    // the retry job, run with a clock past each backoff, until the attempts are used up
    let t = Date.now();
    for (let i = 0; i < 5; i++) {
      t += 3600_000;
      await retryDueAlerts(() => new Date(t));
    }
    view = await call(get, { token: scene.countyInspector.token, params: { id: caseId } });
    const ours = sceneAlerts(view.body, scene);
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.every((a: any) => a.status === 'failed' && a.attempts === 8)).toBe(true);
    expect(ours[0].lastError).toMatch(/sms/);
    const list = await call(failed, { token: scene.countyInspector.token });
    expect(list.body.items.filter((i: any) => i.caseId === caseId).length).toBe(ours.length);
  });

  test('when delivery fails once beyond the quick tries, then the retry job delivers it later', async () => {
    const scene = await aScene({ subscribed: false });
    const caseId = await aBadRating(scene);
    await failNext('sms', 3 * 2); // the two SMS recipients' three quick tries each

    await tap.pump();
    await failNext('sms', 0);
    await retryDueAlerts(() => new Date(Date.now() + 3600_000));

    const view = await call(get, { token: scene.countyInspector.token, params: { id: caseId } });
    const ours = sceneAlerts(view.body, scene);
    expect(ours).toHaveLength(2);
    expect(ours.every((a: any) => a.status === 'sent' && a.attempts >= 3)).toBe(true);
    expect(ours.some((a: any) => a.attempts === 4)).toBe(true);
  });

  test('when the prefecture has inspectors, then they are alerted too', async () => {
    const scene = await aScene();
    const prefecture = await anOfficial([{ role: 'inspector', scope: PREFECTURE_ID }]);
    const caseId = await aBadRating(scene);
    await tap.pump();
    const view = await call(get, { token: (await loginAs(prefecture.loginCode)).token, params: { id: caseId } });
    expect(view.body.alerts.map((a: any) => a.recipient)).toEqual(
      expect.arrayContaining([expect.stringContaining(`干部${prefecture.loginCode.slice(-4)}`)]),
    );
  });
});

/**
 * A fault injected into this process's DynamoDB client (what Lambda would see from DynamoDB or a crash): 'throw'
 * before the request, 'throw-after' once DynamoDB has done it (the function died before it saw the answer).
 */
function injectDbFault(
  name: string,
  fault: (input: any) => { output: any } | 'throw' | 'throw-after' | undefined,
): () => void {
  db().middlewareStack.add(
    (next, context) => async (args: any) => {
      const f = context.commandName ? fault({ command: context.commandName, input: args.input }) : undefined;
      if (f === 'throw') throw new Error('injected: the function died here');
      if (f === 'throw-after') {
        await next(args);
        throw new Error('injected: the function died here');
      }
      if (f) return { output: { $metadata: {}, ...f.output }, response: {} } as any;
      return next(args);
    },
    { step: 'initialize', name, priority: 'high', override: true },
  );
  return () => {
    db().middlewareStack.remove(name);
  };
}

describe('an alert is delivered or visibly failed, always', () => {
  let tap: StreamTap;
  beforeEach(async () => {
    tap = await new StreamTap().start();
  });

  test('when the function dies after claiming the alerts, then the redelivered record skips them and the retry job delivers them once their lease has passed', async () => {
    const scene = await aScene();
    const caseId = await aBadRating(scene);
    const records = await tap.read();
    // Die right after each claim: the write that creates and claims the alert is done, then the function dies.
    const heal = injectDbFault('die-after-claim', ({ command, input }) =>
      command === 'UpdateItemCommand' && String(input?.Key?.sk).startsWith('ALERT#') ? 'throw-after' : undefined,
    );
    let first;
    try {
      first = await onStream({ Records: records } as any);
    } finally {
      heal();
    }
    expect(first.batchItemFailures).toHaveLength(1);
    let view = await call(get, { token: scene.countyInspector.token, params: { id: caseId } });
    expect(sceneAlerts(view.body, scene).every((a: any) => a.status === 'sending')).toBe(true);

    const redelivered = await onStream({ Records: records } as any); // within the lease: nothing is sent twice
    expect(redelivered.batchItemFailures).toEqual([]);
    expect(await wechatMessages(caseId)).toHaveLength(0);

    await retryDueAlerts(() => new Date(Date.now() + 61_000));
    view = await call(get, { token: scene.countyInspector.token, params: { id: caseId } });
    const ours = sceneAlerts(view.body, scene);
    expect(ours).toHaveLength(2);
    expect(ours.every((a: any) => a.status === 'sent')).toBe(true);
    const msgs = await wechatMessages(caseId);
    expect(new Set(msgs.map((m) => m.recipient)).size).toBe(msgs.length);
  });

  test("when one recipient's phone cannot be read, then the others are alerted and that one alert fails, visible in the inspectors' list", async () => {
    const scene = await aScene({ subscribed: false });
    const poison = await anOfficial([{ role: 'handler', scope: scene.department.path }], uniq('official-'), {
      subscribed: false,
    });
    await put(
      userItem({
        userId: poison.userId,
        openid: standinOpenid(poison.loginCode),
        createdAt: new Date().toISOString(),
        subscribed: false,
        name: '坏记录',
        phone: 'v2.kgone.AAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB.CCCC',
      }),
    );
    const caseId = await aBadRating(scene);

    const { result } = await tap.pump();

    expect(result.batchItemFailures).toEqual([]);
    const view = await call(get, { token: scene.countyInspector.token, params: { id: caseId } });
    expect(sceneAlerts(view.body, scene).every((a: any) => a.status === 'sent' && a.channel === 'sms')).toBe(true);
    const bad = view.body.alerts.find((a: any) => a.recipient.startsWith('坏记录'));
    expect(bad).toMatchObject({ status: 'failed' });
    expect(bad.lastError).toMatch(/cannot be read/);
    const list = await call(failed, { token: scene.countyInspector.token });
    expect(list.body.items.filter((i: any) => i.caseId === caseId)).toHaveLength(1);
  });

  test('when reading the recipients is throttled beyond the retries, then the record fails (to be delivered again) and once reads succeed everyone is alerted', async () => {
    const scene = await aScene();
    const caseId = await aBadRating(scene);
    const records = await tap.read();
    const throttle = injectDbFault('throttle-batch-get', ({ command, input }) => {
      if (command !== 'BatchGetItemCommand') return undefined;
      const [tableName, req] = Object.entries<any>(input.RequestItems)[0];
      return { output: { Responses: { [tableName]: [] }, UnprocessedKeys: { [tableName]: req } } };
    });
    let first;
    try {
      first = await onStream({ Records: records } as any);
    } finally {
      throttle();
    }
    expect(first.batchItemFailures).toHaveLength(1);
    expect(await wechatMessages(caseId)).toHaveLength(0);

    const again = await onStream({ Records: records } as any);
    expect(again.batchItemFailures).toEqual([]);
    const view = await call(get, { token: scene.countyInspector.token, params: { id: caseId } });
    expect(sceneAlerts(view.body, scene)).toHaveLength(2);
    expect(sceneAlerts(view.body, scene).every((a: any) => a.status === 'sent')).toBe(true);
  });
});
