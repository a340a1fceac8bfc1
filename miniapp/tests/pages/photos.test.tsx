import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import Rate from '../../src/pages/rate/index';
import Complaint from '../../src/pages/complaint/index';
import CaseDetailPage from '../../src/officials/pages/case/index';
import WindowRatings from '../../src/officials/pages/window/index';
import Mine from '../../src/pages/mine/index';
import CitizenCase from '../../src/pages/case/index';
import { forgetCodes } from '../../src/api/endpoints';
import { WINDOW_CODE, WINDOW_INFO, fakeApi, openWith, stubNavigation, type Reply } from '../support/fake-api';
import { HANDLER, COUNTY_INSPECTOR, aDetail, signInAs } from './officials/builders';
import { shown, expectShown } from '../support/shown';

// Issue 15 item 7: up to 3 photos on a rating, a complaint and a rectification report, chosen on the device,
// compressed, uploaded straight to storage with the presigned POST, then named by key in the submission.

const key = (n: number) =>
  `uploads/uAbCdEfGhIjKlMnOpQrSt/20261202-0000000${n}-aaaa-4bbb-8ccc-${String(n).padStart(12, '0')}.jpg`;
let issued = 0;
const ticket = (): Reply => {
  issued += 1;
  return {
    status: 201,
    body: {
      url: 'http://127.0.0.1:4569/mashang-dev-files',
      fields: { key: key(issued), 'Content-Type': 'image/jpeg', Policy: 'cG9saWN5', 'X-Amz-Signature': 'sig' },
      key: key(issued),
      maxBytes: 2097152,
      expiresAt: '2026-12-02T10:10:00Z',
    },
  };
};

/** The device: the picker returns these local files; the canvas (H5 compression) is unavailable in jsdom. */
function device(files: string[], upload: (o: Taro.uploadFile.Option) => { statusCode: number; data: string }) {
  jest.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
  const choose = jest.spyOn(Taro, 'chooseImage').mockImplementation((async (o: Taro.chooseImage.Option) => ({
    tempFilePaths: files.slice(0, o.count),
    tempFiles: [],
    errMsg: 'chooseImage:ok',
  })) as unknown as typeof Taro.chooseImage);
  const uploads: Taro.uploadFile.Option[] = [];
  jest.spyOn(Taro, 'uploadFile').mockImplementation(((o: Taro.uploadFile.Option) => {
    uploads.push(o);
    return Promise.resolve({ ...upload(o), errMsg: 'uploadFile:ok' });
  }) as unknown as typeof Taro.uploadFile);
  return { choose, uploads };
}
const stored = () => ({ statusCode: 204, data: '' });

const tap = (text: string) => fireEvent.click(screen.getByText(text));
const addPhoto = () => fireEvent.click(screen.getByTestId('add-photo'));
/** What the thumbnails show: the (compressed) local files. */
const thumbs = (container: HTMLElement) =>
  Array.from(container.querySelectorAll('.photo-thumb img')).map((i) => i.getAttribute('src'));

beforeEach(() => {
  forgetCodes();
  issued = 0;
});

