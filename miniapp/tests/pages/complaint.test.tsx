import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import Complaint from '../../src/pages/complaint/index';
import Track from '../../src/pages/track/index';
import { apiError, fakeApi, openWith, stubNavigation, type Handler } from '../support/fake-api';
import { shown, expectShown } from '../support/shown';

const LISTS = {
  positive: { version: '2026-1', items: [{ id: 'P1', text: '主动上门了解企业困难' }] },
  negative: {
    version: '2026-1',
    items: [
      { id: 'N1', text: '接受企业宴请' },
      { id: 'N2', text: '向企业索要财物' },
    ],
  },
};
const ACCEPTED = { status: 201, body: { trackingNo: 'TS20261126-0007', queryCode: 'K7P2-Q9', caseId: 'case-9' } };

function setup(onComplaint: Handler = () => ACCEPTED, params: Record<string, string> = {}) {
  const api = fakeApi({
    'POST /v1/complaints': onComplaint,
    'GET /v1/lists': () => ({ status: 200, body: LISTS }),
  });
  stubNavigation();
  openWith('/pages/complaint/index', params);
  const view = render(<Complaint />);
  return { api, view };
}

const tap = (text: string) => fireEvent.click(screen.getByText(text));
const typeInto = (el: Element, value: string) => fireEvent.input(el, { target: { value } });
const nativeField = (container: HTMLElement, selector: string, index = 0) =>
  waitFor(() => {
    const el = container.querySelectorAll(selector)[index];
    if (!el) throw new Error(`${selector} not rendered yet`);
    return el;
  });

describe('complaint page', () => {
  it('offers exactly the categories of SPEC §2.4', async () => {
    setup();
    for (const c of [
      '为官不为懒政怠政',
      '服务意识不强',
      '审批不规范',
      '行政执法不严格',
      '政策落实中梗阻',
      '违规干预插手',
      '违反负面清单',
      '其他',
    ]) {
      await shown(screen.findByText(c));
    }
  });

  it('when the content is too short, then it is refused with the minimum and the counter shows the length', async () => {
    const { api, view } = setup();
    tap('服务意识不强');
    typeInto(await nativeField(view.container, 'textarea'), '太慢');
    await waitFor(() => expect(screen.getByTestId('content-counter').textContent).toBe('2/2000'));
    tap('提交投诉');
    await shown(screen.findByText('投诉内容至少 5 个字'));
    expect(api.to('POST', '/v1/complaints')).toHaveLength(0);
  });

  it('when an anonymous complaint is accepted, then the tracking number and query code are shown with a copy button and a warning', async () => {
    const { api, view } = setup(undefined, { code: 'wAbc123456.sig0123456789' });
    const copy = jest.spyOn(Taro, 'setClipboardData').mockResolvedValue({ errMsg: 'ok' } as any);
    tap('审批不规范');
    typeInto(await nativeField(view.container, 'textarea'), '窗口要求提供法规未列明的证明材料');
    tap('提交投诉');

    await shown(screen.findByTestId('complaint-result'));
    expect(screen.getByTestId('tracking-no').textContent).toBe('TS20261126-0007');
    expect(screen.getByTestId('query-code').textContent).toBe('K7P2-Q9');
    expectShown(screen.getByText(/查询码只显示这一次/));
    tap('复制投诉编号和查询码');
    expect(copy).toHaveBeenCalledWith({ data: '投诉编号：TS20261126-0007\n查询码：K7P2-Q9' });
    expect(api.to('POST', '/v1/complaints')[0].data).toEqual({
      requestId: expect.stringMatching(/^[A-Za-z0-9_-]{8,64}$/),
      code: 'wAbc123456.sig0123456789',
      category: '审批不规范',
      content: '窗口要求提供法规未列明的证明材料',
      anonymous: true,
    });
  });

  it('when 违反负面清单 is chosen, then an item of the negative list must be cited', async () => {
    const { api, view } = setup();
    tap('违反负面清单');
    await shown(screen.findByText('向企业索要财物'));
    typeInto(await nativeField(view.container, 'textarea'), '检查时暗示企业送礼');
    tap('提交投诉');
    await shown(screen.findByText('请选择违反的负面清单条目'));

    tap('向企业索要财物');
    tap('提交投诉');
    await waitFor(() => expect(api.to('POST', '/v1/complaints')).toHaveLength(1));
    expect(api.to('POST', '/v1/complaints')[0].data).toMatchObject({ category: '违反负面清单', negativeItemId: 'N2' });
  });

  it('when filed under real name, then privacy consent comes first and name and phone are sent', async () => {
    const { api, view } = setup();
    tap('服务意识不强');
    tap('实名投诉');
    tap('同意并继续');
    typeInto(await nativeField(view.container, 'textarea'), '窗口人员长时间玩手机');
    typeInto(await nativeField(view.container, 'input', 0), '张三');
    typeInto(await nativeField(view.container, 'input', 1), '13900139000');
    tap('提交投诉');

    await waitFor(() => expect(api.to('POST', '/v1/complaints')).toHaveLength(1));
    expect(api.to('POST', '/v1/complaints')[0].data).toMatchObject({
      anonymous: false,
      name: '张三',
      phone: '13900139000',
    });
  });

  it('when the server refuses, then its message is shown and the form stays filled', async () => {
    const { view } = setup(() => apiError(429, 'RATE_LIMITED', '提交过于频繁，请稍后再试'));
    tap('其他');
    typeInto(await nativeField(view.container, 'textarea'), '大厅空调损坏一周无人修');
    tap('提交投诉');
    await shown(screen.findByText('提交过于频繁，请稍后再试'));
    expect((view.container.querySelector('textarea') as HTMLTextAreaElement).value).toBe('大厅空调损坏一周无人修');
  });
});

