import { Text, View } from '@tarojs/components';

const SECTIONS: { title: string; body: string }[] = [
  {
    title: '我们收集什么',
    body: '评价等级、原因和您写下的内容；您自愿留下的手机号和姓名；用于识别“同一人同一天只评一次”的微信匿名标识（openid）。我们不获取您的微信昵称、头像和位置。',
  },
  {
    title: '用来做什么',
    body: '评价和投诉用于督促政务服务改进。手机号只用于责任部门回访和告知处理结果；不留手机号即为匿名，部门无法回访您。',
  },
  {
    title: '谁能看到',
    body: '被评价的窗口和部门看不到您的身份和手机号。纪委监委和负责回访的人员只能看到打码后的手机号，拨打回访电话时才使用完整号码。投诉人身份只有纪委监委可见。',
  },
  {
    title: '如何保存',
    body: '手机号和姓名加密存储；所有查看和处理记录留痕备查。评价一经提交不可修改，您可以追加追评。',
  },
  {
    title: '您的权利',
    body: '您可以随时选择匿名评价或匿名投诉。如需查询、更正或删除个人信息，请通过“投诉举报”联系我们。',
  },
];

export default function Privacy() {
  return (
    <View className="page">
      <View className="card">
        <View className="title">码上监督隐私保护指引</View>
        <View className="hint">我们只收集办理评价和投诉所必需的信息。</View>
      </View>
      {SECTIONS.map((s) => (
        <View key={s.title} className="card">
          <View className="section-title">{s.title}</View>
          <Text>{s.body}</Text>
        </View>
      ))}
    </View>
  );
}
