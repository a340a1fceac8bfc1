export default definePageConfig({ navigationBarTitleText: '码上监督' });
