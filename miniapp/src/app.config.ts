// app.json — https://developers.weixin.qq.com/miniprogram/dev/reference/configuration/app.html
// The first page is what a citizen sees after a scan, so the main package holds only citizen pages;
// officials' pages live in the `officials` subpackage and download only when opened.
export default defineAppConfig({
  pages: [
    'pages/index/index',
    'pages/rate/index',
    'pages/thanks/index',
    'pages/complaint/index',
    'pages/track/index',
    'pages/lists/index',
    'pages/mine/index',
    'pages/case/index',
    'pages/privacy/index',
    'pages/login/index',
    'pages/invite/index',
  ],
  subPackages: [
    {
      root: 'officials',
      name: 'officials',
      pages: [
        'pages/home/index',
        'pages/cases/index',
        'pages/case/index',
        'pages/alerts/index',
        'pages/visits/index',
        'pages/invite/index',
        'pages/window/index',
        'pages/stats/index',
        'pages/bind/index',
      ],
    },
    {
      // Enterprise contacts and visiting officials (干部访企登记): outside the main package, which is what a
      // citizen waits for after scanning a window code.
      root: 'visits',
      name: 'visits',
      pages: [
        'pages/enterprise/index',
        'pages/bind/index',
        'pages/register/index',
        'pages/rate/index',
        'pages/log/index',
        'pages/mine/index',
      ],
    },
    {
      // 满意度公示 (public, no login): outside the main package.
      root: 'public',
      name: 'public',
      pages: ['pages/satisfaction/index'],
    },
  ],
  window: {
    navigationBarTitleText: '码上监督',
    navigationBarBackgroundColor: '#b71c1c',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f5f5f5',
  },
  // Required for wx.requirePrivacyAuthorize / onNeedPrivacyAuthorization before the phone is collected:
  // https://developers.weixin.qq.com/miniprogram/dev/framework/user-privacy/PrivacyAuthorize.html
  __usePrivacyCheck__: true,
} as Taro.AppConfig);
