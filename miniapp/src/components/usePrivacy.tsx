import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useCallback, useRef, useState } from 'react';

const AGREED_KEY = 'mashang.privacyAgreed';
const AGREE_BUTTON_ID = 'privacy-agree';

type Resolve = (option: { event: 'agree' | 'disagree' | 'exposureAuthorization'; buttonId?: string }) => void;

/**
 * Asks for consent before the phone number is collected.
 * weapp: WeChat's own flow — wx.requirePrivacyAuthorize makes WeChat call onNeedPrivacyAuthorization when the
 * user has not agreed yet; we show our popup and answer through a button with open-type agreePrivacyAuthorization
 * (https://developers.weixin.qq.com/miniprogram/dev/framework/user-privacy/PrivacyAuthorize.html).
 * H5: the same popup, with the consent remembered in storage.
 */
export function usePrivacy() {
  const [visible, setVisible] = useState(false);
  const wxResolve = useRef<Resolve | null>(null);
  const h5Resolve = useRef<((ok: boolean) => void) | null>(null);

  // WeChat keeps one listener for the whole app: take it over whenever this page is shown again.
  useDidShow(() => {
    if (process.env.TARO_ENV !== 'weapp' || !Taro.onNeedPrivacyAuthorization) return;
    Taro.onNeedPrivacyAuthorization((resolve) => {
      wxResolve.current = resolve as Resolve;
      resolve({ event: 'exposureAuthorization' });
      setVisible(true);
    });
  });

  const requestConsent = useCallback((): Promise<boolean> => {
    if (process.env.TARO_ENV === 'weapp') {
      return new Promise((done) => {
        if (!Taro.requirePrivacyAuthorize) return done(true); // base library < 2.32.3 has no privacy API
        Taro.requirePrivacyAuthorize({ success: () => done(true), fail: () => done(false) });
      });
    }
    if (Taro.getStorageSync(AGREED_KEY)) return Promise.resolve(true);
    return new Promise((done) => {
      h5Resolve.current = done;
      setVisible(true);
    });
  }, []);

  const answer = (agree: boolean) => {
    setVisible(false);
    if (wxResolve.current) {
      // After the agree button's tap WeChat has already recorded consent; disagree must be reported.
      if (!agree) wxResolve.current({ event: 'disagree' });
      wxResolve.current = null;
    }
    if (h5Resolve.current) {
      if (agree) Taro.setStorageSync(AGREED_KEY, true);
      h5Resolve.current(agree);
      h5Resolve.current = null;
    }
  };

  const onAgreeWx = () => {
    wxResolve.current?.({ event: 'agree', buttonId: AGREE_BUTTON_ID });
    wxResolve.current = null;
    answer(true);
  };

  const popup = visible ? (
    <View className="modal-mask">
      <View className="modal" data-testid="privacy-popup">
        <View className="section-title">隐私保护提示</View>
        <View className="subtitle">
          <Text>
            留下手机号仅用于部门回访和告知处理结果，不会向被评价的窗口或部门展示您的身份。请阅读并同意《码上监督隐私保护指引》后再填写。
          </Text>
        </View>
        <View
          className="link-row"
          onClick={() => {
            setVisible(false);
            Taro.navigateTo({ url: '/pages/privacy/index' });
          }}
        >
          <Text>查看《码上监督隐私保护指引》</Text>
          <Text>›</Text>
        </View>
        {process.env.TARO_ENV === 'weapp' ? (
          <Button
            id={AGREE_BUTTON_ID}
            className="btn btn-primary"
            openType="agreePrivacyAuthorization"
            onAgreePrivacyAuthorization={onAgreeWx}
          >
            同意并继续
          </Button>
        ) : (
          <Button className="btn btn-primary" onClick={() => answer(true)}>
            同意并继续
          </Button>
        )}
        <Button className="btn btn-plain" onClick={() => answer(false)}>
          不同意
        </Button>
      </View>
    </View>
  ) : null;

  return { requestConsent, popup };
}
