import { useCallback, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Alert, Button, Dialog, Input, Select, Space, Table, Tag, Textarea } from 'tdesign-react';
import {
  CALENDAR_ORIGIN_LABELS,
  PREFECTURE_ID,
  type CalendarOrigin,
  type CalendarVersionView,
  type CalendarYearView,
} from '@mashang/shared';
import { api, ApiError, errorText } from '../api';
import { useAuth } from '../auth';
import { PageHeader } from '../components/PageHeader';
import { RetryAlert } from '../components/RetryAlert';

const originTheme: Record<CalendarOrigin, 'success' | 'primary' | 'warning' | 'default'> = {
  stored: 'success',
  official: 'primary',
  provisional: 'warning',
  none: 'default',
};
const WEEKDAYS = '日一二三四五六';
const weekday = (date: string) => `星期${WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]}`;
const thisYear = () => new Date(Date.now() + 8 * 3600000).getUTCFullYear();
const time = (iso?: string) => (iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false }) : '');
const newRequestId = () => `calendar-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

type Day = { date: string; name: string };
const dayColumns = [
  { colKey: 'date', title: '日期', width: 140 },
  { colKey: 'weekday', title: '星期', width: 100, cell: ({ row }: { row: Day }) => weekday(row.date) },
  { colKey: 'name', title: '节日' },
];

/** Lines "2027-01-01 元旦" ⇄ days. */
const toLines = (days: Day[]) => days.map((d) => `${d.date} ${d.name}`).join('\n');
function fromLines(text: string): Day[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [date, ...name] = l.split(/\s+/);
      return { date, name: name.join(' ') };
    });
}

/**
 * 节假日日历: each year's holidays and 调休 working days as deadlines count them, with where they come from (the
 * State Council notice an operator entered, the built-in data, or provisional), and the versions entered.
 * Operators of the prefecture enter a year when its notice is published; a change moves no deadline already set.
 */
export function Calendar() {
  const { user } = useAuth();
  const editor = !!user?.roles.some((g) => g.role === 'operator' && g.scope === PREFECTURE_ID);
  const [params, setParams] = useSearchParams();
  const year = Number(params.get('year') ?? thisYear());
  const [data, setData] = useState<CalendarYearView | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const seq = useRef(0);

  const load = useCallback(async () => {
    const mine = ++seq.current;
    setLoading(true);
    setError(null);
    try {
      const r = await api<CalendarYearView>(`/calendar/${year}`);
      if (mine === seq.current) setData(r);
    } catch (e) {
      if (mine === seq.current) {
        setData(null);
        setError(errorText(e));
      }
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, [year]);
  useEffect(() => void load(), [load]);

  const years = Array.from({ length: 5 }, (_, i) => thisYear() - 2 + i);
  return (
    <div>
      <PageHeader
        title="节假日日历"
        extra={
          <Space>
            <Select
              value={year}
              style={{ width: 120 }}
              aria-label="年份"
              options={years.map((y) => ({ value: y, label: `${y} 年` }))}
              onChange={(v) => setParams({ year: String(v) })}
            />
            {editor ? (
              <Button onClick={() => setEditing(true)} disabled={!data}>
                录入 / 修改本年度
              </Button>
            ) : null}
          </Space>
        }
      >
        督办期限按工作日计算（法定节假日不计，调休上班日计入）。国务院办公厅发布次年节假日安排通知后，由州级运维人员在此录入；修改只影响此后设定的期限，已设定的期限不变。
      </PageHeader>
      <RetryAlert message={error} onRetry={() => void load()} />
      {data ? (
        <div data-testid="calendar-year">
          <Space align="center" style={{ marginBottom: 12 }}>
            <Tag theme={originTheme[data.origin]} variant="light" data-testid="calendar-origin">
              {CALENDAR_ORIGIN_LABELS[data.origin]}
            </Tag>
            <span>来源：{data.source}</span>
            {data.version ? (
              <span style={{ color: '#666' }}>
                第 {data.version} 版 · {time(data.updatedAt)}
              </span>
            ) : null}
          </Space>
          {data.origin === 'provisional' ? (
            <Alert
              theme="warning"
              style={{ marginBottom: 12 }}
              message={`${data.year} 年的国务院节假日安排通知尚未录入：目前按法定节假日暂定计算，调休上班日未知（周末一律不计）。通知发布后请录入。`}
            />
          ) : null}
          <div style={{ display: 'flex', gap: 24 }}>
            <div style={{ flex: 1 }}>
              <h3 style={{ fontSize: 15 }}>放假（{data.holidays.length} 天）</h3>
              <Table rowKey="date" columns={dayColumns} data={data.holidays} size="small" bordered empty="无" />
            </div>
            <div style={{ flex: 1 }}>
              <h3 style={{ fontSize: 15 }}>调休上班（{data.workdays.length} 天）</h3>
              <Table rowKey="date" columns={dayColumns} data={data.workdays} size="small" bordered empty="无" />
            </div>
          </div>
          <h3 style={{ fontSize: 15, marginTop: 24 }}>录入记录</h3>
          <Table<CalendarVersionView>
            rowKey="version"
            size="small"
            bordered
            data={data.versions}
            empty="尚未录入，使用内置数据"
            columns={[
              { colKey: 'version', title: '版本', width: 80 },
              { colKey: 'source', title: '来源' },
              { colKey: 'holidays', title: '放假天数', width: 100 },
              { colKey: 'workdays', title: '调休上班天数', width: 120 },
              { colKey: 'updatedAt', title: '录入时间', width: 200, cell: ({ row }) => time(row.updatedAt) },
            ]}
          />
        </div>
      ) : loading ? (
        <Table rowKey="date" columns={dayColumns} data={[]} loading size="small" />
      ) : null}
      {editing && data ? (
        <EditDialog
          data={data}
          onClose={() => setEditing(false)}
          onSaved={(v) => {
            setData(v);
            setEditing(false);
          }}
        />
      ) : null}
    </div>
  );
}

function EditDialog(props: { data: CalendarYearView; onClose: () => void; onSaved: (v: CalendarYearView) => void }) {
  const { data } = props;
  const [source, setSource] = useState(data.origin === 'stored' ? data.source : '');
  const [holidays, setHolidays] = useState(toLines(data.holidays));
  const [workdays, setWorkdays] = useState(toLines(data.workdays));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  // One request id per edit: a click again after a lost answer is the same edit.
  const requestId = useRef(newRequestId());

  const fieldError = (prefix: string) =>
    Object.entries(fields).find(([k]) => k === prefix || k.startsWith(`${prefix}.`))?.[1];
  const save = async () => {
    setBusy(true);
    setError(null);
    setFields({});
    try {
      props.onSaved(
        await api<CalendarYearView>(`/calendar/${data.year}`, {
          method: 'POST',
          body: {
            requestId: requestId.current,
            baseVersion: data.version,
            source: source.trim(),
            holidays: fromLines(holidays),
            workdays: fromLines(workdays),
          },
        }),
      );
    } catch (e) {
      setError(errorText(e));
      if (e instanceof ApiError) setFields(e.fieldErrors());
      if (!(e instanceof ApiError && e.status === 0)) requestId.current = newRequestId();
    } finally {
      setBusy(false);
    }
  };
  const hint = (msg?: string) => (msg ? <div style={{ color: '#d54941', fontSize: 12 }}>{msg}</div> : null);
  return (
    <Dialog
      header={`录入 ${data.year} 年节假日`}
      visible
      width={640}
      onClose={props.onClose}
      onCancel={props.onClose}
      confirmBtn={{ content: '保存', loading: busy }}
      onConfirm={() => void save()}
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        {error ? <Alert theme="error" message={error} /> : null}
        <div>
          <div>来源（通知名称及文号）</div>
          <Input
            value={source}
            onChange={(v) => setSource(String(v))}
            placeholder="例如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕X号）"
            aria-label="来源"
          />
          {hint(fieldError('source'))}
        </div>
        <div>
          <div>放假日期（每行一天：日期 节日名称）</div>
          <Textarea
            value={holidays}
            onChange={(v) => setHolidays(String(v))}
            autosize={{ minRows: 6, maxRows: 12 }}
            aria-label="放假日期"
          />
          {hint(fieldError('holidays'))}
        </div>
        <div>
          <div>调休上班日期（周六或周日，每行一天）</div>
          <Textarea
            value={workdays}
            onChange={(v) => setWorkdays(String(v))}
            autosize={{ minRows: 3, maxRows: 8 }}
            aria-label="调休上班日期"
          />
          {hint(fieldError('workdays'))}
        </div>
      </Space>
    </Dialog>
  );
}
