import { escalateOverdue } from '../../functions/src/domain/escalation';
import { get } from '../../functions/src/handlers/cases';
import { call } from '../support/api';
import { getItem } from '../support/builders';
import { K } from '../../functions/src/data/keys';
import { aBadRating, aScene, doAction } from '../support/flows';
import { wechatMessages } from '../support/standin';
import { StreamTap } from '../support/stream';

const at = (s: string) => new Date(s);

describe('overdue escalation on the official calendar', () => {
  test('when a 差评 arrives on the eve of 国庆 2026, then nothing is overdue during the holiday; after 10-08 a reminder letter is drafted and inspectors alerted; a second lapse records a 约谈', async () => {
    const s = await aScene();
    const caseId = await aBadRating(s, { at: at('2026-09-30T02:00:00Z') }); // 10:00 China time
    const tap = await new StreamTap().start();

    expect((await getItem(K.case(caseId)))!.callbackDueAt).toBe('2026-10-08T15:59:59.000Z');
    await escalateOverdue(at('2026-10-07T12:00:00Z'));
    expect((await getItem(K.case(caseId)))!.bucket).toBe('open');

    await escalateOverdue(at('2026-10-09T01:00:00Z'));
    await tap.pump();
    let view = await call(get, { token: s.countyInspector.token, params: { id: caseId } });
    expect(view.body.case).toMatchObject({ bucket: 'overdue', overdueStrikes: 1 });
    const overdue = view.body.timeline.find((t: any) => t.action === 'overdue');
    expect(overdue.data.draftLetter.text).toContain(caseId);
    expect(overdue.data.draftLetter.recipient).toBe(s.department.name);
    expect((await wechatMessages(caseId)).some((m) => m.data.phrase5.value === '督办逾期')).toBe(true);
    // 3 working days of grace after Fri 10-09: 10-10 (调休 Saturday), Mon 10-12, Tue 10-13 → due end of 10-13
    expect((await getItem(K.due(caseId)))!.dueAt).toBe('2026-10-13T15:59:59.000Z');

    await escalateOverdue(at('2026-10-13T10:00:00Z'));
    view = await call(get, { token: s.countyInspector.token, params: { id: caseId } });
    expect(view.body.timeline.filter((t: any) => t.action === 'talk')).toHaveLength(0);

    await escalateOverdue(at('2026-10-14T01:00:00Z'));
    await escalateOverdue(at('2026-10-15T01:00:00Z')); // running again changes nothing
    view = await call(get, { token: s.countyInspector.token, params: { id: caseId } });
    expect(view.body.timeline.filter((t: any) => t.action === 'talk')).toHaveLength(1);
    expect(view.body.case.overdueStrikes).toBe(2);
    expect((await getItem(K.due(caseId)))!.gsi1pk).toBeUndefined();
  });

  test('when a callback is made in time before 春节 2026, then the 15-working-day rectification deadline skips the holiday and 调休 counts', async () => {
    const s = await aScene();
    const caseId = await aBadRating(s, { at: at('2026-02-10T02:00:00Z') });
    expect((await getItem(K.case(caseId)))!.rectifyDueAt).toBe('2026-03-09T15:59:59.000Z');
    await doAction(s.handler.token, caseId, { type: 'callback', reached: true, note: '已回访' });

    await escalateOverdue(at('2026-03-09T10:00:00Z'));
    expect((await getItem(K.case(caseId)))!.bucket).toBe('open');
    await escalateOverdue(at('2026-03-10T01:00:00Z'));
    const kase = await getItem(K.case(caseId));
    expect(kase).toMatchObject({ bucket: 'overdue', overdueStrikes: 1 });
  });

  test('when the department reports its rectification in time, then the case never escalates', async () => {
    const s = await aScene();
    const caseId = await aBadRating(s, { at: at('2026-11-02T02:00:00Z') });
    await doAction(s.handler.token, caseId, { type: 'callback', reached: true, note: '已回访' });
    await doAction(s.handler.token, caseId, { type: 'rectification', report: '已整改' });
    await escalateOverdue(at('2027-01-30T01:00:00Z'));
    expect((await getItem(K.case(caseId)))!.overdueStrikes).toBe(0);
  });
});
