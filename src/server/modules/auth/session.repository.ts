import { runCompiled } from '../../../db/compiled.ts';
import type { Tx } from '../../../db/database.ts';
import type { ApiTokenTable, SessionTable, UserTable } from '../../../db/schema.ts';

export type SessionRow = SessionTable;
export type ApiTokenRow = ApiTokenTable;

export const sessionRepository = {
  async insert(db: Tx, row: SessionRow): Promise<void> {
    await db.insertInto('sessions').values(row).execute();
  },
  async byId(db: Tx, id: string): Promise<SessionRow | undefined> {
    return db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  },
  /** A session and its user in one query (every authenticated request starts with this). */
  async byIdWithUser(db: Tx, id: string): Promise<{ session: SessionRow; user: UserTable } | undefined> {
    // Compiled once, bound per request (src/db/compiled.ts); the row itself is read fresh every time.
    const r = (
      await runCompiled(db, 'sessions.byIdWithUser', [id], (d) =>
        d
          .selectFrom('sessions as s')
          .innerJoin('users', 'users.id', 's.user_id')
          .selectAll('users')
          .select(['s.csrf_token as s_csrf_token', 's.created_at as s_created_at', 's.last_seen_at as s_last_seen_at', 's.expires_at as s_expires_at', 's.ip as s_ip', 's.user_agent as s_user_agent'])
          .where('s.id', '=', id),
      )
    ).rows[0];
    if (!r) return undefined;
    const { s_csrf_token, s_created_at, s_last_seen_at, s_expires_at, s_ip, s_user_agent, ...user } = r;
    return {
      session: { id, user_id: user.id, csrf_token: s_csrf_token, created_at: s_created_at, last_seen_at: s_last_seen_at, expires_at: s_expires_at, ip: s_ip, user_agent: s_user_agent },
      user,
    };
  },
  async touch(db: Tx, id: string, lastSeen: string, expires: string): Promise<void> {
    await runCompiled(db, 'sessions.touch', [lastSeen, expires, id], (d) => d.updateTable('sessions').set({ last_seen_at: lastSeen, expires_at: expires }).where('id', '=', id));
  },
  async delete(db: Tx, id: string): Promise<void> {
    await runCompiled(db, 'sessions.delete', [id], (d) => d.deleteFrom('sessions').where('id', '=', id));
  },
  async deleteForUser(db: Tx, userId: string, exceptId?: string): Promise<void> {
    let q = db.deleteFrom('sessions').where('user_id', '=', userId);
    if (exceptId) q = q.where('id', '!=', exceptId);
    await q.execute();
  },
  async deleteExpired(db: Tx, now: string): Promise<void> {
    await db.deleteFrom('sessions').where('expires_at', '<', now).execute();
  },
};

export const apiTokenRepository = {
  async insert(db: Tx, row: ApiTokenRow): Promise<void> {
    await db.insertInto('api_tokens').values(row).execute();
  },
  /** Every request with a bearer token starts with this. */
  async byHash(db: Tx, hash: string): Promise<ApiTokenRow | undefined> {
    return (await runCompiled(db, 'apiTokens.byHash', [hash], (d) => d.selectFrom('api_tokens').selectAll().where('token_hash', '=', hash))).rows[0];
  },
  async listForUser(db: Tx, userId: string): Promise<ApiTokenRow[]> {
    return db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').execute();
  },
  async byIdForUser(db: Tx, id: string, userId: string): Promise<ApiTokenRow | undefined> {
    return db.selectFrom('api_tokens').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  },
  async revoke(db: Tx, id: string, at: string): Promise<void> {
    await db.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).execute();
  },
  async markUsed(db: Tx, id: string, at: string): Promise<void> {
    await runCompiled(db, 'apiTokens.markUsed', [at, id], (d) => d.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id));
  },
};

export const loginAttemptRepository = {
  async insert(db: Tx, row: { id: string; username: string; ip: string; at: string; success: number }): Promise<void> {
    await db.insertInto('login_attempts').values(row).execute();
  },
  async failuresFromIpSince(db: Tx, ip: string, since: string): Promise<number> {
    const r = await db
      .selectFrom('login_attempts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('ip', '=', ip)
      .where('at', '>=', since)
      .where('success', '=', 0)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },
  async deleteBefore(db: Tx, before: string): Promise<void> {
    await db.deleteFrom('login_attempts').where('at', '<', before).execute();
  },
};
