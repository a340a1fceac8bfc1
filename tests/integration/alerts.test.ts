import { PREFECTURE_ID } from '@mashang/shared';
import { get } from '../../functions/src/handlers/cases';
import { failed } from '../../functions/src/handlers/subscriptions';
import { onStream } from '../../functions/src/handlers/alerts';
import { retryDueAlerts } from '../../functions/src/domain/alerts';
import { call, loginAs } from '../support/api';
import { anOfficial } from '../support/builders';
import { aBadRating, aScene, sceneAlerts } from '../support/flows';
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
