import { reportSentences, roughCount, type ReportFigures } from '@mashang/shared';

const none: ReportFigures = {
  ratings: 0,
  citizen: 0,
  enterprise: 0,
  goodRate: null,
  bad: 0,
  badReplyRate: null,
  invitationsSent: 0,
  visits: 0,
  visitSatisfactionRate: null,
  casesOpened: 0,
  casesClosed: 0,
  overdue: 0,
  letters: 0,
  callbacks: 0,
  interviews: 0,
  inspectionCases: 0,
};

describe('the monthly report text (shared/src/report.ts)', () => {
  test('when the volume figures are rounded, then only digits past the two leading ones are cut and 余 says so', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [7, '7'],
      [99, '99'],
      [100, '100'],
      [112, '110余'],
      [342, '340余'],
      [340, '340'],
      [1234, '1200余'],
      [4523, '4500余'],
      [4500, '4500'],
      [9999, '9900余'],
      [10000, '1万'],
      [12345, '1.2万余'],
      [20000, '2万'],
      [100000, '10万'],
      [123456, '12万余'],
    ];
    expect(cases.map(([n]) => [n, roughCount(n)])).toEqual(cases);
  });

  test("when the prefecture's month has the article's figures, then the text is the article's own paragraph", () => {
    const f = { ...none, ratings: 4523, invitationsSent: 342, visits: 112, bad: 3, letters: 2, callbacks: 2 };
    expect(reportSentences({ scope: 'haibei', scopeName: '海北州', month: '2026-11', figures: f })).toEqual([
      '2026年11月，全州企业、群众扫码评议4500余人次，推送评价短信340余条，各级干部访企登记接受监督110余次，州纪委监委对3件“不满意”评议，制发工作提示函2份、电话回访2次。',
    ]);
  });

  test('when figures are zero, then their clauses are left out; a county names its own commission; nothing at all says so', () => {
    const f = { ...none, ratings: 58, bad: 1, interviews: 2, inspectionCases: 31, casesOpened: 2, goodRate: 96.6 };
    expect(
      reportSentences({ scope: 'haibei/menyuan', scopeName: '门源回族自治县', month: '2026-10', figures: f }),
    ).toEqual([
      '2026年10月，门源回族自治县企业、群众扫码评议58人次，门源县纪委监委对1件“不满意”评议跟踪督办。',
      '门源县纪委监委监督检查发现并督促整改问题31个，约谈相关责任人2人次。',
      '本月新开督办件2件。',
      '好评率96.6%。',
    ]);
    expect(
      reportSentences({
        scope: 'haibei/qilian',
        scopeName: '祁连县',
        month: '2026-12',
        to: '2026-12-02',
        figures: none,
      }),
    ).toEqual(['2026年12月1日至2日，祁连县暂无评议、短信、走访和督办件。']);
  });
});
