export default definePageConfig({ navigationBarTitleText: '干部走访与预警' });
