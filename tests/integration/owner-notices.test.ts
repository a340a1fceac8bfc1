import { get } from '../../functions/src/handlers/cases';
import { subscribe } from '../../functions/src/handlers/subscriptions';
import { retryDueAlerts } from '../../functions/src/domain/alerts';
import { getOwner } from '../../functions/src/data/owners';
import { standinOpenid } from '../../dev/standin/identity';
import { call, loginAs, uniq } from '../support/api';
import { aBadRating, aScene, doAction } from '../support/flows';
import { failNext, smsMessages, wechatMessages } from '../support/standin';
import { StreamTap } from '../support/stream';

const RESULT_TEMPLATE = 'Kf3x-case-result-template-06';

/** A scene whose citizen's stand-in login code is known (their openid is what WeChat messages go to). */
async function aSceneWithCitizen() {
  const scene = await aScene();
  const code = uniq('citizen-');
  return { ...scene, citizen: await loginAs(code), citizenOpenid: standinOpenid(code) };
}

/** Callback (the rater left a phone), rectification, then 办结 已整改 by the county inspector. */
async function closeIt(scene: Awaited<ReturnType<typeof aScene>>, caseId: string) {
  for (const [token, body] of [
    [scene.handler.token, { type: 'callback', reached: true, note: '已电话联系评价人' }],
    [scene.handler.token, { type: 'rectification', report: '已对窗口人员开展一次性告知制度培训' }],
    [scene.countyInspector.token, { type: 'close', outcome: '已整改', note: '整改到位' }],
  ] as const) {
    const r = await doAction(token, caseId, body);
    if (r.status !== 200) throw new Error(JSON.stringify(r.body));
  }
}

const ownerAlerts = async (scene: Awaited<ReturnType<typeof aScene>>, caseId: string) =>
  (await call(get, { token: scene.countyInspector.token, params: { id: caseId } })).body.alerts.filter(
    (a: any) => a.recipientRole === 'owner',
  );

describe('处理结果通知: the filer hears when their case closes or is reopened', () => {
  let tap: StreamTap;
  beforeEach(async () => {
    tap = await new StreamTap().start();
  });
  afterEach(async () => {
    await failNext('wechat', 0);
    await failNext('sms', 0);
  });

  test('when a rater who accepted the subscribe message sees their case closed and then rates it 不满意, then they get the WeChat notice each time, shown on the case, and no SMS', async () => {
    const scene = await aSceneWithCitizen();
    const caseId = await aBadRating(scene, { phone: '13800002222' });
    const consent = await call(subscribe, { token: scene.citizen.token, body: { accepted: true, caseId } });
    expect(consent.status).toBe(200);
    expect(consent.body).toEqual({ subscribed: true, caseId });
    expect((await getOwner(caseId))?.noticeAcceptedAt).toBeDefined();
    await tap.pump();
    expect((await wechatMessages(caseId)).filter((m) => m.recipient === scene.citizenOpenid)).toHaveLength(0);

    await closeIt(scene, caseId);
    await tap.pump();

    let mine = (await wechatMessages(caseId)).filter((m) => m.recipient === scene.citizenOpenid);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ template: RESULT_TEMPLATE, page: `pages/case/index?id=${caseId}` });
    expect(mine[0].data.thing3.value).toBe('已办结：已整改');
    expect(mine[0].data.thing2.value).toBe(scene.window.name.slice(0, 20));
    expect((await smsMessages(caseId)).filter((m) => m.recipient === '+8613800002222')).toHaveLength(0);
    expect(await ownerAlerts(scene, caseId)).toEqual([
      expect.objectContaining({ event: 'closed', status: 'sent', channel: 'wechat', recipient: '评价人 138****2222' }),
    ]);

    const followUp = await doAction(scene.citizen.token, caseId, {
      type: 'follow_up',
      satisfied: false,
      comment: '仍然没有一次性告知',
    });
    expect(followUp.status).toBe(200);
    await tap.pump();

    mine = (await wechatMessages(caseId)).filter((m) => m.recipient === scene.citizenOpenid);
    expect(mine.map((m) => m.data.thing3.value).sort()).toEqual(['已办结：已整改', '已重新办理']);
    expect((await ownerAlerts(scene, caseId)).map((a: any) => `${a.event}:${a.status}`).sort()).toEqual([
      'closed:sent',
      'reopened:sent',
    ]);
  });

  test('when a rater left a phone but did not subscribe, then the notice goes by SMS; a redelivered record sends nothing twice', async () => {
    const scene = await aSceneWithCitizen();
    const caseId = await aBadRating(scene, { phone: '13800003333' });
    await call(subscribe, { token: scene.citizen.token, body: { accepted: false, caseId } });
    await closeIt(scene, caseId);
    const { records } = await tap.pump();

    const sms = (await smsMessages(caseId)).filter((m) => m.recipient === '+8613800003333');
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ template: '2046006', data: ['已办结', caseId, '已整改'] });
    expect((await wechatMessages(caseId)).filter((m) => m.recipient === scene.citizenOpenid)).toHaveLength(0);

    const { onStream } = await import('../../functions/src/handlers/alerts');
    expect((await onStream({ Records: records } as any)).batchItemFailures).toEqual([]);
    expect((await smsMessages(caseId)).filter((m) => m.recipient === '+8613800003333')).toHaveLength(1);
    expect(await ownerAlerts(scene, caseId)).toEqual([
      expect.objectContaining({ status: 'sent', channel: 'sms', attempts: 1 }),
    ]);
  });

  test('when the SMS keeps failing, then the notice is retried by the retry job and ends failed, visible on the case', async () => {
    const scene = await aSceneWithCitizen();
    const caseId = await aBadRating(scene, { phone: '13800004444' });
    await closeIt(scene, caseId);
    await failNext('sms', 1000);
    await tap.pump();

    expect(await ownerAlerts(scene, caseId)).toEqual([expect.objectContaining({ status: 'retrying', attempts: 3 })]);
    let t = Date.now();
    for (let i = 0; i < 5; i++) {
      t += 3600_000;
      await retryDueAlerts(() => new Date(t));
    }
    const [notice] = await ownerAlerts(scene, caseId);
    expect(notice).toMatchObject({ status: 'failed', attempts: 8, recipient: '评价人 138****4444' });
    expect(notice.lastError).toMatch(/sms/);

    await failNext('sms', 0);
    expect((await smsMessages(caseId)).filter((m) => m.recipient === '+8613800004444')).toHaveLength(0);
  });

  test('when a rater left no phone and did not subscribe, then no notice is made; consent on a case that is not theirs is refused and changes nothing', async () => {
    const scene = await aSceneWithCitizen();
    const caseId = await aBadRating(scene);
    const stranger = await loginAs(uniq('citizen-'));

    const refused = await call(subscribe, { token: stranger.token, body: { accepted: true, caseId } });
    const bad = await call(subscribe, { token: scene.citizen.token, body: { accepted: true, caseId: '../x' } });
    await doAction(scene.countyInspector.token, caseId, { type: 'close', outcome: '情况不属实', note: '经核实不属实' });
    await tap.pump();

    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe('NOT_FOUND');
    expect(bad.status).toBe(400);
    expect((await getOwner(caseId))?.noticeAcceptedAt).toBeUndefined();
    expect(await ownerAlerts(scene, caseId)).toEqual([]);
  });
});
