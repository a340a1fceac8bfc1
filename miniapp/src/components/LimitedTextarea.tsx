import { Textarea, View } from '@tarojs/components';

/** How close to the limit the warning starts: the last tenth (50 of 500 characters). */
const WARN_SHARE = 0.1;

/** The warning under a text box near, at or over its limit (null while far from it). Shared with the checks. */
export function limitWarning(length: number, max: number): { text: string; over: boolean } | null {
  const left = max - length;
  if (left < 0) return { text: `已超出 ${-left} 字，请删减后再提交`, over: true };
  if (left === 0) return { text: `已达 ${max} 字上限`, over: false };
  if (left <= Math.max(1, Math.floor(max * WARN_SHARE))) return { text: `还可输入 ${left} 字`, over: false };
  return null;
}

/** What a form says when the text is still over the limit on submit. */
export const tooLong = (what: string, max: number) => `${what}不能超过 ${max} 字，请删减后再提交`;

/**
 * Every free-text box: a counter under it, a warning from the last tenth of the limit on, and NO silent cut — the box
 * takes more than the limit (maxlength -1) and says how much is over, so pasted text is never lost unseen; the form
 * refuses to send it until it is shortened. `min` marks a counter below the minimum (e.g. 5 characters).
 */
export function LimitedTextarea(props: {
  value: string;
  max: number;
  min?: number;
  placeholder?: string;
  onInput: (value: string) => void;
  counterTestId?: string;
  /** Count the trimmed text (what is sent). */
  trimmed?: boolean;
}) {
  const length = (props.trimmed ? props.value.trim() : props.value).length;
  const warning = limitWarning(length, props.max);
  const short = !!props.min && length > 0 && length < props.min;
  return (
    <>
      <Textarea
        className="textarea"
        value={props.value}
        maxlength={-1}
        placeholder={props.placeholder}
        onInput={(e) => props.onInput(e.detail.value)}
      />
      <View className={`counter ${warning?.over || short ? 'counter-over' : ''}`} data-testid={props.counterTestId}>
        {length}/{props.max}
      </View>
      {warning ? (
        <View className={warning.over ? 'error-text' : 'hint'} data-testid="length-warning">
          {warning.text}
        </View>
      ) : null}
    </>
  );
}
