/** Runtime settings from /config.js (written by `npm start` or the deployment), so one build serves every environment. */
export interface ConsoleConfig {
  apiBase: string;
  /** WeChat website application (网站应用) for QR login; absent → only stand-in login codes are offered. */
  wechatWebAppId?: string;
  /** Where the QR login page lives: WeChat's open platform in production, the stand-in locally. */
  wechatQrBase?: string;
}

export function consoleConfig(): ConsoleConfig {
  const c = (globalThis as unknown as { __MASHANG_CONFIG__?: Partial<ConsoleConfig> }).__MASHANG_CONFIG__ ?? {};
  return {
    apiBase: c.apiBase ?? 'http://127.0.0.1:3000',
    wechatWebAppId: c.wechatWebAppId,
    wechatQrBase: c.wechatQrBase,
  };
}
