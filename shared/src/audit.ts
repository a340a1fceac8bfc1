import * as z from 'zod/mini';

/**
 * The audit trail (SPEC §2.6, §4): every operator and official action is one append-only entry. Actions are
 * `<target kind>.<verb>`; add new ones here (with their Chinese label) rather than inventing strings elsewhere.
 */
export const AUDIT_ACTIONS = [
  'department.create',
  'department.update',
  'department.retire',
  'window.create',
  'window.update',
  'window.retire',
  'enterprise.create',
  'enterprise.update',
  'enterprise.retire',
  'import.validate',
  'import.commit',
  'code.revoke',
  'code.reissue',
  'poster.generate',
  'person.create',
  'person.update',
  'role.grant',
  'role.revoke',
  'binding.issue',
  'binding.bind',
  'binding.unbind',
  'contact.reveal',
  'letter.download',
  'calendar.update',
  'export.create',
  'case.action',
  'case.open',
  'case.interview',
  'visit.withdraw',
  'setting.update',
  'report.generate',
  'report.regenerate',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  'department.create': '新建部门',
  'department.update': '修改部门',
  'department.retire': '停用部门',
  'window.create': '新建窗口',
  'window.update': '修改窗口',
  'window.retire': '停用窗口',
  'enterprise.create': '新建企业',
  'enterprise.update': '修改企业',
  'enterprise.retire': '停用企业',
  'import.validate': '导入预检',
  'import.commit': '导入提交',
  'code.revoke': '停用监督码',
  'code.reissue': '重新生成监督码',
  'poster.generate': '生成海报',
  'person.create': '新建人员',
  'person.update': '修改人员',
  'role.grant': '授予角色',
  'role.revoke': '撤销角色',
  'binding.issue': '签发绑定码',
  'binding.bind': '绑定微信',
  'binding.unbind': '解除绑定',
  'contact.reveal': '查看联系方式',
  'letter.download': '下载工作提示函',
  'calendar.update': '修改节假日',
  'export.create': '导出数据',
  'case.action': '督办件操作',
  'case.open': '监督检查立案',
  'case.interview': '记录约谈',
  'visit.withdraw': '撤回走访登记',
  'setting.update': '修改设置',
  'report.generate': '生成月度报告',
  'report.regenerate': '重新生成月度报告',
};

export const AUDIT_TARGET_KINDS = [
  'department',
  'window',
  'enterprise',
  'import',
  'code',
  'poster',
  'person',
  'role',
  'binding',
  'case',
  'letter',
  'calendar',
  'export',
  'visit',
  'setting',
  'report',
] as const;
export type AuditTargetKind = (typeof AUDIT_TARGET_KINDS)[number];

export interface AuditActor {
  userId: string;
  /** The role whose grant allowed the action, and that grant's scope. */
  role: string;
  scope: string;
}

export interface AuditEntry {
  id: string;
  /** ISO instant. */
  at: string;
  actor: AuditActor;
  action: AuditAction;
  target: { kind: AuditTargetKind; id: string; name?: string };
  /** The scope path the action happened in (the target's path); listing is by this path. */
  scope: string;
  before?: unknown;
  after?: unknown;
  reason?: string;
}

const PATH = /^haibei(\/[A-Za-z0-9-]+){0,3}$/;
const INSTANT = z
  .string()
  .check(
    z.refine(
      (s) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}/.test(s),
      '时间格式不正确（例如 2026-12-01 或 2026-12-01T08:00:00Z）',
    ),
  );

/** GET /v1/audit query. `from`/`to` are dates (China time, whole days) or ISO instants. */
export const AuditQuery = z.strictObject({
  scope: z.optional(z.string().check(z.regex(PATH, '范围格式不正确'))),
  action: z.optional(z.enum(AUDIT_ACTIONS, { error: '操作类型不正确' })),
  actor: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, '操作人编号格式不正确'))),
  targetKind: z.optional(z.enum(AUDIT_TARGET_KINDS, { error: '对象类型不正确' })),
  targetId: z.optional(z.string().check(z.regex(/^[A-Za-z0-9._-]{1,80}$/, '对象编号格式不正确'))),
  from: z.optional(INSTANT),
  to: z.optional(INSTANT),
  cursor: z.optional(z.string().check(z.maxLength(1024, '分页游标无效'))),
  limit: z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(100))),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export interface AuditEntryView extends AuditEntry {
  actionLabel: string;
}
