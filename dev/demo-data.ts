import { createHash } from 'node:crypto';
import {
  creditCodeCheckChar,
  PREFECTURE_ID,
  PREFECTURE_LEVEL_REGION,
  REGIONS,
  regionPath,
  type RoleGrant,
} from '@mashang/shared';

/**
 * The Haibei demo data set: the prefecture's own departments and its four counties, ~1200 windows, ~120
 * enterprises with valid 统一社会信用代码, and the demo officials of SPEC §5. Deterministic: the same ids and
 * codes every run, so seeding twice duplicates nothing and printed demo codes stay valid.
 */
export { REGIONS };
export const PREFECTURE = { id: PREFECTURE_ID, name: '海北藏族自治州' };

/** Department kinds, their share of the windows, and their windows' names. */
const DEPARTMENT_KINDS = [
  {
    slug: 'zwfw',
    name: '政务服务中心',
    weight: 5,
    windows: [
      '综合受理窗口',
      '企业开办专区窗口',
      '工程建设项目审批窗口',
      '帮办代办窗口',
      '跨省通办窗口',
      '出件窗口',
      '咨询导办台',
    ],
  },
  {
    slug: 'scjg',
    name: '市场监督管理局',
    weight: 2,
    windows: ['登记注册科', '食品经营许可窗口', '药品医疗器械窗口', '特种设备窗口', '知识产权窗口'],
  },
  {
    slug: 'zrzy',
    name: '自然资源局',
    weight: 2,
    windows: ['不动产登记受理窗口', '用地审批科', '规划许可窗口', '测绘地理信息窗口'],
  },
  {
    slug: 'zjj',
    name: '住房和城乡建设局',
    weight: 2,
    windows: ['施工许可窗口', '建筑业资质窗口', '房产交易窗口', '住房公积金窗口'],
  },
  {
    slug: 'rsj',
    name: '人力资源和社会保障局',
    weight: 2,
    windows: ['社保参保登记窗口', '养老保险待遇窗口', '就业登记窗口', '社保卡服务窗口', '劳动保障监察科'],
  },
  {
    slug: 'sw',
    name: '税务局',
    weight: 2,
    windows: ['办税服务厅综合窗口', '发票领用窗口', '社保费征缴窗口', '纳税咨询窗口'],
  },
  { slug: 'ga', name: '公安局', weight: 2, windows: ['户政窗口', '出入境接待窗口', '身份证办理窗口', '车驾管窗口'] },
  { slug: 'yb', name: '医疗保障局', weight: 1, windows: ['医保参保窗口', '异地就医备案窗口', '医疗费用报销窗口'] },
  { slug: 'jt', name: '交通运输局', weight: 1, windows: ['道路运输许可窗口', '营运车辆审验窗口'] },
  {
    slug: 'nync',
    name: '农业农村局',
    weight: 1,
    windows: ['农机购置补贴窗口', '兽药饲料许可窗口', '动物检疫证明窗口'],
  },
  { slug: 'wjw', name: '卫生健康委员会', weight: 1, windows: ['医师执业注册窗口', '公共场所卫生许可窗口'] },
  { slug: 'mz', name: '民政局', weight: 1, windows: ['婚姻登记窗口', '社会救助窗口'] },
  { slug: 'sthj', name: '生态环境局', weight: 1, windows: ['环评审批窗口', '排污许可窗口'] },
  { slug: 'lcj', name: '林业和草原局', weight: 1, windows: ['林木采伐许可窗口', '草原征占用审核窗口'] },
];

const WINDOWS_PER_REGION = 240;

export interface DemoDepartment {
  id: string;
  name: string;
  level: '州' | '县';
  regionId: string;
  regionName: string;
  path: string;
}
export interface DemoWindow {
  id: string;
  name: string;
  kind: '审批科室' | '服务窗口';
  department: { id: string; name: string };
  county: { id: string; name: string };
  path: string;
}
export interface DemoEnterprise {
  id: string;
  name: string;
  creditCode: string;
  county: { id: string; name: string };
  path: string;
  contactName: string;
  contactPhone: string;
}
export interface DemoOfficial {
  loginCode: string;
  name: string;
  phone: string;
  grants: RoleGrant[];
}

