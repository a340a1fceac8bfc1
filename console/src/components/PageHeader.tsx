import type { ReactNode } from 'react';

export function PageHeader({ title, extra, children }: { title: string; extra?: ReactNode; children?: ReactNode }) {
  return (
    <div style={{ marginBottom: 16 }}>
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
        <h2 style={{ margin: 0, fontSize: 20 }}>{title}</h2>
        <div>{extra}</div>
      </div>
      {children ? <div style={{ marginTop: 8, color: '#666' }}>{children}</div> : null}
    </div>
  );
}
