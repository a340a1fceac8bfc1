import type { ConductLists } from '@mashang/shared';

/**
 * 政商交往正面清单和负面清单 (明白卡), versioned. Modelled on the lists published by 济南 (《济南市构建亲清政商关系
 * 正面清单和负面清单》) and 亳州 (《亳州市政商交往正负面清单》), adapted to Haibei's service windows. A new version is
 * a new entry here; complaints cite an item by id (N1…), which stays stable across versions.
 */
export const CONDUCT_LISTS: ConductLists = {
  positive: {
    version: '2026.1',
    items: [
      { id: 'P1', text: '主动上门走访企业，了解生产经营困难，帮助协调解决问题' },
      { id: 'P2', text: '依法依规为企业和群众提供政策咨询、帮办代办等服务' },
      { id: 'P3', text: '对企业反映的问题建立台账，限时办结并及时反馈' },
      { id: 'P4', text: '推行“一次性告知”“首问负责”“容缺受理”，让群众少跑腿' },
      { id: 'P5', text: '在法定权限内主动担当作为，对看准的事大胆推进' },
      { id: 'P6', text: '公开办事流程、收费标准和承诺时限，接受企业和群众监督' },
      { id: 'P7', text: '邀请企业代表参加涉企政策制定座谈，听取意见建议' },
      { id: 'P8', text: '在企业遇到困难时依法依规给予帮扶，落实惠企纾困政策' },
    ],
  },
  negative: {
    version: '2026.1',
    items: [
      { id: 'N1', text: '对企业和群众反映的问题推诿扯皮、久拖不办、敷衍塞责' },
      { id: 'N2', text: '利用职权或影响力向企业索取、收受财物，或吃拿卡要' },
      { id: 'N3', text: '接受企业安排的宴请、旅游、健身、娱乐等活动' },
      { id: 'N4', text: '在企业报销应由个人或单位支付的费用' },
      { id: 'N5', text: '违规干预企业正常生产经营活动，插手工程项目、资金分配' },
      { id: 'N6', text: '违规向企业摊派、强制企业捐赠或参加有偿培训、评比' },
      { id: 'N7', text: '违规设置审批条件、增加审批环节、随意要求补充材料' },
      { id: 'N8', text: '对涉企检查随意执法、选择性执法、以罚代管' },
      { id: 'N9', text: '向企业借用车辆、房产等，或在企业兼职取酬' },
      { id: 'N10', text: '泄露企业商业秘密或投诉举报人信息' },
    ],
  },
};

export const negativeItem = (id: string) => CONDUCT_LISTS.negative.items.find((i) => i.id === id);
