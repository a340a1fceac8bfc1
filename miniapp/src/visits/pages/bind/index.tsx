import { Button, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { BINDING_CODE_PATTERN, PHONE_PATTERN, isValidCreditCode } from '@mashang/shared';
import { useState } from 'react';
import { adoptSession, bindingErrorMessage } from '../../../api/client';
import { bindEnterprise } from '../../api';
import { FormFooter } from '../../../components/FormFooter';
import { BindingCodeField, InputField } from '../../../components/InputField';
import { useSubmit } from '../../../components/useSubmit';

/** 绑定为本企业联系人: the 统一社会信用代码 and the one-time binding code the operator sent or handed over. */
export default function Bind() {
  const { params } = useRouter();
  const code = decodeURIComponent(params.code ?? '');
  const [creditCode, setCreditCode] = useState('');
  const [bindingCode, setBindingCode] = useState('');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const { sending, error, submit } = useSubmit(bindingErrorMessage);

  const bind = () =>
    submit(() => {
      const cc = creditCode.trim().toUpperCase();
      if (!isValidCreditCode(cc)) return '统一社会信用代码不正确，请核对营业执照上的 18 位代码';
      if (!BINDING_CODE_PATTERN.test(bindingCode.trim())) return '绑定码为 6 位数字';
      if (phone && !PHONE_PATTERN.test(phone)) return '手机号格式不正确，请填写 11 位手机号';
      return async () => {
        const res = await bindEnterprise({
          code,
          creditCode: cc,
          bindingCode: bindingCode.trim(),
          ...(name.trim() ? { name: name.trim() } : {}),
          ...(phone ? { phone } : {}),
        });
        adoptSession({ token: res.token, user: res.user });
        setDone(res.enterprise.name);
      };
    });

  if (done) {
    return (
      <View className="page">
        <View className="card" data-testid="bound">
          <View className="title">绑定成功</View>
          <View className="hint">您已成为“{done}”的企业联系人。干部来访登记后，您会收到评价提醒。</View>
          <Button
            className="btn btn-primary"
            onClick={() => Taro.redirectTo({ url: `/visits/pages/enterprise/index?code=${encodeURIComponent(code)}` })}
          >
            进入企业首页
          </Button>
        </View>
      </View>
    );
  }
  return (
    <View className="page">
      <View className="card">
        <View className="title">绑定为本企业联系人</View>
        <View className="hint">
          请输入营业执照上的统一社会信用代码，以及运维人员短信发送或书面发放的 6 位绑定码（7 天内有效，只能使用一次）。
        </View>
        <InputField
          label="统一社会信用代码"
          value={creditCode}
          onInput={setCreditCode}
          maxlength={18}
          placeholder="18 位代码"
        />
        <BindingCodeField value={bindingCode} onInput={setBindingCode} />
        <InputField label="您的姓名（选填）" value={name} onInput={setName} maxlength={20} />
        <InputField
          label="手机号（选填，收不到微信提醒时发短信）"
          value={phone}
          onInput={setPhone}
          maxlength={11}
          type="number"
        />
        <FormFooter error={error} errorTestId="bind-error" sending={sending} onSubmit={bind} label="确认绑定" />
      </View>
    </View>
  );
}
