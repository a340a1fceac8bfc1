import { Alert } from 'tdesign-react';

/** What went wrong loading a page or a list, with 重试 to load it again; nothing when nothing did. */
export function RetryAlert(props: { message: string | null; onRetry: () => void }) {
  if (!props.message) return null;
  return (
    <Alert
      theme="error"
      message={props.message}
      operation={<span onClick={props.onRetry}>重试</span>}
      style={{ marginBottom: 12 }}
    />
  );
}
