import { sql } from 'kysely';
import { runCompiled } from '../../../db/compiled.ts';
import type { Tx } from '../../../db/database.ts';
import type { UserTable } from '../../../db/schema.ts';
import { inScope } from '../../platform/actor.ts';

export type UserRow = UserTable;
export type UserWithUnit = UserRow & { unit_name: string; unit_path: string };
export interface GrantRow {
  id: string;
  user_id: string;
  role_id: string;
  role_key: string;
  permissions: string;
  org_unit_id: string;
  unit_name: string;
  unit_path: string;
  unit_parent_id: string | null;
}

/** `%` and `_` in user input are literal. */
export const likeContains = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export const userRepository = {
  base(db: Tx) {
    return db.selectFrom('users').innerJoin('org_units as u', 'u.id', 'users.org_unit_id').selectAll('users').select(['u.name as unit_name', 'u.path as unit_path']);
  },

  async byIdInScope(db: Tx, id: string, paths: string[]): Promise<UserWithUnit | undefined> {
    return this.base(db).where('users.id', '=', id).where(inScope(sql.ref('u.path'), paths)).executeTakeFirst();
  },

  /** Also read on every request with a bearer token: compiled once, bound per call. */
  async byId(db: Tx, id: string): Promise<UserWithUnit | undefined> {
    return (await runCompiled(db, 'users.byId', [id], (d) => this.base(d).where('users.id', '=', id))).rows[0];
  },

  async byUsername(db: Tx, username: string): Promise<UserRow | undefined> {
    return db.selectFrom('users').selectAll().where('username', '=', username.toLowerCase()).executeTakeFirst();
  },

  async list(
    db: Tx,
    f: { paths: string[]; q?: string; underPath?: string; status?: string; after?: string; limit: number },
  ): Promise<UserWithUnit[]> {
    let q = this.base(db).where(inScope(sql.ref('u.path'), f.paths));
    if (f.underPath) q = q.where('u.path', 'like', `${f.underPath}%`);
    if (f.status) q = q.where('users.status', '=', f.status as UserRow['status']);
    if (f.q) {
      // lower() on both sides: SQLite's LIKE ignores ASCII case and PostgreSQL's does not; this makes them agree.
      const pattern = likeContains(f.q.toLowerCase());
      q = q.where((eb) =>
        eb.or(
          (['users.username', 'users.display_name', 'users.phone', 'users.employee_no'] as const).map(
            (col) => sql<boolean>`lower(${sql.ref(col)}) like ${pattern} escape '\\'`,
          ),
        ),
      );
    }
    if (f.after) q = q.where('users.username', '>', f.after);
    return q.orderBy('users.username').limit(f.limit).execute();
  },

  async countAll(db: Tx): Promise<number> {
    const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  },

  async insert(db: Tx, row: UserRow): Promise<void> {
    await db.insertInto('users').values(row).execute();
  },

  async update(db: Tx, id: string, expectedVersion: number | null, patch: Partial<Omit<UserRow, 'id' | 'version'>>): Promise<boolean> {
    let q = db
      .updateTable('users')
      .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
      .where('id', '=', id);
    if (expectedVersion !== null) q = q.where('version', '=', expectedVersion);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  /** Login bookkeeping: not a change of the record a person edits, so the version stays. */
  async setLoginState(db: Tx, id: string, patch: Pick<Partial<UserRow>, 'failed_logins' | 'locked_until' | 'last_login_at'>): Promise<void> {
    await db.updateTable('users').set(patch).where('id', '=', id).execute();
  },

  async grantsOf(db: Tx, userIds: string[]): Promise<GrantRow[]> {
    if (userIds.length === 0) return [];
    // One user's grants are read on every authenticated request (the actor): compiled once, bound per request.
    // Lists of users keep the plain builder (one cached text per list length would crowd the cache).
    if (userIds.length === 1) return (await runCompiled(db, 'users.grantsOf:1', userIds, (d) => this.grantsQuery(d, userIds))).rows;
    return this.grantsQuery(db, userIds).execute();
  },

  grantsQuery(db: Tx, userIds: string[]) {
    return db
      .selectFrom('role_grants as g')
      .innerJoin('roles as r', 'r.id', 'g.role_id')
      .innerJoin('org_units as u', 'u.id', 'g.org_unit_id')
      .select([
        'g.id',
        'g.user_id',
        'g.role_id',
        'r.key as role_key',
        'r.permissions',
        'g.org_unit_id',
        'u.name as unit_name',
        'u.path as unit_path',
        'u.parent_id as unit_parent_id',
      ])
      .where('g.user_id', 'in', userIds)
      .orderBy('u.path')
      .orderBy('r.key');
  },

  async replaceGrants(db: Tx, userId: string, grants: { id: string; role_id: string; org_unit_id: string; created_at: string }[]): Promise<void> {
    await db.deleteFrom('role_grants').where('user_id', '=', userId).execute();
    if (grants.length > 0) await db.insertInto('role_grants').values(grants.map((g) => ({ ...g, user_id: userId }))).execute();
  },
};
