import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import CaseDetailPage from '../../../src/officials/pages/case/index';
import {
  apiError,
  deferred,
  fakeApi,
  openWith,
  stubNavigation,
  type Handler,
  type Reply,
} from '../../support/fake-api';
import { COUNTY_INSPECTOR, HANDLER, aDetail, signInAs } from './builders';
import type { CaseDetail } from '../../../src/officials/api';
import { shown, expectShown } from '../../support/shown';

const tap = (text: string) => fireEvent.click(screen.getByText(text));
const typeInto = (el: Element, value: string) => fireEvent.input(el, { target: { value } });
/** The native field inside a Taro H5 input/textarea, found by its placeholder once the web component has rendered it. */
const field = (container: HTMLElement, placeholder: string) =>
  waitFor(() => {
    const el = container.querySelector(`textarea[placeholder="${placeholder}"], input[placeholder="${placeholder}"]`);
    if (!el) throw new Error(`field ${placeholder} not rendered yet`);
    return el as HTMLTextAreaElement;
  });
const submitButton = (label: string) =>
  screen.getByText(new RegExp(`${label}|正在提交`), { selector: 'taro-button-core' });
const ok = (type: string, status = 'in_progress', extra: object = {}): Reply => ({
  status: 200,
  body: { case: { id: 'x', status, version: 2 }, entry: { action: type, at: '2026-11-26T05:00:00Z' }, ...extra },
});
const chooseAction = (label: string) => fireEvent.click(screen.getByText(label, { selector: '.action-btn' }));

function open(detail: CaseDetail, onAction: Handler = (c) => ok(c.data.type), roles = HANDLER) {
  signInAs(roles);
  let current = detail;
  const api = fakeApi({
    'GET /v1/cases/:id': () => ({ status: 200, body: current }),
    'POST /v1/cases/:id/actions': onAction,
  });
  stubNavigation();
  openWith('/officials/pages/case/index', { id: detail.case.id });
  const view = render(<CaseDetailPage />);
  return { api, view, replace: (d: CaseDetail) => (current = d) };
}

