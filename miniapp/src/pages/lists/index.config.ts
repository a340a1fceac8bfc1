export default definePageConfig({ navigationBarTitleText: '政商交往明白卡' });
