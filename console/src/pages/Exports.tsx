import { useRef, useState } from 'react';
import { Alert, Button, DateRangePicker, Radio, Space } from 'tdesign-react';
import { EXPORT_KIND_LABELS, type ExportFormat, type ExportJobView, type ExportKind } from '@mashang/shared';
import { api, ApiError, errorText, newRequestId } from '../api';
import { useScopeSelects } from '../components/ScopeSelects';
import { JobTable, jobStateColumn } from '../components/JobTable';
import { PageHeader } from '../components/PageHeader';

const today = () => new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 10);
const size = (b?: number) =>
  b === undefined ? '' : b < 1024 * 1024 ? `${Math.ceil(b / 1024)} KB` : `${(b / 1048576).toFixed(1)} MB`;

/**
 * 数据导出: ratings, cases, visits or SMS invitations of a county or department and a period, as CSV or xlsx, written
 * by a job outside the request; the list shows progress and, when done, a download link (1 hour).
 */
export function Exports() {
  const { scope: picked, selects } = useScopeSelects();
  const [kind, setKind] = useState<ExportKind>('ratings');
  const [format, setFormat] = useState<ExportFormat>('xlsx');
  const [range, setRange] = useState<string[]>([`${today().slice(0, 7)}-01`, today()]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  // One request id per export asked for: a click again after a lost answer finds the same job.
  const pending = useRef<string | null>(null);

  const scope = picked;
  const ready = range.length === 2 && !!range[0] && !!range[1];
  const start = async () => {
    setBusy(true);
    setError(null);
    pending.current ??= newRequestId();
    try {
      await api<ExportJobView>('/exports', {
        method: 'POST',
        body: { requestId: pending.current, kind, format, ...(scope ? { scope } : {}), from: range[0], to: range[1] },
      });
      pending.current = null;
      setVersion((v) => v + 1);
    } catch (e) {
      setError(errorText(e));
      // A refused request (4xx) will not succeed again unchanged: the next click is a new request.
      if (!(e instanceof ApiError && e.status === 0)) pending.current = null;
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <PageHeader title="数据导出">
        导出本人权限范围内的评价明细、督办件、干部访企或评价短信（CSV 或
        Excel）。导出文件不含任何人的姓名、电话或受理编号； 每次导出都记入审计日志。导出在后台进行，完成后可下载，链接 1
        小时内有效。
      </PageHeader>
      <Space direction="vertical" style={{ marginBottom: 16 }}>
        <Radio.Group value={kind} onChange={(v) => setKind(v as ExportKind)} variant="default-filled">
          {Object.entries(EXPORT_KIND_LABELS).map(([v, l]) => (
            <Radio.Button key={v} value={v}>
              {l}
            </Radio.Button>
          ))}
        </Radio.Group>
        <Space align="center" breakLine>
          {selects}
          <DateRangePicker value={range} onChange={(v) => setRange((v as string[]).map(String))} />
          <Radio.Group value={format} onChange={(v) => setFormat(v as ExportFormat)}>
            <Radio value="xlsx">Excel（xlsx）</Radio>
            <Radio value="csv">CSV</Radio>
          </Radio.Group>
          <Button theme="primary" disabled={!ready} loading={busy} onClick={() => void start()}>
            开始导出
          </Button>
        </Space>
      </Space>
      {error ? <Alert theme="error" message={error} style={{ marginBottom: 12 }} /> : null}
      <JobTable<ExportJobView>
        path="/exports"
        testId="export-jobs"
        empty="还没有导出任务"
        version={version}
        onError={setError}
        downloadLabel={(row) => `下载（${size(row.bytes)}）`}
        runningLabel="导出中…"
        columns={[
          { colKey: 'kindLabel', title: '内容', width: 110 },
          { colKey: 'scopeName', title: '范围', width: 180 },
          { colKey: 'period', title: '期间', width: 200, cell: ({ row }) => `${row.from} 至 ${row.to}` },
          { colKey: 'format', title: '格式', width: 70, cell: ({ row }) => (row.format === 'xlsx' ? 'Excel' : 'CSV') },
          jobStateColumn(100),
          { colKey: 'rows', title: '行数', width: 90 },
        ]}
      />
    </div>
  );
}
