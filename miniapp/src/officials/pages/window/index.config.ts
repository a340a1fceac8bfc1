export default definePageConfig({ navigationBarTitleText: '本窗口评价' });
