import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Button, Progress, Radio, Space, Table, Tag } from 'tdesign-react';
import { IMPORT_SHEETS, type ImportKind, type ImportView } from '@mashang/shared';
import { api, errorText, tokenStore } from '../api';
import { consoleConfig } from '../config';
import { PageHeader } from '../components/PageHeader';

/** Download an API file (template, error report) with the caller's token, under the name the API gives. */
export async function downloadFile(path: string, fallbackName: string) {
  const res = await fetch(`${consoleConfig().apiBase}/v1${path}`, {
    headers: { authorization: `Bearer ${tokenStore.get() ?? ''}` },
  });
  if (!res.ok) throw new Error('下载失败');
  const blob = await res.blob();
  const cd = res.headers.get('content-disposition') ?? '';
  const m = /filename\*=UTF-8''([^;]+)/.exec(cd);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = m ? decodeURIComponent(m[1]) : fallbackName;
  a.click();
  URL.revokeObjectURL(a.href);
}

function toBase64(buf: ArrayBuffer): string {
  let s = '';
  const bytes = new Uint8Array(buf);
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

const stateTheme: Record<string, 'success' | 'warning' | 'danger' | 'primary' | 'default'> = {
  validated: 'primary',
  invalid: 'danger',
  committing: 'warning',
  done: 'success',
  failed: 'danger',
};

/**
 * 批量导入: template → upload (dry run: per-row report) → fix and upload again → commit (a job: progress, resume).
 */
export function Import() {
  const [kind, setKind] = useState<ImportKind>('windows');
  const [current, setCurrent] = useState<ImportView | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const refresh = useCallback(async (id: string) => {
    const v = await api<ImportView>(`/imports/${id}`);
    setCurrent(v);
    return v;
  }, []);

  // Poll the job while it runs.
  useEffect(() => {
    if (current?.state !== 'committing') return;
    const t = setInterval(() => {
      refresh(current.id).catch(() => undefined);
    }, 1000);
    return () => clearInterval(t);
  }, [current?.state, current?.id, refresh]);

  const upload = async (file: File) => {
    setBusy(true);
    setError(null);
    try {
      const contentBase64 = toBase64(await file.arrayBuffer());
      const csv = /\.csv$/i.test(file.name);
      setCurrent(
        await api<ImportView>('/imports', {
          method: 'POST',
          body: { fileName: file.name, contentBase64, ...(csv ? { kind } : {}) },
        }),
      );
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };

  const commit = async () => {
    if (!current) return;
    setBusy(true);
    setError(null);
    try {
      setCurrent(await api<ImportView>(`/imports/${current.id}/commit`, { method: 'POST' }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const pct =
    current && current.progress.total ? Math.round((current.progress.done / current.progress.total) * 100) : 0;
  return (
    <div>
      <PageHeader title="批量导入">
        先下载模板填写，上传后系统逐行预检并给出错误报告；全部通过后点击“提交导入”，要么全部导入，要么一条都不导入。
      </PageHeader>
      <Space style={{ marginBottom: 16 }} align="center" breakLine>
        <Button
          variant="outline"
          onClick={() =>
            void downloadFile('/imports/template?format=xlsx', '登记导入模板.xlsx').catch((e) => setError(errorText(e)))
          }
        >
          下载 Excel 模板
        </Button>
        <span>CSV 文件的类别：</span>
        <Radio.Group value={kind} onChange={(v) => setKind(v as ImportKind)}>
          {(Object.keys(IMPORT_SHEETS) as ImportKind[]).map((k) => (
            <Radio.Button key={k} value={k}>
              {IMPORT_SHEETS[k]}
            </Radio.Button>
          ))}
        </Radio.Group>
        <input
          ref={input}
          type="file"
          accept=".xlsx,.csv"
          aria-label="选择导入文件"
          data-testid="import-file"
          style={{ display: 'none' }}
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void upload(f);
          }}
        />
        <Button theme="primary" loading={busy && !current} onClick={() => input.current?.click()}>
          上传并预检
        </Button>
      </Space>
      {error ? <Alert theme="error" message={error} style={{ marginBottom: 12 }} /> : null}
      {!current ? (
        <Alert theme="info" message="尚未上传文件。支持 .xlsx（工作表：部门、窗口、企业）和 UTF-8 编码的 .csv。" />
      ) : (
        <div data-testid="import-result">
          <Space align="center" style={{ marginBottom: 12 }}>
            <strong>{current.fileName}</strong>
            <Tag theme={stateTheme[current.state]} data-testid="import-state">
              {current.stateLabel}
            </Tag>
            <span>
              部门 {current.counts.departments} 个，窗口 {current.counts.windows} 个，企业 {current.counts.enterprises}{' '}
              家
            </span>
          </Space>
          {current.state === 'validated' || current.state === 'failed' || current.state === 'committing' ? (
            <Space style={{ marginBottom: 12 }}>
              <Button
                theme="primary"
                onClick={() => void commit()}
                loading={busy}
                disabled={current.state === 'committing'}
              >
                {current.state === 'failed' ? '重新提交（从中断处继续）' : '提交导入'}
              </Button>
            </Space>
          ) : null}
          {current.state === 'committing' || current.state === 'done' ? (
            <Progress percentage={current.state === 'done' ? 100 : pct} style={{ maxWidth: 480, marginBottom: 12 }} />
          ) : null}
          {current.failure ? <Alert theme="error" message={current.failure} style={{ marginBottom: 12 }} /> : null}
          {current.state === 'done' ? (
            <Alert theme="success" message="导入完成，全部数据已生效。" style={{ marginBottom: 12 }} />
          ) : null}
          {current.errorCount > 0 ? (
            <>
              <Space align="center" style={{ margin: '8px 0' }}>
                <span>共 {current.errorCount} 处错误，请修正文件后重新上传：</span>
                <Button
                  variant="text"
                  theme="primary"
                  onClick={() =>
                    void downloadFile(`/imports/${current.id}/errors.csv`, '导入错误报告.csv').catch((e) =>
                      setError(errorText(e)),
                    )
                  }
                >
                  下载错误报告（CSV）
                </Button>
              </Space>
              <Table
                rowKey="key"
                data-testid="import-errors"
                data={current.errors.map((e, i) => ({ ...e, key: i }))}
                columns={[
                  { colKey: 'sheet', title: '工作表', width: 90 },
                  { colKey: 'row', title: '行号', width: 70 },
                  { colKey: 'externalId', title: '编号', width: 200 },
                  { colKey: 'message', title: '错误' },
                ]}
                bordered
                size="small"
                pagination={{ defaultPageSize: 20 }}
              />
            </>
          ) : null}
        </div>
      )}
    </div>
  );
}
