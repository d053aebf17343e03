import type { DatabaseHandle } from '../db/database.ts';
import type { Clock } from '../server/platform/clock.ts';
import type { Logger } from '../server/platform/logger.ts';
import { systemCtx } from '../server/setup.ts';
import { createOrgUnit, updateOrgUnit } from '../server/modules/org/org-unit.service.ts';
import { orgUnitRepository } from '../server/modules/org/org-unit.repository.ts';
import { roleRepository } from '../server/modules/users/role.repository.ts';
import { createUser } from '../server/modules/users/user.service.ts';
import { progress } from './progress.ts';

export const DEMO_PASSWORD = 'Mudan-demo-2026';

type Staff = [username: string, name: string, unit: string, role: string, phone: string];

/** 牡丹酒店集团: a head office and two branches (洛阳, 郑州), their departments and 20 staff in every role. */
const staff: Staff[] = [
  ['zhou.director', '周建国', 'MD', 'director', '13903790001'],
  ['he.admin', '何晓东', 'MD', 'admin', '13903790002'],
  ['wang.manager', '王丽娟', 'LY-KF', 'manager', '13903790101'],
  ['li.supervisor', '李明', 'LY-KF', 'supervisor', '13903790102'],
  ['zhang.lead', '张伟', 'LY-KF-A', 'shift_lead', '13903790103'],
  ['liu.agent', '刘洋', 'LY-KF-A', 'agent', '13903790104'],
  ['chen.agent', '陈静', 'LY-KF-A', 'agent', '13903790105'],
  ['yang.agent', '杨帆', 'LY-KF-B', 'agent', '13903790106'],
  ['zhao.qa', '赵敏', 'LY-KF', 'qa_inspector', '13903790107'],
  ['sun.records', '孙丽', 'LY-KF', 'records_officer', '13903790108'],
  ['wu.engineer', '吴刚', 'LY-GC', 'agent', '13903790109'],
  ['zheng.manager', '郑海燕', 'ZZ-KF', 'manager', '13703710201'],
  ['feng.supervisor', '冯涛', 'ZZ-KF', 'supervisor', '13703710202'],
  ['chu.lead', '褚红', 'ZZ-KF-A', 'shift_lead', '13703710203'],
  ['wei.agent', '卫东', 'ZZ-KF-A', 'agent', '13703710204'],
  ['jiang.agent', '蒋雪', 'ZZ-KF-A', 'agent', '13703710205'],
  ['shen.agent', '沈磊', 'ZZ-KF-B', 'agent', '13703710206'],
  ['han.qa', '韩梅', 'ZZ-KF', 'qa_inspector', '13703710207'],
  ['xu.records', '许婷', 'ZZ-KF', 'records_officer', '13703710208'],
  ['lv.finance', '吕强', 'ZZ-CW', 'agent', '13703710209'],
];

type UnitSpec = [code: string, name: string, kind: 'group' | 'company' | 'department' | 'team', parent: string | null];
const branchUnits = (code: string, city: string): UnitSpec[] => [
  [code, `${city}分店`, 'company', 'MD'],
  [`${code}-KF`, '客服部', 'department', code],
  [`${code}-KF-A`, '客服早班组', 'team', `${code}-KF`],
  [`${code}-KF-B`, '客服晚班组', 'team', `${code}-KF`],
  [`${code}-QT`, '前厅部', 'department', code],
  [`${code}-GC`, '工程部', 'department', code],
  [`${code}-CW`, '财务部', 'department', code],
  [`${code}-CY`, '餐饮部', 'department', code],
];
const units: UnitSpec[] = [['MD', '牡丹酒店集团', 'group', null], ...branchUnits('LY', '洛阳'), ...branchUnits('ZZ', '郑州')];

export async function loadDemo(h: DatabaseHandle, clock: Clock, log: Logger): Promise<string> {
  if (await orgUnitRepository.byCode(h.db, 'LY')) return 'The demo organisation 牡丹酒店集团 is already loaded.\n';
  const ctx = systemCtx(h, clock, log);
  const bar = progress('demo', units.length + staff.length);
  const ids = new Map<string, string>();
  // The organisation's root (made at first start as 总部) becomes the hotel group.
  const root = (await orgUnitRepository.listInScope(h.db, ['/'])).find((u) => u.parent_id === null)!;
  await updateOrgUnit(ctx, root.id, { version: Number(root.version), name: '牡丹酒店集团', code: 'MD' });
  ids.set('MD', root.id);
  bar.tick();
  for (const [code, name, kind, parent] of units.slice(1)) {
    const u = await createOrgUnit(ctx, { parentId: parent ? ids.get(parent)! : null, kind, name, code, timeZone: 'Asia/Shanghai' });
    ids.set(code, u.id);
    bar.tick();
  }
  for (const [username, name, unit, roleKey, phone] of staff) {
    const role = (await roleRepository.byKey(h.db, roleKey))!;
    // Staff act in their department (a branch's 客服部 covers both of its shift teams); the group's people act at the group.
    const grantUnit = unit.split('-').slice(0, 2).join('-');
    await createUser(ctx, {
      username,
      displayName: name,
      phone,
      email: `${username}@mudan-hotels.example`,
      employeeNo: `E${String(staff.findIndex((s) => s[0] === username) + 1).padStart(4, '0')}`,
      orgUnitId: ids.get(unit)!,
      password: DEMO_PASSWORD,
      grants: [{ roleId: role.id, orgUnitId: ids.get(grantUnit)! }],
    });
    bar.tick();
  }
  bar.end();
  return `Demo loaded: 牡丹酒店集团 with ${units.length} units and ${staff.length} staff.\nEvery demo account's password: ${DEMO_PASSWORD} (to be changed at first sign-in), e.g. wang.manager (洛阳 客服部经理), liu.agent (洛阳 客服专员).\n`;
}