describe('case detail', () => {
  it('shows the summary, deadlines, the timeline, each alert state and the letters, and no phone until it is revealed', async () => {
    const detail = aDetail({
      timeline: [
        { action: 'opened', label: '受理', at: '2026-11-26T02:00:00Z', actor: { id: 'system', role: 'system' } },
        {
          action: 'callback',
          label: '电话回访',
          at: '2026-11-26T04:00:00Z',
          actor: { id: 'u9', role: 'handler', name: '李科长' },
          note: '已联系，补件要求已撤回',
        },
      ],
      letters: [
        {
          no: '海北纪提〔2026〕3号',
          recipient: '门源县市场监督管理局',
          issuedAt: '2026-11-26T06:00:00Z',
          pdf: '/v1/cases/x/letters/x.pdf',
        },
      ],
    });
    open(detail);

    await shown(screen.findByText('登记注册科 · 非常不满意'));
    expectShown(screen.getByText(detail.case.id));
    expectShown(screen.getByText('推诿扯皮'));
    expect(screen.queryByTestId('tel')).toBeNull();
    expect(screen.getByTestId('contact').textContent).toContain('查看并拨打');
    expect(screen.getByTestId('contact').textContent).not.toMatch(/\d{3}/);
    const timeline = screen.getByTestId('timeline');
    expect(timeline.textContent).toContain('受理');
    expect(timeline.textContent).toContain('李科长（部门负责人）');
    expect(timeline.textContent).toContain('已联系，补件要求已撤回');
    const alerts = screen.getByTestId('alerts');
    expect(alerts.textContent).toContain('新督办件 → 部门负责人');
    expect(alerts.textContent).toContain('已送达');
    expect(alerts.textContent).toContain('微信订阅消息 · o***x9 · 第 1 次');
    expect(alerts.textContent).toContain('发送失败');
    expect(alerts.textContent).toContain('短信通道超时');
    expect(screen.getByTestId('letters').textContent).toContain('海北纪提〔2026〕3号');
  });

  it('when 查看并拨打 is tapped, then the reason is sent to the audited reveal and the number shows as a tel: link', async () => {
    signInAs(HANDLER);
    const detail = aDetail();
    const api = fakeApi({
      'GET /v1/cases/:id': () => ({ status: 200, body: detail }),
      'POST /v1/cases/:id/contact': () => ({ status: 200, body: { phone: '13800138000' } }),
    });
    stubNavigation();
    openWith('/officials/pages/case/index', { id: detail.case.id });
    render(<CaseDetailPage />);
    await screen.findByText('登记注册科 · 非常不满意');

    fireEvent.click(screen.getByTestId('reveal'));

    const tel = await screen.findByTestId('tel');
    expect(tel.getAttribute('href')).toBe('tel:13800138000');
    const reveals = api.calls.filter((c) => c.method === 'POST' && c.path === `/v1/cases/${detail.case.id}/contact`);
    expect(reveals).toHaveLength(1);
    expect(reveals[0].data).toEqual({ requestId: expect.stringMatching(/^[A-Za-z0-9_-]{8,64}$/), reason: '电话回访' });
  });

  it('when the caller may not reveal the contact, then there is no 查看并拨打 button at all', async () => {
    open(aDetail({ mayRevealContact: false }));
    await screen.findByText('登记注册科 · 非常不满意');
    expect(screen.queryByTestId('contact')).toBeNull();
  });

  it('when the content check flagged the text, then the case shows the flag to officials; an unflagged case shows none', async () => {
    const flagged = open(aDetail({ case: { contentFlag: 'risky' } }));
    expect((await screen.findByTestId('content-flag')).textContent).toMatch(/内容安全/);
    flagged.view.unmount();
    open(aDetail());
    await screen.findByText('登记注册科 · 非常不满意');
    expect(screen.queryByTestId('content-flag')).toBeNull();
  });

  it('when an inspector forwards a complaint (转办), then the text is sent as the forward action', async () => {
    const detail = aDetail({
      case: { source: 'complaint', category: '服务意识不强', summary: '【服务意识不强】', forwarded: false },
      originalText: '窗口人员上班玩手机',
      availableActions: ['forward', 'close'],
    });
    const { api, view } = open(detail, (c) => ok(c.data.type, 'open'), COUNTY_INSPECTOR);
    await shown(screen.findByTestId('original-text'));
    chooseAction('转办');
    typeInto(await field(view.container, '需要部门核查整改的问题（请勿写入投诉人信息）'), '请核查窗口工作纪律');
    tap('提交转办');
    await waitFor(() => expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(1));
    const sent = api.calls.find((c) => c.method === 'POST')!;
    expect(sent.data).toMatchObject({ type: 'forward', text: '请核查窗口工作纪律' });
    expect(sent.data.requestId).toBeTruthy();
  });

  it('offers exactly the actions the API lists for the caller', async () => {
    open(aDetail({ availableActions: ['callback', 'rectification'] }));
    await screen.findByText('登记注册科 · 非常不满意');
    const actions = screen.getByTestId('actions');
    expect(actions.querySelectorAll('.action-btn')).toHaveLength(2);
    expect(actions.textContent).toContain('电话回访');
    expect(actions.textContent).toContain('整改反馈');
    expect(actions.textContent).not.toContain('办结');
  });

  it('when a callback is submitted without saying whether the call got through, then the shared rule message is shown and nothing is sent', async () => {
    const { api, view } = open(aDetail());
    await screen.findByText('登记注册科 · 非常不满意');
    chooseAction('电话回访');
    typeInto(await field(view.container, '回访情况：对方诉求、答复内容等'), '已致电');
    tap('提交电话回访');
    await shown(screen.findByText('请选择是否接通'));
    expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });

  it('when a callback is tapped twice while sending, then one action is sent with a requestId, and the case reloads', async () => {
    const answer = deferred<Reply>();
    const detail = aDetail();
    const { api, view, replace } = open(detail, () => answer.promise);
    await screen.findByText('登记注册科 · 非常不满意');

    chooseAction('电话回访');
    tap('已接通');
    typeInto(await field(view.container, '回访情况：对方诉求、答复内容等'), '已联系评价人，说明补件依据');
    tap('提交电话回访');
    await waitFor(() => expect(submitButton('提交电话回访').textContent).toContain('正在提交'));
    fireEvent.click(submitButton('提交电话回访'));

    replace(aDetail({ case: { ...detail.case, callbackDone: true, version: 2 }, availableActions: ['rectification'] }));
    await act(async () => answer.resolve(ok('callback')));
    await waitFor(() => expect(screen.getByTestId('deadlines').textContent).toContain('已回访'));

    const posts = api.calls.filter((c) => c.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0].path).toBe(`/v1/cases/${detail.case.id}/actions`);
    expect(posts[0].data).toEqual({
      requestId: expect.stringMatching(/^[A-Za-z0-9_-]{8,64}$/),
      type: 'callback',
      reached: true,
      note: '已联系评价人，说明补件依据',
    });
    expect(api.calls.filter((c) => c.method === 'GET')).toHaveLength(2);
    expect(screen.queryByTestId('form-callback')).toBeNull();
  });

  it('when closing as 已整改 is refused (RECTIFICATION_REQUIRED), then the server message is shown and the retry keeps the requestId', async () => {
    let attempt = 0;
    const { api, view } = open(
      aDetail({
        case: { callbackDone: true },
        availableActions: ['callback', 'rectification', 'close', 'reminder_letter', 'reopen'],
      }),
      (c) =>
        ++attempt === 1
          ? apiError(409, 'RECTIFICATION_REQUIRED', '尚未收到整改反馈，不能以“已整改”办结')
          : ok(c.data.type, 'closed'),
      COUNTY_INSPECTOR,
    );
    await screen.findByText('登记注册科 · 非常不满意');
    chooseAction('办结');
    tap('已整改');
    expectShown(screen.getByText('尚未收到整改反馈，不能以“已整改”办结。'));
    typeInto(await field(view.container, '办结说明'), '已整改到位');
    tap('提交办结');
    await shown(screen.findByText('尚未收到整改反馈，不能以“已整改”办结'));

    tap('提交办结');
    await waitFor(() => expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(2));
    const [first, second] = api.calls.filter((c) => c.method === 'POST');
    expect(first.data).toMatchObject({ type: 'close', outcome: '已整改', note: '已整改到位' });
    expect(second.data.requestId).toBe(first.data.requestId);
  });

  it('when a reminder letter is offered after a lapse, then the overdue draft is prefilled; issuing it shows the number and opens the PDF with the token', async () => {
    const detail = aDetail({
      availableActions: ['reminder_letter'],
      timeline: [
        { action: 'opened', label: '受理', at: '2026-11-26T02:00:00Z', actor: { id: 'system', role: 'system' } },
        {
          action: 'overdue',
          label: '逾期提醒',
          at: '2026-11-28T02:00:00Z',
          actor: { id: 'system', role: 'system' },
          data: {
            draftLetter: {
              recipient: '门源县市场监督管理局',
              text: '你单位登记注册科差评件逾期未回访，请于3个工作日内整改。',
            },
          },
        },
      ],
    });
    const { api, view } = open(
      detail,
      () =>
        ok('reminder_letter', 'in_progress', {
          letter: { no: '海北纪提〔2026〕7号', pdf: '/v1/cases/x/letters/7.pdf' },
        }),
      COUNTY_INSPECTOR,
    );
    await screen.findByText('登记注册科 · 非常不满意');
    chooseAction('工作提示函');
    expectShown(screen.getByText('已按逾期情况预填提示函草稿，可修改后制发。'));
    const text = await field(view.container, '提示函正文');
    await waitFor(() => expect(text.value).toBe('你单位登记注册科差评件逾期未回访，请于3个工作日内整改。'));
    tap('提交工作提示函');
    await shown(screen.findByText(/已制发工作提示函 海北纪提〔2026〕7号/));
    expect(api.calls.find((c) => c.method === 'POST')?.data).toMatchObject({
      type: 'reminder_letter',
      recipient: '门源县市场监督管理局',
      text: '你单位登记注册科差评件逾期未回访，请于3个工作日内整改。',
    });

    const tab = { location: { href: '' }, close: jest.fn() };
    window.open = jest.fn(() => tab) as never;
    URL.createObjectURL = jest.fn(() => 'blob:letter-7');
    const fetchMock = jest.fn(async () => ({ ok: true, status: 200, blob: async () => new Blob(['%PDF']) }));
    (globalThis as { fetch: unknown }).fetch = fetchMock;
    tap('查看 PDF ›');
    await waitFor(() => expect(tab.location.href).toBe('blob:letter-7'));
    expect(fetchMock).toHaveBeenCalledWith('http://api.test/v1/cases/x/letters/7.pdf', {
      headers: { Authorization: 'Bearer token-official' },
    });
  });

  it('when a letter is written without an overdue draft, then the form starts from the template filled from the case, names the issuing commission, and the issued text shows on the timeline', async () => {
    const detail = aDetail({ availableActions: ['reminder_letter'] });
    const { view, replace } = open(detail, () => ok('reminder_letter'), COUNTY_INSPECTOR);
    await screen.findByText('登记注册科 · 非常不满意');
    chooseAction('工作提示函');
    expectShown(screen.getByTestId('letter-issuer'));
    expect(screen.getByTestId('letter-issuer').textContent).toContain('以中共门源县纪委监委名义制发');
    const recipient = await field(view.container, '受文单位');
    await waitFor(() => expect(recipient.value).toBe('门源县市场监督管理局'));
    const text = await field(view.container, '提示函正文');
    await waitFor(() => expect(text.value).toContain(`督办件编号 ${detail.case.id}`));
    expect(text.value).toContain('2026年11月26日，群众通过“码上监督”平台对登记注册科提出不满意评价');
    expect(text.value).toContain(`反映：${detail.case.summary}。`);
    expect(text.value).toContain('书面报送中共门源县纪委监委');

    replace({
      ...detail,
      availableActions: [],
      timeline: [
        ...detail.timeline,
        {
          action: 'reminder_letter',
          label: '制发工作提示函',
          at: '2026-11-27T02:00:00Z',
          actor: { id: 'u1', role: 'inspector', name: '马纪检' },
          note: '制发工作提示函 门源纪提〔2026〕3号，受文单位：门源县市场监督管理局',
          data: { no: '门源纪提〔2026〕3号', recipient: '门源县市场监督管理局', text: '请于 3 个工作日内书面报告。' },
        },
      ],
    });
    tap('提交工作提示函');
    const onTimeline = await screen.findByTestId('letter-on-timeline');
    expect(onTimeline.textContent).toBe('致 门源县市场监督管理局：\n请于 3 个工作日内书面报告。');
  });

  it('when an inspector records a 约谈 on an inspectors’ finding, then name, post, date and reason are sent as one interview, and the record shows on the timeline', async () => {
    const detail = aDetail({
      case: {
        source: 'inspection',
        window: undefined,
        level: undefined,
        reasons: undefined,
        hasContact: false,
        summary: '未执行一次性告知制度',
        inspection: { deadlineWorkingDays: 5, openedBy: 'u-official' },
      },
      mayRevealContact: false,
      availableActions: ['assign', 'reminder_letter', 'rectification', 'close', 'interview'],
    });
    const { api, view, replace } = open(detail, (c) => ok(c.data.type, 'open'), COUNTY_INSPECTOR);
    await screen.findByText('门源县市场监督管理局 · 监督检查发现问题');
    expectShown(screen.getByText('监督检查发现问题（限 5 个工作日整改）'));
    expectShown(screen.getByText('监督检查发现的问题，无需回访'));
    chooseAction('约谈');
    // Incomplete: the shared schema's message, nothing sent.
    tap('提交约谈');
    await shown(screen.findByText('请填写被约谈人姓名'));
    expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(0);

    typeInto(await field(view.container, '姓名'), '李明');
    typeInto(await field(view.container, '如：政务服务科科长'), '政务服务科科长');
    const date = await field(view.container, 'YYYY-MM-DD');
    expect(date.value).toMatch(/^\d{4}-\d{2}-\d{2}$/); // today, editable
    typeInto(date, '2026-11-27');
    typeInto(await field(view.container, '约谈事由及要求'), '整改不力');
    replace({
      ...detail,
      timeline: [
        ...detail.timeline,
        {
          action: 'interview',
          label: '约谈',
          at: '2026-11-27T02:00:00Z',
          actor: { id: 'u1', role: 'inspector' },
          note: '约谈李明（政务服务科科长）：整改不力',
          data: { name: '李明', post: '政务服务科科长', date: '2026-11-27', reason: '整改不力' },
        },
      ],
    });
    tap('提交约谈');
    await waitFor(() => expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(1));
    expect(api.calls.find((c) => c.method === 'POST')!.data).toMatchObject({
      type: 'interview',
      name: '李明',
      post: '政务服务科科长',
      date: '2026-11-27',
      reason: '整改不力',
    });
    const record = await screen.findByTestId('interview-on-timeline');
    expect(record.textContent).toBe('被约谈人：李明（政务服务科科长） · 约谈日期：2026-11-27');
  });

  it('when an appeal awaits review, then the inspector sees the decision form and sends stage decide', async () => {
    const { api, view } = open(
      aDetail({
        case: { status: 'appealed', statusLabel: '申诉复核中' },
        availableActions: ['reminder_letter', 'appeal'],
      }),
      undefined,
      COUNTY_INSPECTOR,
    );
    await screen.findByText('申诉复核中');
    chooseAction('申诉复核');
    tap('申诉成立');
    typeInto(await field(view.container, '复核意见'), '经调取录像，评价人未到该窗口办事');
    tap('提交申诉复核');
    await waitFor(() => expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(1));
    expect(api.calls.find((c) => c.method === 'POST')?.data).toMatchObject({
      type: 'appeal',
      stage: 'decide',
      upheld: true,
      note: '经调取录像，评价人未到该窗口办事',
    });
  });

  it('when an action gets a 200 that is not an action result (a crashed local function), then it is not shown as recorded', async () => {
    const { api, view } = open(aDetail({ availableActions: ['rectification'] }), () => ({
      status: 200,
      body: { errorMessage: '[504] - Lambda timeout.', errorType: 'LambdaTimeoutError' },
    }));
    await screen.findByText('登记注册科 · 非常不满意');
    chooseAction('整改反馈');
    typeInto(await field(view.container, '问题原因、整改措施及结果'), '已整改');
    tap('提交整改反馈');
    await shown(screen.findByText('服务暂时不可用，请稍后重试'));
    expectShown(screen.getByTestId('form-rectification'));
    expect(api.calls.filter((c) => c.method === 'GET')).toHaveLength(1);
  });

  it('when the case is outside the caller scope, then the server message is shown', async () => {
    signInAs(HANDLER);
    fakeApi({ 'GET /v1/cases/:id': () => apiError(404, 'NOT_FOUND', '督办件不存在') });
    openWith('/officials/pages/case/index', { id: '20261126-ZZZZZZ' });
    render(<CaseDetailPage />);
    await shown(screen.findByText('督办件不存在'));
  });
});
