import { Button, View } from '@tarojs/components';
import type { ReactNode } from 'react';

/** A form's primary button: disabled and spinning while its request is in flight, so a second tap sends nothing. */
export function SubmitButton(props: { sending: boolean; onClick: () => void; label: string; busyLabel?: string }) {
  return (
    <Button
      className={`btn btn-primary ${props.sending ? 'btn-busy' : ''}`}
      disabled={props.sending}
      loading={props.sending}
      onClick={props.onClick}
    >
      {props.sending && props.busyLabel ? props.busyLabel : props.label}
    </Button>
  );
}

/**
 * The end of every form: what went wrong (only when something did) above the submit button. With `errorCard` the
 * error stands in a card of its own, with `errorExtra` (what to do next) under it; `errorTestId` names the error
 * block for the page tests.
 */
export function FormFooter(props: {
  error: ReactNode;
  errorTestId?: string;
  errorCard?: boolean;
  errorExtra?: ReactNode;
  sending: boolean;
  onSubmit: () => void;
  label: string;
  busyLabel?: string;
}) {
  const { error, errorTestId, errorCard } = props;
  const text = error ? (
    <View className="error-text" data-testid={errorCard ? undefined : errorTestId}>
      {error}
    </View>
  ) : null;
  return (
    <>
      {text && errorCard ? (
        <View className="card" data-testid={errorTestId}>
          {text}
          {props.errorExtra}
        </View>
      ) : (
        text
      )}
      <SubmitButton sending={props.sending} onClick={props.onSubmit} label={props.label} busyLabel={props.busyLabel} />
    </>
  );
}