describe('photos on the rating form', () => {
  it('when two photos are chosen and one removed, then each was uploaded with its presigned POST and the rating names the remaining key', async () => {
    const api = fakeApi({
      'GET /v1/codes/:code': () => ({ status: 200, body: WINDOW_INFO }),
      'POST /v1/uploads': ticket,
      'POST /v1/ratings': (c) => ({
        status: 201,
        body: { rating: { id: 'r1', level: c.data.level, createdAt: '2026-12-02T08:00:00Z' }, caseId: null },
      }),
    });
    const nav = stubNavigation();
    const { choose, uploads } = device(['blob:photo-1', 'blob:photo-2'], stored);
    openWith('/pages/rate/index', { code: encodeURIComponent(WINDOW_CODE) });
    const view = render(<Rate />);
    await screen.findByText('不动产登记窗口');
    tap('满意');
    expectShown(screen.getByText('照片（选填）'));

    addPhoto();
    await waitFor(() => expect(view.container.querySelectorAll('.photo-remove')).toHaveLength(2));
    expect(choose).toHaveBeenCalledWith(expect.objectContaining({ count: 3 }));
    expect(api.to('POST', '/v1/uploads').map((c) => c.data)).toEqual([
      { contentType: 'image/jpeg', requestId: expect.any(String) },
      { contentType: 'image/jpeg', requestId: expect.any(String) },
    ]);
    expect(uploads.map((u) => [u.url, u.name, u.filePath, u.formData?.key, u.withCredentials])).toEqual([
      ['http://127.0.0.1:4569/mashang-dev-files', 'file', 'blob:photo-1', key(1), false],
      ['http://127.0.0.1:4569/mashang-dev-files', 'file', 'blob:photo-2', key(2), false],
    ]);
    // Taro's Image sets its src on its next tick: wait for it.
    await waitFor(() => expect(thumbs(view.container)).toEqual(['blob:photo-1', 'blob:photo-2']));

    fireEvent.click(screen.getByLabelText('删除第 1 张照片'));
    await waitFor(() => expect(view.container.querySelectorAll('.photo-remove')).toHaveLength(1));
    tap('提交评价');
    await waitFor(() => expect(nav.redirectTo).toHaveBeenCalled());
    expect(api.to('POST', '/v1/ratings')[0].data).toMatchObject({ level: 4, photos: [key(2)] });
  });

  it('when three photos are on the form, then no more can be added', async () => {
    fakeApi({ 'GET /v1/codes/:code': () => ({ status: 200, body: WINDOW_INFO }), 'POST /v1/uploads': ticket });
    stubNavigation();
    device(['blob:1', 'blob:2', 'blob:3', 'blob:4'], stored);
    openWith('/pages/rate/index', { code: encodeURIComponent(WINDOW_CODE) });
    const view = render(<Rate />);
    await screen.findByText('不动产登记窗口');
    tap('不满意');
    addPhoto();
    await waitFor(() => expect(view.container.querySelectorAll('.photo-remove')).toHaveLength(3));
    expect(screen.queryByTestId('add-photo')).toBeNull();
  });
});

describe('photos on the complaint form', () => {
  it('when storage refuses a photo as too large, then the form says so and the complaint goes without it', async () => {
    const api = fakeApi({
      'GET /v1/lists': () => ({ status: 200, body: { positive: { items: [] }, negative: { items: [] } } }),
      'POST /v1/uploads': ticket,
      'POST /v1/complaints': () => ({
        status: 201,
        body: { trackingNo: 'TS20261202ABCDEF', queryCode: 'K7P2Q9XY', caseId: 'c1' },
      }),
    });
    stubNavigation();
    device(['blob:huge'], () => ({
      statusCode: 400,
      data: '<Error><Code>EntityTooLarge</Code><Message>Your proposed upload exceeds the maximum allowed size</Message></Error>',
    }));
    openWith('/pages/complaint/index');
    const view = render(<Complaint />);
    tap('服务意识不强');
    expectShown(screen.getByText('照片证据（选填）'));
    addPhoto();
    await shown(screen.findByText('照片不能超过 2 MB'));
    expect(view.container.querySelectorAll('.photo-remove')).toHaveLength(0);

    const box = await waitFor(() => {
      const el = view.container.querySelector('textarea');
      if (!el) throw new Error('textarea not rendered yet');
      return el;
    });
    fireEvent.input(box, { target: { value: '窗口人员上班时间玩手机，群众排队无人理会' } });
    tap('提交投诉');
    await shown(screen.findByTestId('complaint-result'));
    expect(api.to('POST', '/v1/complaints')[0].data.photos).toBeUndefined();
  });
});

