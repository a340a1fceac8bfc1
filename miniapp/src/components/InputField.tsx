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
