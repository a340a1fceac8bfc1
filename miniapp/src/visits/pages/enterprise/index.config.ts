export default definePageConfig({ navigationBarTitleText: '企业监督码' });
