import { Input, View } from '@tarojs/components';

/** A labelled one-line input of a mini-program form (the binding pages). */
export function InputField(props: {
  label: string;
  value: string;
  onInput: (value: string) => void;
  maxlength: number;
  placeholder?: string;
  type?: 'text' | 'number';
}) {
  return (
    <View className="field">
      <View className="label">{props.label}</View>
      <Input
        className="input"
        type={props.type ?? 'text'}
        maxlength={props.maxlength}
        value={props.value}
        placeholder={props.placeholder}
        onInput={(e) => props.onInput(e.detail.value)}
      />
    </View>
  );
}

/** The one-time 6-digit 绑定码 an operator issued (both binding pages). */
export function BindingCodeField(props: { value: string; onInput: (value: string) => void }) {
  return (
    <InputField
      label="绑定码"
      value={props.value}
      onInput={props.onInput}
      maxlength={6}
      placeholder="6 位数字"
      type="number"
    />
  );
}
