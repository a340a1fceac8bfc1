import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import CaseDetailPage from '../../../src/officials/pages/case/index';
import { fakeApi, openWith, stubNavigation, type Reply } from '../../support/fake-api';
import { COUNTY_INSPECTOR, aDetail, signInAs } from './builders';
import type { CaseDetail } from '../../../src/officials/api';
import { expectShown, shown } from '../../support/shown';

// Issue 15: what officials publish to the rater or complainant with a rectification or a closing.
const tap = (text: string) => fireEvent.click(screen.getByText(text));
const typeInto = (el: Element, value: string) => fireEvent.input(el, { target: { value } });
const field = (container: HTMLElement, placeholder: string) =>
  waitFor(() => {
    const el = container.querySelector(`textarea[placeholder="${placeholder}"]`);
    if (!el) throw new Error(`field ${placeholder} not rendered yet`);
    return el as HTMLTextAreaElement;
  });
const chooseAction = (label: string) => fireEvent.click(screen.getByText(label, { selector: '.action-btn' }));
const ok = (type: string, status: string): Reply => ({
  status: 200,
  body: { case: { id: 'x', status, version: 2 }, entry: { action: type, at: '2026-11-26T05:00:00Z' } },
});

function open(detail: CaseDetail) {
  signInAs(COUNTY_INSPECTOR);
  const api = fakeApi({
    'GET /v1/cases/:id': () => ({ status: 200, body: detail }),
    'POST /v1/cases/:id/actions': (c) => ok(c.data.type, c.data.type === 'close' ? 'closed' : 'rectified'),
  });
  stubNavigation();
  openWith('/officials/pages/case/index', { id: detail.case.id });
  return { api, view: render(<CaseDetailPage />) };
}

describe('publishing to the filer (officials case page)', () => {
  it('when closing with a public note, then it is sent as publicNote beside the internal note', async () => {
    const { api, view } = open(
      aDetail({ case: { callbackDone: true, rectificationReported: true }, availableActions: ['close'] }),
    );
    await screen.findByText('登记注册科 · 非常不满意');
    chooseAction('办结');
    tap('已整改');
    typeInto(await field(view.container, '办结说明'), '内部：已约谈窗口负责人');
    typeInto(
      await field(view.container, '评价人或投诉人可以看到这段文字；不填则只告知办结结果'),
      '感谢您的监督，问题已整改到位',
    );
    tap('提交办结');
    await waitFor(() => expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(1));
    expect(api.calls.find((c) => c.method === 'POST')?.data).toMatchObject({
      type: 'close',
      outcome: '已整改',
      note: '内部：已约谈窗口负责人',
      publicNote: '感谢您的监督，问题已整改到位',
    });
  });

  it('when a rectification is reported without a public summary, then none is sent; a published one shows on the timeline', async () => {
    const { api, view } = open(
      aDetail({
        availableActions: ['rectification'],
        timeline: [
          {
            action: 'rectification',
            label: '整改反馈',
            at: '2026-11-26T04:00:00Z',
            actor: { id: 'u9', role: 'handler', name: '李科长' },
            note: '内部整改报告',
            data: { publicSummary: '已开展一次性告知培训' },
          },
        ],
      }),
    );
    await shown(screen.findByText('向评价人公开：已开展一次性告知培训'));
    chooseAction('整改反馈');
    typeInto(await field(view.container, '问题原因、整改措施及结果'), '已对窗口人员批评教育');
    expectShown(screen.getByText('向评价人公开的整改情况（选填）'));
    tap('提交整改反馈');
    await waitFor(() => expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(1));
    const sent = api.calls.find((c) => c.method === 'POST')?.data;
    expect(sent).toMatchObject({ type: 'rectification', report: '已对窗口人员批评教育' });
    expect(sent.publicSummary).toBeUndefined();
  });
});
