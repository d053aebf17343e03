import type { DatabaseHandle } from '../db/database.ts';
import { migrateToLatest } from '../db/database.ts';
import { systemActor } from './platform/actor.ts';
import { iso, type Clock } from './platform/clock.ts';
import type { Ctx } from './platform/context.ts';
import type { Logger } from './platform/logger.ts';
import { newId } from './platform/ids.ts';
import { generatePassword, hashPassword } from './modules/auth/password.ts';
import { recordAudit } from './modules/audit/audit.service.ts';
import { orgUnitRepository } from './modules/org/org-unit.repository.ts';
import { ensureBuiltInRoles } from './modules/users/role.service.ts';
import { roleRepository } from './modules/users/role.repository.ts';
import { userRepository } from './modules/users/user.repository.ts';

export function systemCtx(h: DatabaseHandle, clock: Clock, log: Logger, afterCommit: () => void = () => {}): Ctx {
  return { actor: systemActor(), db: h.db, clock, log, lang: 'zh', requestId: null, ip: null, afterCommit };
}

/**
 * Brings a database to a usable state: migrations, built-in roles, and on an empty database a
 * head-office unit and an administrator whose one-time password is returned (to be printed once).
 */
export async function prepareDatabase(
  h: DatabaseHandle,
  clock: Clock,
  log: Logger,
  adminPassword?: string,
): Promise<{ applied: string[]; admin?: { username: string; password: string; generated: boolean } }> {
  const applied = await migrateToLatest(h.db);
  const ctx = systemCtx(h, clock, log);
  return h.db.transaction().execute(async (trx) => {
    const now = iso(clock.now());
    await ensureBuiltInRoles(trx, now);
    if ((await userRepository.countAll(trx)) > 0) return { applied };
    const password = adminPassword ?? generatePassword();
    let root = await orgUnitRepository.byCode(trx, 'HQ');
    if (!root) {
      const id = newId();
      root = { id, parent_id: null, path: `/${id}/`, kind: 'group', name: '总部', code: 'HQ', time_zone: 'Asia/Shanghai', created_at: now, updated_at: now, version: 1 };
      await orgUnitRepository.insert(trx, root);
    }
    const adminRole = (await roleRepository.byKey(trx, 'admin'))!;
    const id = newId();
    await userRepository.insert(trx, {
      id,
      username: 'admin',
      display_name: '系统管理员',
      phone: null,
      email: null,
      employee_no: null,
      org_unit_id: root.id,
      status: 'active',
      password_hash: await hashPassword(password),
      // An automated set-up chose its password; a printed one is changed at first sign-in.
      must_change_password: adminPassword ? 0 : 1,
      password_changed_at: null,
      failed_logins: 0,
      locked_until: null,
      last_login_at: null,
      created_at: now,
      updated_at: now,
      version: 1,
    });
    await userRepository.replaceGrants(trx, id, [{ id: newId(), role_id: adminRole.id, org_unit_id: root.id, created_at: now }]);
    await recordAudit(trx, ctx, { action: 'user.create', entityType: 'user', entityId: id, orgUnitId: root.id, after: { username: 'admin', grants: ['admin'] } });
    return { applied, admin: { username: 'admin', password, generated: !adminPassword } };
  });
}