/** A small deterministic PRNG (mulberry32), so the data set is the same on every machine (all demo seeds use it). */
export function rng(seed: string) {
  let a = createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

const SURNAMES = ['马', '李', '王', '张', '韩', '才让', '桑吉', '赵', '祁', '冶', '刘', '杨', '陈', '星', '达娃'];
const GIVEN = [
  '建国',
  '秀英',
  '海龙',
  '卓玛',
  '文军',
  '玉兰',
  '志强',
  '永福',
  '措毛',
  '德吉',
  '明辉',
  '春梅',
  '国栋',
  '梅朵',
  '成林',
];

export function personName(r: () => number): string {
  return pick(r, SURNAMES) + pick(r, GIVEN);
}
export function mobile(r: () => number): string {
  return `1${pick(r, ['39', '38', '37', '58', '89', '77', '35'])}${String(Math.floor(r() * 1e8)).padStart(8, '0')}`;
}

export function buildDepartments(): DemoDepartment[] {
  return REGIONS.flatMap((region) =>
    DEPARTMENT_KINDS.map((k) => ({
      id: `${region.id}-${k.slug}`,
      name: `${region.short}${k.name}`,
      level: region.id === PREFECTURE_LEVEL_REGION ? ('州' as const) : ('县' as const),
      regionId: region.id,
      regionName: region.name,
      path: `${regionPath(region.id)}/${region.id}-${k.slug}`,
    })),
  );
}

export function buildWindows(): DemoWindow[] {
  const totalWeight = DEPARTMENT_KINDS.reduce((s, k) => s + k.weight, 0);
  const out: DemoWindow[] = [];
  for (const region of REGIONS) {
    for (const kind of DEPARTMENT_KINDS) {
      const deptId = `${region.id}-${kind.slug}`;
      const count = Math.round((kind.weight * WINDOWS_PER_REGION) / totalWeight);
      for (let i = 0; i < count; i++) {
        const base = kind.windows[i % kind.windows.length];
        const n = Math.floor(i / kind.windows.length) + 1;
        const name = base.endsWith('科') ? (n === 1 ? base : `${base}（${n}）`) : `${base}${n}号`;
        const id = `${deptId}-w${String(i + 1).padStart(2, '0')}`;
        out.push({
          id,
          name,
          kind: base.endsWith('科') ? '审批科室' : '服务窗口',
          department: { id: deptId, name: `${region.short}${kind.name}` },
          county: { id: region.id, name: region.name },
          path: `${regionPath(region.id)}/${deptId}/${id}`,
        });
      }
    }
  }
  return out;
}

const ENTERPRISE_CORES = [
  '鑫源',
  '祥和',
  '聚丰',
  '雪域',
  '高原',
  '金银滩',
  '青海湖',
  '祁连山',
  '达坂山',
  '仙米',
  '浩门',
  '宝库',
  '卓尔山',
  '八宝',
  '沙柳河',
  '哈尔盖',
  '默勒',
  '永安',
  '宏达',
  '瑞丰',
];
const ENTERPRISE_KINDS = [
  { suffix: '畜牧养殖专业合作社', type: '93' },
  { suffix: '农牧业开发有限公司', type: '91' },
  { suffix: '文化旅游有限公司', type: '91' },
  { suffix: '建筑工程有限公司', type: '91' },
  { suffix: '商贸有限公司', type: '91' },
  { suffix: '油菜籽加工有限公司', type: '91' },
  { suffix: '藏毯织造有限公司', type: '91' },
  { suffix: '光伏发电有限公司', type: '91' },
  { suffix: '生态牧业有限公司', type: '91' },
  { suffix: '物流运输有限公司', type: '91' },
];
const CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

export function buildEnterprises(count = 120): DemoEnterprise[] {
  const r = rng('enterprises');
  const seen = new Set<string>();
  const out: DemoEnterprise[] = [];
  for (let i = 0; out.length < count; i++) {
    const region = REGIONS[1 + (i % 4)];
    const kind = ENTERPRISE_KINDS[Math.floor(r() * ENTERPRISE_KINDS.length)];
    const name = `${region.short}${pick(r, ENTERPRISE_CORES)}${kind.suffix}`;
    if (seen.has(name)) continue;
    seen.add(name);
    let org = '';
    for (let j = 0; j < 9; j++) org += CODE_ALPHABET[Math.floor(r() * CODE_ALPHABET.length)];
    const first17 = `${kind.type}${region.adminCode}${org}`;
    const id = `ent-${String(out.length + 1).padStart(3, '0')}`;
    out.push({
      id,
      name,
      creditCode: first17 + creditCodeCheckChar(first17),
      county: { id: region.id, name: region.name },
      path: `${regionPath(region.id)}/${id}`,
      contactName: personName(r),
      contactPhone: mobile(r),
    });
  }
  return out;
}

/** SPEC §5 demo officials: operator and inspector of the prefecture, one inspector per county, one handler per department. */
export function buildOfficials(departments: DemoDepartment[]): DemoOfficial[] {
  const r = rng('officials');
  const official = (loginCode: string, grants: RoleGrant[]): DemoOfficial => ({
    loginCode,
    name: personName(r),
    phone: mobile(r),
    grants,
  });
  return [
    official('demo-operator', [{ role: 'operator', scope: PREFECTURE_ID }]),
    official('demo-inspector', [{ role: 'inspector', scope: PREFECTURE_ID }]),
    ...REGIONS.filter((g) => g.id !== PREFECTURE_LEVEL_REGION).map((g) =>
      official(`demo-inspector-${g.id}`, [{ role: 'inspector', scope: regionPath(g.id) }]),
    ),
    ...departments.map((d) => official(`demo-handler-${d.id}`, [{ role: 'handler', scope: d.path }])),
  ];
}

/** Deterministic code id for a seeded window or enterprise. */
export function seededCodeId(kind: 'window' | 'enterprise', id: string): string {
  const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const bytes = createHash('sha256').update(`seed-code:${id}`).digest();
  let s = kind === 'window' ? 'w' : 'e';
  for (let i = 0; i < 8; i++) s += B62[bytes[i] % 62];
  return s;
}

/**
 * 一事一评 demo: about 340 SMS rating invitations over the last two months (the seed's "推送评价短信340余条"), from
 * realistic matters at the windows that handle them; some rated, some expired unrated, some undelivered, some
 * skipped by the once-a-day cap. Deterministic for a given `now` day (ids from a seeded PRNG).
 */
const MATTERS: { matter: string; kind: string; window: string }[] = [
  { matter: '营业执照办理', kind: 'scjg', window: '登记注册科' },
  { matter: '营业执照办理', kind: 'zwfw', window: '企业开办专区窗口' },
  { matter: '食品经营许可', kind: 'scjg', window: '食品经营许可窗口' },
  { matter: '社保卡补办', kind: 'rsj', window: '社保卡服务窗口' },
  { matter: '养老保险待遇领取资格认证', kind: 'rsj', window: '养老保险待遇窗口' },
  { matter: '不动产登记', kind: 'zrzy', window: '不动产登记受理窗口' },
  { matter: '医保报销', kind: 'yb', window: '医疗费用报销窗口' },
  { matter: '异地就医备案', kind: 'yb', window: '异地就医备案窗口' },
  { matter: '户口迁移', kind: 'ga', window: '户政窗口' },
  { matter: '身份证办理', kind: 'ga', window: '身份证办理窗口' },
  { matter: '公积金提取', kind: 'zjj', window: '住房公积金窗口' },
  { matter: '发票领用', kind: 'sw', window: '发票领用窗口' },
  { matter: '婚姻登记', kind: 'mz', window: '婚姻登记窗口' },
  { matter: '综合事项受理', kind: 'zwfw', window: '综合受理窗口' },
];

export type DemoInvitationOutcome = 'rated' | 'expired' | 'delivered' | 'failed' | 'skipped';

export interface DemoInvitation {
  n: number;
  serviceId: string;
  window: DemoWindow;
  matter: string;
  phone: string;
  completedAt: string;
  sentAt: string;
  outcome: DemoInvitationOutcome;
  /** For rated ones: level 3–5 and when. */
  level?: 3 | 4 | 5;
  ratedAt?: string;
}

export function buildInvitations(windows: DemoWindow[], now: Date, count = 342): DemoInvitation[] {
  const r = rng('invitations');
  const candidates = MATTERS.map((m) => ({
    ...m,
    windows: windows.filter((w) => w.department.id.endsWith(`-${m.kind}`) && w.name.startsWith(m.window)),
  })).filter((m) => m.windows.length > 0);
  const day = 86400000;
  // Midnight China time of today, so the set is the same all day.
  const today = Math.floor((now.getTime() + 8 * 3600000) / day) * day - 8 * 3600000;
  const out: DemoInvitation[] = [];
  for (let n = 0; n < count; n++) {
    const m = pick(r, candidates);
    const window = pick(r, m.windows);
    const daysAgo = 1 + Math.floor(r() * 60);
    // Completed between 09:00 and 17:30; the SMS leaves a few minutes later (never in quiet hours).
    const completed = today - daysAgo * day + (9 * 60 + Math.floor(r() * 510)) * 60000;
    const sent = completed + (2 + Math.floor(r() * 20)) * 60000;
    const roll = r();
    const old = now.getTime() - sent >= 7 * day;
    let outcome: DemoInvitationOutcome;
    if (roll < 0.06) outcome = 'skipped';
    else if (roll < 0.13) outcome = 'failed';
    else if (roll < 0.58) outcome = 'rated';
    else outcome = old ? 'expired' : 'delivered';
    const inv: DemoInvitation = {
      n,
      serviceId: `QSB-${new Date(completed).toISOString().slice(0, 10).replace(/-/g, '')}-${String(n + 1).padStart(4, '0')}`,
      window,
      matter: m.matter,
      phone: mobile(r),
      completedAt: new Date(completed).toISOString(),
      sentAt: new Date(sent).toISOString(),
      outcome,
    };
    if (outcome === 'rated') {
      const lv = r();
      inv.level = lv < 0.7 ? 5 : lv < 0.93 ? 4 : 3;
      inv.ratedAt = new Date(Math.min(sent + Math.floor(r() * 3 * day) + 600000, now.getTime() - 60000)).toISOString();
    }
    out.push(inv);
  }
  return out;
}
