import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, Button, Descriptions, Dialog, Input, Loading, MessagePlugin, Space, Tag } from 'tdesign-react';
import { REGISTRY_STATUS_LABELS, type AuditEntryView, type WindowDetailView } from '@mashang/shared';
import { api, errorText } from '../api';
import { useAuth } from '../auth';
import { CursorTable } from '../components/CursorTable';
import { PageHeader } from '../components/PageHeader';
import { RetryAlert } from '../components/RetryAlert';

type Confirm = 'revoke' | 'reissue' | 'retire' | null;

export function WindowDetail() {
  const { id = '' } = useParams();
  const { has } = useAuth();
  const [w, setW] = useState<WindowDetailView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<Confirm>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [posterUrl, setPosterUrl] = useState<string | null>(null);

  const load = useCallback(() => {
    setError(null);
    api<WindowDetailView>(`/windows/${encodeURIComponent(id)}`)
      .then(setW)
      .catch((e) => setError(errorText(e)));
  }, [id]);
  useEffect(load, [load]);

  if (error) return <RetryAlert message={error} onRetry={load} />;
  if (!w) return <Loading text="加载中…" />;

  const operator = has('operator');
  const retired = w.status === 'retired';
  const act = async () => {
    setBusy(true);
    setActionError(null);
    try {
      if (confirm === 'revoke') {
        await api(`/codes/${encodeURIComponent(w.code)}/revoke`, { method: 'POST' });
        void MessagePlugin.success('监督码已停用');
      } else if (confirm === 'reissue') {
        await api(`/windows/${encodeURIComponent(w.id)}/code`, { method: 'POST' });
        void MessagePlugin.success('已生成新的监督码，请重新打印海报');
      } else if (confirm === 'retire') {
        await api(`/windows/${encodeURIComponent(w.id)}/retire`, { method: 'POST', body: { reason } });
        void MessagePlugin.success('窗口已停用');
      }
      setConfirm(null);
      setVersion((v) => v + 1);
      load();
    } catch (e) {
      setActionError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const poster = async () => {
    setBusy(true);
    setActionError(null);
    try {
      const r = await api<{ url: string }>(`/windows/${encodeURIComponent(w.id)}/poster`, { method: 'POST' });
      setPosterUrl(r.url);
      globalThis.open?.(r.url, '_blank');
    } catch (e) {
      void MessagePlugin.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const texts: Record<Exclude<Confirm, null>, { header: string; body: string; ok: string }> = {
    revoke: {
      header: '停用监督码',
      body: `停用后，已张贴的旧海报上的二维码停止使用（1 分钟内对所有扫码生效），扫码会提示“已停用”。确定停用“${w.name}”的监督码吗？`,
      ok: '确定停用',
    },
    reissue: {
      header: '重新生成监督码',
      body: `将生成新的监督码，旧海报上的二维码停止使用（1 分钟内对所有扫码生效），需要重新打印并张贴海报。确定为“${w.name}”重新生成吗？`,
      ok: '确定重新生成',
    },
    retire: {
      header: '停用窗口',
      body: `停用后该窗口不再接受评价，监督码扫码会提示窗口已停用；历史评价和督办件保留。`,
      ok: '确定停用窗口',
    },
  };

  return (
    <div>
      <PageHeader
        title={w.name}
        extra={
          <Link to="/windows">
            <Button variant="text">返回列表</Button>
          </Link>
        }
      />
      <Descriptions
        bordered
        column={2}
        items={[
          { label: '窗口编号', content: w.id },
          { label: '类型', content: w.kind },
          { label: '部门', content: w.department.name },
          { label: '区县', content: w.county.name },
          {
            label: '窗口状态',
            content: <Tag theme={retired ? 'default' : 'success'}>{REGISTRY_STATUS_LABELS[w.status]}</Tag>,
          },
          {
            label: '监督码状态',
            content: (
              <Tag theme={w.codeStatus === 'active' ? 'success' : 'danger'} data-testid="code-status">
                {w.codeStatus === 'active' ? '有效' : '已停用'}
              </Tag>
            ),
          },
          { label: '监督码', content: <code>{w.code}</code> },
          { label: '二维码链接', content: <code style={{ wordBreak: 'break-all' }}>{w.link}</code> },
          ...(retired ? [{ label: '停用原因', content: w.retireReason ?? '' }] : []),
        ]}
      />
      {operator && !retired ? (
        <Space style={{ margin: '16px 0' }}>
          <Button
            theme="primary"
            disabled={w.codeStatus !== 'active' || busy}
            onClick={() => void poster()}
            data-testid="print-poster"
          >
            打印海报（PDF）
          </Button>
          <Button
            theme="warning"
            variant="outline"
            disabled={w.codeStatus !== 'active'}
            onClick={() => setConfirm('revoke')}
          >
            停用监督码
          </Button>
          <Button variant="outline" onClick={() => setConfirm('reissue')}>
            重新生成监督码
          </Button>
          <Button theme="danger" variant="outline" onClick={() => setConfirm('retire')}>
            停用窗口
          </Button>
        </Space>
      ) : null}
      {posterUrl ? (
        <Alert
          theme="success"
          message={
            <span>
              海报已生成：
              <a href={posterUrl} target="_blank" rel="noreferrer" data-testid="poster-link">
                下载 PDF
              </a>
              （链接 15 分钟内有效）
            </span>
          }
          style={{ marginBottom: 12 }}
        />
      ) : null}
      <h3>操作记录</h3>
      <CursorTable<AuditEntryView>
        rowKey="id"
        deps={[id, version]}
        load={(cursor) => api('/audit', { query: { targetKind: 'window', targetId: id, cursor, limit: 10 } })}
        empty="暂无操作记录"
        columns={[
          {
            colKey: 'at',
            title: '时间',
            width: 180,
            cell: ({ row }) => new Date(row.at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' }),
          },
          { colKey: 'actionLabel', title: '操作', width: 140 },
          { colKey: 'actor', title: '操作人', cell: ({ row }) => `${row.actor.userId}（${row.actor.role}）` },
          { colKey: 'reason', title: '说明', cell: ({ row }) => row.reason ?? '' },
        ]}
      />
      {confirm ? (
        <Dialog
          header={texts[confirm].header}
          visible
          onClose={() => setConfirm(null)}
          onConfirm={() => void act()}
          confirmBtn={{
            content: texts[confirm].ok,
            loading: busy,
            theme: 'danger',
            disabled: confirm === 'retire' && reason.trim().length < 2,
          }}
          cancelBtn="取消"
        >
          <p>{texts[confirm].body}</p>
          {confirm === 'retire' ? (
            <Input
              value={reason}
              onChange={(v) => setReason(String(v))}
              placeholder="停用原因（必填，例如 窗口撤并）"
              aria-label="停用原因"
            />
          ) : null}
          {actionError ? <Alert theme="error" message={actionError} style={{ marginTop: 12 }} /> : null}
        </Dialog>
      ) : null}
    </div>
  );
}
