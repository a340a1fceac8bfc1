export default definePageConfig({ navigationBarTitleText: '督办件详情' });
