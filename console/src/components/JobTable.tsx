import { useEffect, useState } from 'react';
import { Button, Link, Space, Tag, type PrimaryTableCol, type TableRowData } from 'tdesign-react';
import { api, errorText } from '../api';
import { CursorTable } from './CursorTable';

/** What every background job of the API (exports, poster batches) shows in its list. */
export interface JobRow {
  id: string;
  state: 'running' | 'done' | 'failed';
  stateLabel: string;
  failure?: string;
  /** When done: an expiring download link. */
  url?: string;
  bytes?: number;
}

const stateTheme: Record<JobRow['state'], 'success' | 'warning' | 'danger'> = {
  running: 'warning',
  done: 'success',
  failed: 'danger',
};

/** The state of a job as a coloured tag, for a job table's columns. */
export function jobStateColumn<T extends JobRow & TableRowData>(width: number): PrimaryTableCol<T> {
  return {
    colKey: 'state',
    title: '状态',
    width,
    cell: ({ row }) => <Tag theme={stateTheme[row.state]}>{row.stateLabel}</Tag>,
  };
}

/**
 * The list of a kind of background job at `path` (GET lists, POST `{path}/{id}/retry` runs a failed one again): the
 * page's columns, then 操作 (the download link when done, the failure and 重试 when failed, `runningLabel` while it
 * runs). The list reloads when `version` changes and every 2 s while a job on it runs; a failed retry goes to
 * `onError`.
 */
export function JobTable<T extends JobRow & TableRowData>(props: {
  path: string;
  testId: string;
  empty: string;
  version: number;
  columns: PrimaryTableCol<T>[];
  downloadLabel: (row: T) => string;
  runningLabel: string;
  onError: (message: string) => void;
}) {
  const [tick, setTick] = useState(0);
  const [running, setRunning] = useState(false);

  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setTick((v) => v + 1), 2000);
    return () => clearInterval(t);
  }, [running]);

  const retry = async (id: string) => {
    try {
      await api(`${props.path}/${id}/retry`, { method: 'POST' });
      setTick((v) => v + 1);
    } catch (e) {
      props.onError(errorText(e));
    }
  };

  return (
    <CursorTable<T>
      testId={props.testId}
      rowKey="id"
      deps={[props.version, tick]}
      empty={props.empty}
      load={async (cursor) => {
        const page = await api<{ items: T[]; cursor?: string }>(props.path, { query: { cursor } });
        setRunning(page.items.some((j) => j.state === 'running'));
        return page;
      }}
      columns={[
        ...props.columns,
        {
          colKey: 'op',
          title: '操作',
          cell: ({ row }) =>
            row.state === 'done' && row.url ? (
              <Link theme="primary" href={row.url} target="_blank">
                {props.downloadLabel(row)}
              </Link>
            ) : row.state === 'failed' ? (
              <Space>
                <span style={{ color: '#d54941' }}>{row.failure}</span>
                <Button size="small" variant="outline" onClick={() => void retry(row.id)}>
                  重试
                </Button>
              </Space>
            ) : (
              props.runningLabel
            ),
        },
      ]}
    />
  );
}
