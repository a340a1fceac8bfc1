export default definePageConfig({ navigationBarTitleText: '评价已提交' });
