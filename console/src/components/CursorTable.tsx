import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { Button, Space, Table, type PrimaryTableCol, type TableRowData } from 'tdesign-react';
import { errorText } from '../api';
import { RetryAlert } from './RetryAlert';

export interface CursorPage<T> {
  items: T[];
  cursor?: string;
}

/**
 * A server-paged table over the API's cursor lists: 上一页 / 下一页 walk a stack of cursors; loading, empty and
 * error states are shown in the table itself. `deps` (the filters) restart from the first page.
 */
export function CursorTable<T extends TableRowData>(props: {
  columns: PrimaryTableCol<T>[];
  rowKey: string;
  load: (cursor: string | undefined) => Promise<CursorPage<T>>;
  deps: unknown[];
  empty?: ReactNode;
  testId?: string;
}) {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<CursorPage<T> | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);
  const loadRef = useRef(props.load);
  loadRef.current = props.load;

  const fetchPage = useCallback(async (cursor: string | undefined) => {
    const mine = ++seq.current;
    setLoading(true);
    setError(null);
    try {
      const p = await loadRef.current(cursor);
      if (mine === seq.current) setPage(p);
    } catch (e) {
      if (mine === seq.current) {
        setError(errorText(e));
        setPage(null);
      }
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    setCursors([undefined]);
    void fetchPage(undefined);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, props.deps);

  const pageNo = cursors.length;
  const next = () => {
    if (!page?.cursor) return;
    setCursors((c) => [...c, page.cursor]);
    void fetchPage(page.cursor);
  };
  const prev = () => {
    if (cursors.length <= 1) return;
    const c = cursors.slice(0, -1);
    setCursors(c);
    void fetchPage(c[c.length - 1]);
  };

  return (
    <div data-testid={props.testId}>
      <RetryAlert message={error} onRetry={() => void fetchPage(cursors[cursors.length - 1])} />
      <Table<T>
        rowKey={props.rowKey}
        columns={props.columns}
        data={page?.items ?? []}
        loading={loading}
        empty={error ? '加载失败' : (props.empty ?? '暂无数据')}
        bordered
        hover
        size="small"
      />
      <Space style={{ marginTop: 12 }} align="center">
        <Button variant="outline" disabled={pageNo <= 1 || loading} onClick={prev}>
          上一页
        </Button>
        <span>第 {pageNo} 页</span>
        <Button variant="outline" disabled={!page?.cursor || loading} onClick={next}>
          下一页
        </Button>
      </Space>
    </div>
  );
}
