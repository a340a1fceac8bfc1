import type { CaseEvent } from '../../functions/src/data/cases';
import { dispatchEvent, retryDueAlerts } from '../../functions/src/domain/alerts';
import { encryptPii } from '../../functions/src/lib/crypto';
import { FakeAlertPorts } from '../support/fakes';

const NOW = new Date('2026-03-02T02:00:00.000Z');
const clock = () => NOW;
const DEPT = 'haibei/menyuan/menyuan-scjg';
const event = (kind: CaseEvent['kind'] = 'opened'): CaseEvent => ({
  caseId: '20260302-ABCDEF',
  kind,
  at: '2026-03-02T01:59:00.000Z',
  path: `${DEPT}/w1`,
  source: 'rating',
  summary: '办事效率低',
  windowName: '综合受理窗口1号',
});

function officials() {
  return new FakeAlertPorts()
    .official('u-pref', 'haibei', 'inspector', {
      subscribed: true,
      name: '州纪委干部',
      phone: encryptPii('13900000001'),
    })
    .official('u-county', 'haibei/menyuan', 'inspector', { name: '县纪委干部', phone: encryptPii('13900000002') })
    .official('u-head', DEPT, 'handler', { name: '局长', phone: encryptPii('13900000003') })
    .official('u-other', 'haibei/qilian', 'inspector', { subscribed: true });
}

describe('alert fan-out (dispatchEvent on in-memory ports)', () => {
  test('when a case opens, then the prefecture and county inspectors and the department handler each get one alert, by WeChat if subscribed, else SMS', async () => {
    const ports = officials();
    await dispatchEvent(event(), clock, ports);
    const alerts = [...ports.alerts.values()];
    expect(alerts.map((a) => [a.recipientId, a.recipientRole, a.status, a.channel]).sort()).toEqual([
      ['u-county', 'inspector', 'sent', 'sms'],
      ['u-head', 'handler', 'sent', 'sms'],
      ['u-pref', 'inspector', 'sent', 'wechat'],
    ]);
    expect(ports.sent.map((s) => s.to).sort()).toEqual(['13900000002', '13900000003', 'openid-u-pref']);
    expect(alerts.find((a) => a.recipientId === 'u-county')!.recipientMasked).toBe('县纪委干部 139****0002');
  });

  test('when a case closes, then the department is not alerted', async () => {
    const ports = officials();
    await dispatchEvent(event('closed'), clock, ports);
    expect([...ports.alerts.values()].map((a) => a.recipientId).sort()).toEqual(['u-county', 'u-pref']);
  });

  test('when an official holds two grants on the path, then they get one alert', async () => {
    const ports = officials().official('u-pref', 'haibei/menyuan', 'inspector', { subscribed: true });
    await dispatchEvent(event(), clock, ports);
    expect([...ports.alerts.values()].filter((a) => a.recipientId === 'u-pref')).toHaveLength(1);
  });

  test('when a case opens, then the officials are looked up once, each alert is created and claimed in one write, and no recipient is read again', async () => {
    const ports = officials();
    await dispatchEvent(event(), clock, ports);
    expect(ports.calls).toEqual(['officialsAt', 'openAlert', 'openAlert', 'openAlert']);
  });

  test('when a retrying alert is redelivered by the stream, then it is delivered once more and keeps its attempts', async () => {
    const ports = new FakeAlertPorts().official('u-county', 'haibei/menyuan', 'inspector', {
      phone: encryptPii('13900000002'),
    });
    ports.smsAnswers = [1, 2, 3].map(() => ({ ok: false as const, permanent: false, error: 'InternalError.Timeout' }));
    await dispatchEvent(event(), clock, ports);
    await dispatchEvent(event(), clock, ports);
    expect([...ports.alerts.values()]).toMatchObject([{ status: 'sent', channel: 'sms', attempts: 4 }]);
    expect(ports.sent).toHaveLength(4);
  });

  test('when the stream delivers the same event again, then no alert is created or sent twice', async () => {
    const ports = officials();
    await dispatchEvent(event(), clock, ports);
    const sent = ports.sent.length;
    await dispatchEvent(event(), clock, ports);
    expect(ports.alerts.size).toBe(3);
    expect(ports.sent).toHaveLength(sent);
  });

  test('when WeChat refuses for good, then SMS carries the alert', async () => {
    const ports = officials();
    ports.wechatAnswers = [{ ok: false, permanent: true, error: '43101 user refuse to accept the msg' }];
    await dispatchEvent({ ...event(), path: 'haibei/qilian/x/w' }, clock, ports);
    const a = [...ports.alerts.values()].find((x) => x.recipientId === 'u-pref')!;
    expect(a).toMatchObject({
      status: 'sent',
      channel: 'sms',
      attempts: 1,
      lastError: 'wechat: 43101 user refuse to accept the msg',
    });
  });

  test('when SMS keeps timing out, then the alert waits for the retry job with backoff, and the job delivers it later', async () => {
    const ports = new FakeAlertPorts().official('u-county', 'haibei/menyuan', 'inspector', {
      phone: encryptPii('13900000002'),
    });
    ports.smsAnswers = [1, 2, 3].map(() => ({ ok: false as const, permanent: false, error: 'InternalError.Timeout' }));
    await dispatchEvent(event(), clock, ports);
    const [a] = [...ports.alerts.values()];
    expect(a).toMatchObject({ status: 'retrying', attempts: 3, nextAttemptAt: '2026-03-02T02:00:30.000Z' });
    expect(await retryDueAlerts(() => new Date('2026-03-02T02:00:10.000Z'), ports)).toBe(0);
    expect(await retryDueAlerts(() => new Date('2026-03-02T02:00:31.000Z'), ports)).toBe(1);
    // The retry job has no official at hand: it claims the stored alert and reads its recipient.
    expect(ports.calls.slice(-2)).toEqual(['claimAlert', 'getUser']);
    expect([...ports.alerts.values()][0]).toMatchObject({ status: 'sent', channel: 'sms', attempts: 4 });
  });

  test('when an official has neither consent nor phone, then the alert fails at once and is listed as failed', async () => {
    const ports = new FakeAlertPorts().official('u-nophone', 'haibei', 'inspector');
    await dispatchEvent(event(), clock, ports);
    expect([...ports.alerts.values()][0]).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: 'sms: no phone on record',
    });
    expect(ports.sent).toHaveLength(0);
  });
});
