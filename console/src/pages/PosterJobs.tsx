import { useState } from 'react';
import { Alert, Button, Progress, Radio, Select, Space } from 'tdesign-react';
import type { PosterJobView } from '@mashang/shared';
import { api, errorText, newRequestId } from '../api';
import { JobTable, jobStateColumn } from '../components/JobTable';
import { PageHeader } from '../components/PageHeader';
import { REGION_OPTIONS } from '../regions';
import { useDepartments } from './Windows';

/**
 * 批量海报: every window of a department, a county or the whole prefecture, rendered as a job outside the request
 * (one PDF per department, zipped), with progress and a download link when done.
 */
export function PosterJobs() {
  const [scope, setScope] = useState<'prefecture' | 'county' | 'department'>('county');
  const [county, setCounty] = useState('');
  const [departmentId, setDepartmentId] = useState('');
  const departments = useDepartments(county || undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  const ready = scope === 'prefecture' || (scope === 'county' ? !!county : !!departmentId);
  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      await api<PosterJobView>('/poster-jobs', {
        method: 'POST',
        body: {
          requestId: newRequestId(),
          ...(scope === 'county' ? { countyId: county } : scope === 'department' ? { departmentId } : {}),
        },
      });
      setVersion((v) => v + 1);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <PageHeader title="批量打印海报">
        为一个部门、一个区县或全州的所有在用窗口生成监督码海报（A4，每个部门一个 PDF，打包为 zip）。
        生成在后台进行，完成后可下载，链接 1 小时内有效。
      </PageHeader>
      <Space align="center" breakLine style={{ marginBottom: 16 }}>
        <Radio.Group value={scope} onChange={(v) => setScope(v as typeof scope)}>
          <Radio.Button value="prefecture">全州</Radio.Button>
          <Radio.Button value="county">按区县</Radio.Button>
          <Radio.Button value="department">按部门</Radio.Button>
        </Radio.Group>
        {scope !== 'prefecture' ? (
          <Select
            value={county}
            onChange={(v) => {
              setCounty(String(v ?? ''));
              setDepartmentId('');
            }}
            options={REGION_OPTIONS}
            placeholder="选择区县"
            style={{ width: 200 }}
          />
        ) : null}
        {scope === 'department' ? (
          <Select
            value={departmentId}
            onChange={(v) => setDepartmentId(String(v ?? ''))}
            options={departments.map((d) => ({ value: d.id, label: d.name }))}
            placeholder={county ? '选择部门' : '请先选择区县'}
            filterable
            style={{ width: 280 }}
          />
        ) : null}
        <Button theme="primary" disabled={!ready} loading={busy} onClick={() => void start()}>
          开始生成
        </Button>
      </Space>
      {error ? <Alert theme="error" message={error} style={{ marginBottom: 12 }} /> : null}
      <JobTable<PosterJobView>
        path="/poster-jobs"
        testId="poster-jobs"
        empty="还没有海报任务"
        version={version}
        onError={setError}
        downloadLabel={(row) => `下载（${((row.bytes ?? 0) / 1024 / 1024).toFixed(1)} MB）`}
        runningLabel="生成中…"
        columns={[
          { colKey: 'scopeName', title: '范围', width: 180 },
          jobStateColumn(110),
          {
            colKey: 'progress',
            title: '进度（部门）',
            width: 260,
            cell: ({ row }) => (
              <Space align="center">
                <Progress
                  style={{ width: 140 }}
                  percentage={
                    row.state === 'done'
                      ? 100
                      : row.progress.total
                        ? Math.round((row.progress.done / row.progress.total) * 100)
                        : 0
                  }
                />
                <span>
                  {row.progress.done}/{row.progress.total}
                </span>
              </Space>
            ),
          },
          {
            colKey: 'windows',
            title: '窗口数',
            width: 90,
            cell: ({ row }) => (row.windows ?? '—').toString(),
          },
          {
            colKey: 'createdAt',
            title: '创建时间',
            width: 170,
            cell: ({ row }) => new Date(row.createdAt).toLocaleString('zh-CN', { hour12: false }),
          },
        ]}
      />
    </div>
  );
}
