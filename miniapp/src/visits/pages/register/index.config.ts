export default definePageConfig({ navigationBarTitleText: '访企登记' });
