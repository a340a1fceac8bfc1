import { Text, View } from '@tarojs/components';

const SECTIONS: { title: string; body: string }[] = [
  {
    title: '我们收集什么',
    body: '评价等级、原因和您写下的内容；您自愿留下的手机号和姓名；用于识别“同一人同一天只评一次”的微信匿名标识（openid）。我们不获取您的微信昵称、头像和位置。',
  },
  {
    title: '用来做什么',
    body: '评价和投诉用于督促政务服务改进。手机号只用于回访和告知处理结果；不留手机号即为匿名，无法回访您。留手机号评价时，您可以选择由“责任部门”（默认）或“仅纪检监察”回访。',
  },
  {
    title: '如何保存',
    body: '手机号和姓名加密存储；所有查看和处理记录留痕备查。督办件办结 180 天后，手机号和姓名自动删除。评价一经提交不可修改，您可以对每次办结追评一次。',
  },
  {
    title: '您的权利',
    body: '您可以随时选择匿名评价或匿名投诉。如需查询、更正或删除个人信息，请通过“投诉举报”联系我们。',
  },
];

/**
 * Who may see a phone or name, one sentence per reader, starting with the reader's label (shared/src/contact.ts
 * CONTACT_READERS). A page test checks each sentence against the rule the API enforces (mayRevealContact).
 */
export const WHO_SEES: string[] = [
  '纪检监察：可以查看评价人和投诉人的手机号（实名投诉还有姓名），用于回访和核查。',
  '责任部门负责回访的人员：只有您评价时选择由“责任部门”回访（默认）时，才可以查看您的手机号回访您；选择“仅纪检监察”时看不到。投诉人的任何身份信息都看不到。',
  '被评价的窗口工作人员：看不到您的姓名和手机号，打码后的号码也看不到。',
  '平台运维人员：看不到您的姓名和手机号，打码后的号码也看不到。',
  '督办件和各类列表中不显示号码；可以查看的人员须逐次点击查看并填写原因，谁在何时查看了哪件都记录在审计日志中。投诉的受理编号、是否实名和投诉原文，只有纪检监察能看到；转给部门的只是纪检监察填写的转办内容。',
];

export default function Privacy() {
  return (
    <View className="page">
      <View className="card">
        <View className="title">码上监督隐私保护指引</View>
        <View className="hint">我们只收集办理评价和投诉所必需的信息。</View>
      </View>
      {SECTIONS.slice(0, 2).map((s) => (
        <View key={s.title} className="card">
          <View className="section-title">{s.title}</View>
          <Text>{s.body}</Text>
        </View>
      ))}
      <View className="card" data-testid="who-sees">
        <View className="section-title">谁能看到</View>
        {WHO_SEES.map((line) => (
          <View key={line} className="who-sees">
            <Text>{line}</Text>
          </View>
        ))}
      </View>
      {SECTIONS.slice(2).map((s) => (
        <View key={s.title} className="card">
          <View className="section-title">{s.title}</View>
          <Text>{s.body}</Text>
        </View>
      ))}
    </View>
  );
}