describe("photos on an official's case", () => {
  const photo = (id: string, by: 'filer' | 'rectification', extra: object = {}) => ({
    id,
    url: `http://127.0.0.1:4569/mashang-dev-files/photos/${id}.jpg?X-Amz-Signature=s`,
    expiresAt: '2026-12-02T10:15:00Z',
    by,
    ...extra,
  });

  it('when WeChat flagged one of the evidence photos, then the inspector sees both, the flagged one marked, and a tap opens the viewer', async () => {
    signInAs(COUNTY_INSPECTOR);
    const detail = aDetail({
      case: { source: 'complaint', category: '服务意识不强', summary: '【服务意识不强】' },
      photos: [
        photo('p1', 'filer', { flag: 'risky' }),
        photo('p2', 'filer'),
        photo('p3', 'rectification', { checking: true }),
      ],
    });
    fakeApi({ 'GET /v1/cases/:id': () => ({ status: 200, body: detail }) });
    stubNavigation();
    const preview = jest.spyOn(Taro, 'previewImage').mockResolvedValue({ errMsg: 'previewImage:ok' } as never);
    openWith('/officials/pages/case/index', { id: detail.case.id });
    render(<CaseDetailPage />);

    await shown(screen.findByText('投诉人提供的照片'));
    expectShown(screen.getByText('整改照片'));
    expectShown(screen.getByText('疑似违规图片'));
    expectShown(screen.getByText('安全检测中'));
    expect(screen.getAllByTestId('photo-flagged')).toHaveLength(1);
    expect(screen.getAllByTestId('photo')).toHaveLength(2);
    fireEvent.click(screen.getAllByTestId('photo')[0]);
    expect(preview).toHaveBeenCalledWith({ current: detail.photos[1].url, urls: detail.photos.map((p) => p.url) });
  });

  it('when a case has no photos, then no photo section is shown', async () => {
    signInAs(HANDLER);
    const detail = aDetail();
    fakeApi({ 'GET /v1/cases/:id': () => ({ status: 200, body: detail }) });
    stubNavigation();
    openWith('/officials/pages/case/index', { id: detail.case.id });
    render(<CaseDetailPage />);
    await shown(screen.findByText('办理过程'));
    expect(screen.queryByTestId('photos')).toBeNull();
  });

  it('when the handler reports the rectification with a photo, then the action names its key', async () => {
    signInAs(HANDLER);
    const detail = aDetail({ availableActions: ['rectification'] });
    const api = fakeApi({
      'GET /v1/cases/:id': () => ({ status: 200, body: detail }),
      'POST /v1/uploads': ticket,
      'POST /v1/cases/:id/actions': () => ({
        status: 200,
        body: {
          case: { id: 'x', status: 'rectified', version: 2 },
          entry: { action: 'rectification', at: '2026-12-02T05:00:00Z' },
        },
      }),
    });
    stubNavigation();
    device(['blob:after'], stored);
    openWith('/officials/pages/case/index', { id: detail.case.id });
    const view = render(<CaseDetailPage />);
    await screen.findByText('办理过程');
    fireEvent.click(screen.getByText('整改反馈', { selector: '.action-btn' }));
    const report = await waitFor(() => {
      const el = view.container.querySelector('textarea[placeholder="问题原因、整改措施及结果"]');
      if (!el) throw new Error('not rendered yet');
      return el;
    });
    fireEvent.input(report, { target: { value: '已张贴一次性告知清单' } });
    expectShown(screen.getByText('整改照片（选填）'));
    addPhoto();
    await waitFor(() => expect(view.container.querySelectorAll('.photo-remove')).toHaveLength(1));
    tap('提交整改反馈');
    await waitFor(() => expect(api.to('POST', `/v1/cases/${detail.case.id}/actions`)).toHaveLength(1));
    expect(api.to('POST', `/v1/cases/${detail.case.id}/actions`)[0].data).toMatchObject({
      type: 'rectification',
      report: '已张贴一次性告知清单',
      photos: [key(1)],
    });
  });
});

