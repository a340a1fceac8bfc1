import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Calendar } from '../src/pages/Calendar';
import { signedIn, stubApi } from './fetch-stub';
import { renderAt } from './render';
import { expectShown, shown } from '../../miniapp/tests/support/shown';

const field = (el: HTMLElement) => el.querySelector('input') ?? el.querySelector('textarea') ?? el;

const y2027 = {
  year: 2027,
  origin: 'provisional',
  source: '暂定：按《全国年节及纪念日放假办法》推算的法定节假日',
  holidays: [
    { date: '2027-01-01', name: '元旦' },
    { date: '2027-10-01', name: '国庆' },
  ],
  workdays: [],
  version: 0,
  versions: [],
};
const NOTICE = '国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕9号）';

beforeEach(() => localStorage.clear());

describe('节假日日历', () => {
  test('when an inspector opens 2027, then its days show as provisional with their source, and there is nothing to edit', async () => {
    signedIn([{ role: 'inspector', scope: 'haibei' }]);
    const calls = stubApi({ 'GET /calendar/2027': () => ({ body: y2027 }) });
    renderAt('/calendar?year=2027', <Calendar />, '/calendar');

    expectShown(await screen.findByTestId('calendar-origin'));
    expect(screen.getByTestId('calendar-origin').textContent).toBe('暂定（国务院通知尚未发布）');
    expectShown(screen.getByText(/2027 年的国务院节假日安排通知尚未录入/));
    expectShown(screen.getByText('2027-10-01'));
    expectShown(screen.getByText('尚未录入，使用内置数据'));
    expect(screen.queryByRole('button', { name: '录入 / 修改本年度' })).toBeNull();
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /calendar/2027']);
  });

  test("when an operator of the prefecture enters the year's notice, then the days and source are sent from the version shown and the stored version is displayed", async () => {
    signedIn([{ role: 'operator', scope: 'haibei' }]);
    const calls = stubApi({
      'GET /calendar/2027': () => ({ body: y2027 }),
      'POST /calendar/2027': (c) => ({
        body: {
          ...y2027,
          origin: 'stored',
          source: c.body.source,
          holidays: c.body.holidays,
          workdays: c.body.workdays,
          version: 1,
          updatedAt: '2026-12-02T02:00:00Z',
          versions: [
            {
              version: 1,
              source: c.body.source,
              updatedAt: '2026-12-02T02:00:00Z',
              updatedBy: 'u1',
              holidays: 3,
              workdays: 1,
            },
          ],
        },
      }),
    });
    renderAt('/calendar?year=2027', <Calendar />, '/calendar');

    fireEvent.click(await screen.findByRole('button', { name: '录入 / 修改本年度' }));
    await shown(screen.findByText('录入 2027 年节假日'));
    fireEvent.change(field(screen.getByLabelText('来源')), { target: { value: NOTICE } });
    fireEvent.change(field(screen.getByLabelText('放假日期')), {
      target: { value: '2027-01-01 元旦\n2027-10-01 国庆\n\n2027-10-02 国庆' },
    });
    fireEvent.change(field(screen.getByLabelText('调休上班日期')), { target: { value: '2027-09-26 国庆' } });
    fireEvent.click(screen.getByRole('button', { name: '保存' }));

    await waitFor(() => expect(screen.getByTestId('calendar-origin').textContent).toBe('运维录入'));
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.body).toMatchObject({
      baseVersion: 0,
      source: NOTICE,
      holidays: [
        { date: '2027-01-01', name: '元旦' },
        { date: '2027-10-01', name: '国庆' },
        { date: '2027-10-02', name: '国庆' },
      ],
      workdays: [{ date: '2027-09-26', name: '国庆' }],
    });
    expect(post.body.requestId).toMatch(/^calendar-/);
    expectShown(screen.getByText(`来源：${NOTICE}`));
    expectShown(screen.getByText('2027-09-26'));
  });

  test('when the API refuses a day, then its Chinese message shows under the field and the dialog stays open', async () => {
    signedIn([{ role: 'operator', scope: 'haibei' }]);
    stubApi({
      'GET /calendar/2027': () => ({ body: y2027 }),
      'POST /calendar/2027': () => ({
        status: 400,
        body: {
          error: {
            code: 'VALIDATION_FAILED',
            message: '2027-09-27 不是周末，调休上班日应为周六或周日',
            issues: [{ path: 'workdays.0.date', message: '2027-09-27 不是周末，调休上班日应为周六或周日' }],
          },
        },
      }),
    });
    renderAt('/calendar?year=2027', <Calendar />, '/calendar');
    fireEvent.click(await screen.findByRole('button', { name: '录入 / 修改本年度' }));
    fireEvent.change(field(await screen.findByLabelText('来源')), { target: { value: NOTICE } });
    fireEvent.change(field(screen.getByLabelText('调休上班日期')), { target: { value: '2027-09-27 国庆' } });
    fireEvent.click(screen.getByRole('button', { name: '保存' }));

    await waitFor(() => expect(screen.getAllByText('2027-09-27 不是周末，调休上班日应为周六或周日')).toHaveLength(2));
    expectShown(screen.getByText('录入 2027 年节假日'));
  });

  test('when the year fails to load, then the error shows with 重试, which asks again', async () => {
    signedIn([{ role: 'inspector', scope: 'haibei' }]);
    let n = 0;
    stubApi({
      'GET /calendar/2027': () =>
        ++n === 1
          ? { status: 500, body: { error: { code: 'INTERNAL', message: '系统繁忙，请稍后重试' } } }
          : { body: y2027 },
    });
    renderAt('/calendar?year=2027', <Calendar />, '/calendar');
    await shown(screen.findByText('系统繁忙，请稍后重试'));
    fireEvent.click(screen.getByText('重试'));
    expectShown(await screen.findByTestId('calendar-origin'));
  });
});
