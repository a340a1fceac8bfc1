import { useEffect, useRef, useState } from 'react';
import { Button, DatePicker, Dialog, Link, Loading, Space, Table, Tag } from 'tdesign-react';
import {
  PREFECTURE_ID,
  REPORT_COLUMNS,
  reportCell,
  type MonthlyReport as Report,
  type ReportRow,
} from '@mashang/shared';
import { api, ApiError, errorText } from '../api';
import { useScopeSelects } from '../components/ScopeSelects';
import { PageHeader } from '../components/PageHeader';
import { RetryAlert } from '../components/RetryAlert';

const newRequestId = () => `report-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
/** The month before this one (China time): the usual month to report on. */
const lastMonth = () => {
  const d = new Date(Date.now() + 8 * 3600000);
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return d.toISOString().slice(0, 7);
};
const thisMonth = () => new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 7);
const chinaTime = (iso: string) => new Date(Date.parse(iso) + 8 * 3600000).toISOString().slice(0, 16).replace('T', ' ');

const columns = [
  { colKey: 'name', title: '单位', width: 220, fixed: 'left' as const },
  ...REPORT_COLUMNS.map((c) => ({
    colKey: c.key,
    title: c.title,
    align: 'right' as const,
    cell: ({ row }: { row: ReportRow }) => reportCell(row, c),
  })),
];

/**
 * 月度报告: the report of a county, a department or the prefecture for a month, in the words of the Haibei article,
 * with its tables, PDF and Word file. A report is a snapshot: once generated it shows the same figures; 重新生成
 * (confirmed, audited) makes a new version from today's counters.
 */
export function MonthlyReport() {
  const { scope: picked, departmentPending, selects } = useScopeSelects();
  const [month, setMonth] = useState(lastMonth());
  const scope = picked ?? PREFECTURE_ID;

  const [report, setReport] = useState<Report | null>(null);
  const [missing, setMissing] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [attempt, setAttempt] = useState(0);
  // One request id per generation asked for: a click again after a lost answer is the same generation.
  const pending = useRef<string | null>(null);

  useEffect(() => {
    if (departmentPending) return;
    let live = true;
    setLoading(true);
    setError(null);
    setReport(null);
    setMissing(false);
    api<Report>('/reports/monthly', { query: { scope, month } })
      .then((r) => live && setReport(r))
      .catch((e) => {
        if (!live) return;
        if (e instanceof ApiError && e.status === 404) setMissing(true);
        else setError(errorText(e));
      })
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [scope, month, attempt, departmentPending]);

  const generate = async (regenerate: boolean) => {
    setBusy(true);
    setError(null);
    pending.current ??= newRequestId();
    try {
      await api('/reports/monthly', {
        method: 'POST',
        body: { requestId: pending.current, scope, month, ...(regenerate ? { regenerate: true } : {}) },
      });
      pending.current = null;
      setConfirming(false);
      setAttempt((a) => a + 1);
    } catch (e) {
      setError(errorText(e));
      if (!(e instanceof ApiError && e.status === 0)) pending.current = null;
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <PageHeader title="月度报告">
        按月汇总评议、短信、走访和督办情况，文字采用海北州工作通报的写法；评议人次、评价短信和访企登记在 100
        以上时取前两位数并写“余”，其余数字均为实数。报告生成后即为快照，再次打开数字不变；重新生成会产生新版本并记入审计日志。
      </PageHeader>
      <Space align="center" breakLine style={{ marginBottom: 16 }}>
        {selects}
        <DatePicker
          mode="month"
          value={month}
          onChange={(v) => v && setMonth(String(v).slice(0, 7))}
          disableDate={(d) => new Date(d as Date).toISOString().slice(0, 7) > thisMonth()}
          style={{ width: 150 }}
          aria-label="月份"
        />
      </Space>
      <RetryAlert message={error} onRetry={() => setAttempt((a) => a + 1)} />
      {loading ? <Loading text="正在读取报告…" /> : null}
      {missing ? (
        // A plain div carries the test id: TDesign's Space does not pass data-* attributes to the DOM.
        <div data-testid="report-missing">
          <Space direction="vertical">
            <div>该月报告尚未生成。</div>
            <Button theme="primary" loading={busy} onClick={() => void generate(false)}>
              生成报告
            </Button>
          </Space>
        </div>
      ) : null}
      {report ? (
        <div data-testid="report">
          <Space align="center" breakLine style={{ marginBottom: 12 }}>
            <Tag theme="primary" variant="light">
              第 {report.version} 版
            </Tag>
            <span style={{ color: '#666' }}>
              统计期 {report.from} 至 {report.to}，生成于 {chinaTime(report.generatedAt)}
            </span>
            <Link theme="primary" href={report.pdf.url} target="_blank">
              下载 PDF
            </Link>
            {report.docx ? (
              <Link theme="primary" href={report.docx.url} target="_blank">
                下载 Word
              </Link>
            ) : null}
            <Button variant="outline" onClick={() => setConfirming(true)}>
              重新生成
            </Button>
          </Space>
          <p data-testid="report-text" style={{ fontSize: 16, lineHeight: 1.9, textIndent: '2em', maxWidth: 980 }}>
            {report.text}
          </p>
          {report.counties.length ? (
            <>
              <h3>分区县情况</h3>
              <Table rowKey="id" data={report.counties} columns={columns} size="small" bordered />
            </>
          ) : null}
          <h3>分部门情况</h3>
          <Table
            rowKey="id"
            data={report.departments}
            columns={columns}
            size="small"
            bordered
            empty="该范围内没有部门"
          />
        </div>
      ) : null}
      {confirming && report ? (
        <Dialog
          visible
          header="重新生成报告"
          confirmBtn={{ content: '重新生成', loading: busy }}
          onConfirm={() => void generate(true)}
          onClose={() => setConfirming(false)}
        >
          将按当前的统计数据重新计算 {report.scopeName} {report.month} 的报告，生成第 {report.version + 1} 版；第{' '}
          {report.version} 版的数字保留在审计日志中。
        </Dialog>
      ) : null}
    </div>
  );
}
