export default definePageConfig({ navigationBarTitleText: '统计与趋势' });
