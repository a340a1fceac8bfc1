import { Button, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { BindPersonRequest, type RoleGrant } from '@mashang/shared';
import { useState } from 'react';
import { adoptSession, bindingErrorMessage, type User } from '../../../api/client';
import { FormFooter } from '../../../components/FormFooter';
import { BindingCodeField, InputField } from '../../../components/InputField';
import { useSubmit } from '../../../components/useSubmit';
import { bindPerson } from '../../api';
import { grantLabel } from '../../components/format';
import '../../officials.css';

const param = (v: string | undefined) => decodeURIComponent(v ?? '').trim();

/**
 * 绑定微信: an official or window staff enters the 人员编号 and the one-time 6-digit code an operator issued in the
 * console (人员与角色 → 绑定码), and this WeChat account becomes that person. A binding link or QR code may carry
 * both (`?personId=&code=`).
 */
export default function BindOfficial() {
  const { params } = useRouter();
  const [personId, setPersonId] = useState(param(params.personId));
  const [bindingCode, setBindingCode] = useState(param(params.code));
  const [bound, setBound] = useState<User | null>(null);
  const { sending, error, submit } = useSubmit(bindingErrorMessage);

  const bind = () =>
    submit(() => {
      // The API's own schema, so the page refuses exactly what the server would (with its messages).
      const parsed = BindPersonRequest.safeParse({
        personId: personId.trim().toLowerCase(),
        bindingCode: bindingCode.trim(),
      });
      if (!parsed.success) return parsed.error.issues[0]?.message ?? '请核对人员编号和绑定码';
      return async () => {
        const res = await bindPerson(parsed.data);
        adoptSession(res);
        setBound(res.user);
      };
    });

  if (bound) {
    const grants = bound.roles as RoleGrant[];
    return (
      <View className="page off-page">
        <View className="card" data-testid="bound">
          <View className="title">绑定成功</View>
          <View className="hint">本微信账号已绑定为工作人员账号，您的职责：</View>
          {grants.length ? (
            grants.map((g) => (
              <View key={`${g.role}:${g.scope}`} className="hint">
                {grantLabel(g, bound.scopeNames)}
              </View>
            ))
          ) : (
            <View className="hint">暂无职责，请联系运维人员授予角色。</View>
          )}
          <Button className="btn btn-primary" onClick={() => Taro.redirectTo({ url: '/officials/pages/home/index' })}>
            进入工作台
          </Button>
        </View>
      </View>
    );
  }
  return (
    <View className="page off-page">
      <View className="card">
        <View className="title">绑定微信</View>
        <View className="hint">
          请输入运维人员提供的人员编号和 6 位绑定码（7
          天内有效，只能使用一次）。绑定后，本微信账号即为您的工作人员账号。
        </View>
        <InputField
          label="人员编号"
          value={personId}
          onInput={setPersonId}
          maxlength={27}
          placeholder="以 p 开头的 27 位编号"
        />
        <BindingCodeField value={bindingCode} onInput={setBindingCode} />
        <FormFooter error={error} errorTestId="bind-error" sending={sending} onSubmit={bind} label="确认绑定" />
      </View>
    </View>
  );
}
