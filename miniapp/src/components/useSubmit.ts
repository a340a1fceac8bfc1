import { useRef, useState } from 'react';

/**
 * A form's submit, one request at a time. `submit(prepare)` does nothing while a request is in flight; otherwise
 * `prepare()` checks the form and returns either what is wrong (shown as the error, nothing is sent) or the request
 * to send. While it runs `sending` is true; a failed request shows `describe(error)`.
 */
export function useSubmit(describe: (e: unknown) => string) {
  const inFlight = useRef(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState('');

  const submit = async (prepare: () => string | (() => Promise<void>)) => {
    if (inFlight.current) return;
    const send = prepare();
    if (typeof send === 'string') return setError(send);
    inFlight.current = true;
    setSending(true);
    setError('');
    try {
      await send();
    } catch (e) {
      setError(describe(e));
    } finally {
      inFlight.current = false;
      setSending(false);
    }
  };

  return { sending, error, submit };
}
