export default definePageConfig({ navigationBarTitleText: '发送评价邀请' });