describe('complaint tracking page', () => {
  const PROGRESS = {
    trackingNo: 'TS20261126-0007',
    category: '审批不规范',
    status: 'in_progress',
    createdAt: '2026-11-26T08:00:00Z',
    timeline: [{ type: 'assign', label: '已受理并分派', at: '2026-11-26T09:00:00Z' }],
  };

  it('when number and query code match, then the progress is shown without any identity', async () => {
    const api = fakeApi({ 'GET /v1/complaints/:no': () => ({ status: 200, body: PROGRESS }) });
    openWith('/pages/track/index', { trackingNo: 'TS20261126-0007' });
    const view = render(<Track />);

    typeInto(await nativeField(view.container, 'input', 1), 'K7P2-Q9');
    tap('查询');

    await shown(screen.findByTestId('track-result'));
    expectShown(screen.getByText('处理中'));
    expectShown(screen.getByText('已受理并分派'));
    expect(api.calls[0]).toMatchObject({ path: '/v1/complaints/TS20261126-0007', query: { queryCode: 'K7P2-Q9' } });
    expect(api.calls[0].header.Authorization).toBeUndefined();
  });

  it('when the query code is wrong, then the server message is shown', async () => {
    fakeApi({ 'GET /v1/complaints/:no': () => apiError(404, 'NOT_FOUND', '投诉编号或查询码不正确') });
    openWith('/pages/track/index', {});
    const view = render(<Track />);

    typeInto(await nativeField(view.container, 'input', 0), 'TS1');
    typeInto(await nativeField(view.container, 'input', 1), 'nope');
    tap('查询');

    await shown(screen.findByText('投诉编号或查询码不正确'));
  });

  it('when a field is empty, then it asks for both without calling the API', async () => {
    const api = fakeApi({});
    openWith('/pages/track/index', {});
    render(<Track />);
    tap('查询');
    await shown(screen.findByText('请填写投诉编号和查询码'));
    expect(api.calls).toHaveLength(0);
  });
});
