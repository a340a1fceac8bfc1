import { fireEvent, screen, waitFor } from '@testing-library/react';
import { MonthlyReport } from '../src/pages/MonthlyReport';
import { renderAt } from './render';
import { signedIn, stubApi } from './fetch-stub';
import { expectShown, shown } from '../../miniapp/tests/support/shown';

const figures = {
  ratings: 4523,
  citizen: 4000,
  enterprise: 523,
  goodRate: 95.1,
  bad: 3,
  badReplyRate: 66.7,
  invitationsSent: 342,
  visits: 112,
  visitSatisfactionRate: null,
  casesOpened: 5,
  casesClosed: 4,
  overdue: 1,
  letters: 2,
  callbacks: 2,
  interviews: 1,
  inspectionCases: 0,
};
const TEXT =
  '2026年11月，门源回族自治县企业、群众扫码评议4500余人次，推送评价短信340余条，各级干部访企登记接受监督110余次，门源县纪委监委对3件“不满意”评议，制发工作提示函2份、电话回访2次。';
const report = (version: number) => ({
  scope: 'haibei/menyuan',
  scopeName: '门源回族自治县',
  month: '2026-11',
  from: '2026-11-01',
  to: '2026-11-30',
  version,
  generatedAt: '2026-12-01T01:00:00.000Z',
  text: TEXT,
  sentences: [TEXT],
  figures,
  counties: [],
  departments: [{ id: 'menyuan-scjg', name: '门源县市场监督管理局', ...figures }],
  pdf: { url: 'http://127.0.0.1:4569/report.pdf', expiresAt: '2026-12-01T02:00:00.000Z' },
  docx: { url: 'http://127.0.0.1:4569/report.docx', expiresAt: '2026-12-01T02:00:00.000Z' },
});

beforeEach(() => localStorage.clear());

test('when a county inspector opens 月度报告 for a month not yet generated, then 生成报告 generates it and the text, the department table and the PDF and Word links are shown; 重新生成 asks first and sends regenerate', async () => {
  signedIn([{ role: 'inspector', scope: 'haibei/menyuan' }]);
  let stored: number = 0;
  const calls = stubApi({
    'GET /reports/monthly': () =>
      stored
        ? { body: report(stored) }
        : { status: 404, body: { error: { code: 'NOT_FOUND', message: '该月报告尚未生成' } } },
    'POST /reports/monthly': (c) => {
      stored += 1;
      return { status: 201, body: { scope: c.body.scope, month: c.body.month, version: stored, generatedAt: '' } };
    },
    'GET /departments': () => ({ body: { items: [] } }),
  });
  renderAt('/reports', <MonthlyReport />, '/reports');

  await shown(screen.findByText('该月报告尚未生成。'));
  expect(calls.find((c) => c.path === '/reports/monthly')!.query.scope).toBe('haibei/menyuan');
  fireEvent.click(screen.getByText('生成报告'));
  await shown(screen.findByText(TEXT));
  const post = calls.find((c) => c.method === 'POST')!;
  expect(post.body).toMatchObject({ scope: 'haibei/menyuan' });
  expect(post.body.regenerate).toBeUndefined();
  expect(post.body.requestId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  expectShown(screen.getByText('第 1 版'));
  expectShown(screen.getByText('门源县市场监督管理局'));
  expect(screen.getByText('下载 PDF').closest('a')!.getAttribute('href')).toBe('http://127.0.0.1:4569/report.pdf');
  expectShown(screen.getByText('下载 Word'));
  expect(screen.getByText('下载 Word').closest('a')!.getAttribute('href')).toBe('http://127.0.0.1:4569/report.docx');
  // A rate with nothing to divide by is —.
  expectShown(screen.getAllByText('—')[0]);

  fireEvent.click(screen.getByText('重新生成'));
  await shown(screen.findByText(/第 1 版的数字保留在审计日志中/));
  const buttons = screen.getAllByText('重新生成');
  fireEvent.click(buttons[buttons.length - 1]);
  await shown(screen.findByText('第 2 版'));
  const second = calls.filter((c) => c.method === 'POST')[1];
  expect(second.body).toMatchObject({ regenerate: true, scope: 'haibei/menyuan' });
  expect(second.body.requestId).not.toBe(post.body.requestId);
});

test('when the report cannot be read, then the error is shown with 重试; a report answered without a Word link shows only 下载 PDF', async () => {
  signedIn([{ role: 'inspector', scope: 'haibei' }]);
  let fail = true;
  const { docx: _docx, ...withoutWord } = report(1);
  stubApi({
    'GET /reports/monthly': () =>
      fail ? { status: 500, body: { error: { code: 'INTERNAL', message: '服务暂时不可用' } } } : { body: withoutWord },
  });
  renderAt('/reports', <MonthlyReport />, '/reports');
  await shown(screen.findByText('服务暂时不可用'));
  fail = false;
  fireEvent.click(screen.getByText('重试'));
  await waitFor(() => expect(screen.getByTestId('report-text').textContent).toBe(TEXT));
  expectShown(screen.getByText('下载 PDF'));
  expect(screen.queryByText('下载 Word')).toBeNull();
});
