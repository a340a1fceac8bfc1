export default definePageConfig({ navigationBarTitleText: '走访评价' });