describe('photos where ratings are read', () => {
  const link = (id: string) => ({
    id,
    url: `http://127.0.0.1:4569/mashang-dev-files/photos/${id}.jpg?X-Amz-Signature=s`,
    expiresAt: '2026-12-02T10:15:00Z',
    by: 'filer' as const,
  });
  const listed = (container: HTMLElement) =>
    Array.from(container.querySelectorAll('[data-testid="rating-photos"] img')).map((i) => i.getAttribute('src'));

  it("when ratings of a window have photos, then 本窗口评价 shows them and a tap opens the viewer, not the rating's case", async () => {
    signInAs(HANDLER);
    const nav = stubNavigation();
    const preview = jest.spyOn(Taro, 'previewImage').mockResolvedValue({ errMsg: 'previewImage:ok' } as never);
    const photos = [link('p1'), link('p2')];
    fakeApi({
      'GET /v1/windows/:id/ratings': () => ({
        status: 200,
        body: {
          window: {
            id: 'w1',
            name: '登记注册科',
            department: { id: 'menyuan-scjg', name: '门源县市场监督管理局' },
            county: { id: 'menyuan', name: '门源回族自治县' },
          },
          items: [
            {
              id: 'r1',
              level: 4,
              levelLabel: '满意',
              reasons: [],
              comment: '窗口新装了叫号屏',
              createdAt: '2026-12-01T02:00:00Z',
              caseId: null,
              excluded: false,
              photos: [photos[0]],
            },
            {
              id: 'r3',
              level: 1,
              levelLabel: '非常不满意',
              reasons: ['推诿扯皮'],
              createdAt: '2026-12-01T01:00:00Z',
              caseId: '20261201-ABCDEF',
              caseStatus: 'open',
              caseStatusLabel: '待处理',
              excluded: false,
              photos: [photos[1]],
            },
            {
              id: 'r2',
              level: 5,
              levelLabel: '非常满意',
              reasons: [],
              createdAt: '2026-11-30T02:00:00Z',
              caseId: null,
              excluded: false,
            },
          ],
        },
      }),
    });
    openWith('/officials/pages/window/index', { id: 'w1' });
    const view = render(<WindowRatings />);
    await shown(screen.findByText('窗口新装了叫号屏'));
    await waitFor(() => expect(listed(view.container)).toEqual(photos.map((p) => p.url)));
    // Only the rating with photos has a photo row.
    expect(screen.getByTestId('rating-r2').querySelector('[data-testid="rating-photos"]')).toBeNull();
    fireEvent.click(screen.getAllByTestId('rating-photo')[1]);
    expect(preview).toHaveBeenCalledWith({ current: photos[1].url, urls: [photos[1].url] });
    expect(nav.navigateTo).not.toHaveBeenCalled();
    fireEvent.click(screen.getByText('督办件 20261201-ABCDEF'));
    expect(nav.navigateTo).toHaveBeenCalledTimes(1);
  });

  it('when my rating has a photo, then 我的 shows it, and my case view shows the photos I gave', async () => {
    stubNavigation();
    fakeApi({
      'GET /v1/me/ratings': () => ({
        status: 200,
        body: {
          items: [
            {
              id: 'r1',
              level: 4,
              reasons: [],
              createdAt: '2026-12-01T02:00:00Z',
              window: { id: 'w1', name: '社保窗口', departmentName: '门源县人社局', countyName: '门源县' },
              caseId: null,
              photos: [link('p1')],
            },
          ],
        },
      }),
      'GET /v1/me/complaints': () => ({ status: 200, body: { items: [] } }),
      'GET /v1/me/cases/:id': () => ({
        status: 200,
        body: {
          id: 'case-1',
          source: 'rating',
          status: 'open',
          statusLabel: '办理中',
          window: { name: '社保窗口' },
          county: { name: '门源回族自治县' },
          level: 1,
          reasons: ['推诿扯皮'],
          createdAt: '2026-11-20T02:00:00Z',
          timeline: [{ at: '2026-11-20T02:00:00Z', label: '已受理，转交相关部门办理' }],
          followUp: { allowed: false, done: false },
          photos: [link('p7')],
        },
      }),
    });
    const mine = render(<Mine />);
    await shown(screen.findByText('社保窗口'));
    await waitFor(() => expect(listed(mine.container)).toEqual([link('p1').url]));
    mine.unmount();

    openWith('/pages/case/index', { id: 'case-1' });
    const kase = render(<CitizenCase />);
    await shown(screen.findByText('您提供的照片'));
    await waitFor(() => expect(listed(kase.container)).toEqual([link('p7').url]));
  });
});
