/**
 * The permission catalog, shared by the server (route declarations, checks) and the console
 * (menus, role editor). A permission is held through a role granted *in an org unit* and covers
 * that unit's subtree; `global` permissions count only when granted at a root unit.
 */
export const permissionCatalog = {
  'org:read': { module: 'org', global: false, zh: '查看组织架构', en: 'View organisation' },
  'org:manage': { module: 'org', global: false, zh: '管理组织架构', en: 'Manage organisation' },
  'user:read': { module: 'org', global: false, zh: '查看员工', en: 'View staff' },
  'user:manage': { module: 'org', global: false, zh: '管理员工与授权', en: 'Manage staff and grants' },
  'role:read': { module: 'org', global: false, zh: '查看角色', en: 'View roles' },
  'role:manage': { module: 'org', global: true, zh: '管理角色', en: 'Manage roles' },
  'audit:read': { module: 'audit', global: false, zh: '查看审计日志', en: 'View audit trail' },
  'ticket:read': { module: 'tickets', global: false, zh: '查看工单', en: 'View work orders' },
  'ticket:create': { module: 'tickets', global: false, zh: '登记工单', en: 'Register work orders' },
  'ticket:update': { module: 'tickets', global: false, zh: '处理工单', en: 'Handle work orders' },
  'ticket:assign': { module: 'tickets', global: false, zh: '分派与转派工单', en: 'Assign and transfer work orders' },
  'ticket:close': { module: 'tickets', global: false, zh: '关闭工单', en: 'Close work orders' },
  'ticket:approve_compensation': { module: 'tickets', global: false, zh: '审批补偿', en: 'Approve compensation' },
  'callback:perform': { module: 'tickets', global: false, zh: '执行回访', en: 'Perform callbacks' },
  'routing:manage': { module: 'tickets', global: false, zh: '管理分流规则', en: 'Manage routing rules' },
  'ticket:configure': { module: 'tickets', global: false, zh: '工单设置（分类、自定义字段）', en: 'Configure work orders (categories, custom fields)' },
  'customer:read': { module: 'customers', global: false, zh: '查看客户档案', en: 'View customer files' },
  'customer:manage': { module: 'customers', global: false, zh: '维护客户档案', en: 'Maintain customer files' },
  'customer:read_secret': { module: 'customers', global: false, zh: '查阅秘密级档案', en: 'Read 秘密 (secret) files' },
  'customer:read_confidential': { module: 'customers', global: false, zh: '查阅机密级档案', en: 'Read 机密 (confidential) files' },
  'customer:read_top_secret': { module: 'customers', global: false, zh: '查阅绝密级档案', en: 'Read 绝密 (top secret) files' },
  'customer:approve_destruction': { module: 'customers', global: false, zh: '审批档案销毁（客服部经理）', en: 'Approve file destruction (service manager)' },
  'customer:destruction_review': { module: 'customers', global: false, zh: '申请与初审档案销毁（客户信息主管）', en: 'Request and first-approve file destruction (records officer)' },
  'customer:destruction_final': { module: 'customers', global: false, zh: '终审档案销毁（总经理）', en: 'Give the final approval of file destruction (general manager)' },
  'sla:manage': { module: 'sla', global: false, zh: '管理服务时限与日历', en: 'Manage time limits and calendars' },
  'knowledge:manage': { module: 'knowledge', global: false, zh: '维护知识库', en: 'Maintain knowledge base' },
  'workforce:manage': { module: 'workforce', global: false, zh: '排班与考勤', en: 'Rosters and attendance' },
  'quality:inspect': { module: 'quality', global: false, zh: '质检抽查', en: 'Quality inspection' },
  'report:read': { module: 'reports', global: false, zh: '查看报表', en: 'View reports' },
  'system:jobs': { module: 'audit', global: true, zh: '查看与重试后台任务', en: 'View and retry background jobs' },
} as const;

export type Permission = keyof typeof permissionCatalog;
export const allPermissions = Object.keys(permissionCatalog) as Permission[];

export function isPermission(p: string): p is Permission {
  return Object.hasOwn(permissionCatalog, p);
}

type BuiltInRole = { key: string; zh: string; en: string; permissions: readonly Permission[] };

const agentBase: Permission[] = ['org:read', 'ticket:read', 'ticket:create', 'ticket:update', 'callback:perform', 'customer:read'];
const leadBase: Permission[] = [...agentBase, 'ticket:assign', 'ticket:close', 'user:read', 'role:read'];
const supervisorBase: Permission[] = [...leadBase, 'customer:read_secret', 'quality:inspect', 'knowledge:manage', 'workforce:manage', 'report:read', 'audit:read'];
const managerBase: Permission[] = [
  ...supervisorBase,
  'customer:read_confidential',
  'customer:manage',
  'customer:approve_destruction',
  'ticket:approve_compensation',
  'user:manage',
  'sla:manage',
  'routing:manage',
  'ticket:configure',
];

/** The roles of the domain (domain.md §1). Administrators can add more; built-in ones cannot be deleted. */
export const builtInRoles: readonly BuiltInRole[] = (
  [
  { key: 'admin', zh: '系统管理员', en: 'Administrator', permissions: allPermissions },
  { key: 'director', zh: '总监/总经理', en: 'Director', permissions: [...managerBase, 'customer:read_top_secret', 'customer:destruction_final', 'org:manage'] },
  { key: 'manager', zh: '客服部经理', en: 'Manager', permissions: managerBase },
  { key: 'supervisor', zh: '主管', en: 'Supervisor', permissions: supervisorBase },
  { key: 'shift_lead', zh: '领班/值班经理', en: 'Shift lead', permissions: leadBase },
  { key: 'agent', zh: '客服专员', en: 'Agent', permissions: agentBase },
  { key: 'qa_inspector', zh: '质检员', en: 'QA inspector', permissions: ['org:read', 'ticket:read', 'quality:inspect', 'report:read'] },
  {
    key: 'records_officer',
    zh: '客户信息管理员',
    en: 'Records officer',
    // Marks files for destruction and gives its first approval; the later steps are the manager's and the director's.
    permissions: ['org:read', 'customer:read', 'customer:manage', 'customer:read_secret', 'customer:destruction_review'],
  },
  ] as BuiltInRole[]
).map((r) => ({ ...r, permissions: [...new Set(r.permissions)] }));
