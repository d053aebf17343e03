import { sql } from 'kysely';
import { insertRow, runCompiled } from '../../../db/compiled.ts';
import type { Tx } from '../../../db/database.ts';
import type { AuditEntryTable, AuditSubjectKeyTable } from '../../../db/schema.ts';
import { inScope } from '../../platform/actor.ts';

export type AuditRow = AuditEntryTable;

export interface AuditFilter {
  /** Subtree prefixes the reader may see; `includeUnitless` adds entries that belong to no unit. */
  paths: string[];
  includeUnitless: boolean;
  entityType?: string;
  entityId?: string;
  action?: string;
  actorId?: string;
  from?: string;
  to?: string;
  /** Cursor: entries strictly older than (at, id). */
  before?: { at: string; id: string };
  limit: number;
}

export const auditRepository = {
  async insert(db: Tx, row: Omit<AuditRow, 'seq' | 'prev_hash' | 'hash'>): Promise<void> {
    // Compiled once (src/db/compiled.ts): every audited write makes one.
    await insertRow(db, 'audit_entries', { ...row, seq: null, prev_hash: null, hash: null });
  },

  /** Multi-row insert of entries (chunks well under both engines' parameter limits). */
  async insertMany(db: Tx, rows: Omit<AuditRow, 'seq' | 'prev_hash' | 'hash'>[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) await db.insertInto('audit_entries').values(rows.slice(i, i + 500).map((r) => ({ ...r, seq: null, prev_hash: null, hash: null }))).execute();
  },

  /** The keys of these subjects of one type (one query per 500), by subject id. */
  async subjectKeysOf(db: Tx, subjectType: string, ids: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await db.selectFrom('audit_subject_keys').select(['subject_id', 'key']).where('subject_type', '=', subjectType).where('subject_id', 'in', ids.slice(i, i + 500)).execute();
      for (const r of rows) out.set(r.subject_id, r.key);
    }
    return out;
  },

  /** Multi-row insert of subject keys; a subject that already had one keeps it. The `type:id` of the keys stored. */
  async insertSubjectKeys(db: Tx, rows: AuditSubjectKeyTable[]): Promise<Set<string>> {
    const stored = new Set<string>();
    for (let i = 0; i < rows.length; i += 500) {
      const r = await db.insertInto('audit_subject_keys').values(rows.slice(i, i + 500)).onConflict((oc) => oc.columns(['subject_type', 'subject_id']).doNothing()).returning(['subject_type', 'subject_id']).execute();
      for (const k of r) stored.add(`${k.subject_type}:${k.subject_id}`);
    }
    return stored;
  },

  async getSubjectKey(db: Tx, subjectType: string, subjectId: string): Promise<string | undefined> {
    const r = await runCompiled(db, 'audit.getSubjectKey', [subjectType, subjectId], (d) =>
      d.selectFrom('audit_subject_keys').select('key').where('subject_type', '=', subjectType).where('subject_id', '=', subjectId),
    );
    return r.rows[0]?.key;
  },

  /** The key stored, or undefined when the subject already had one (left as it was). */
  async insertSubjectKey(db: Tx, subjectType: string, subjectId: string, key: string, at: string): Promise<string | undefined> {
    const r = await runCompiled(db, 'audit.insertSubjectKey', [subjectType, subjectId, key, at], (d) =>
      d
        .insertInto('audit_subject_keys')
        .values({ subject_type: subjectType, subject_id: subjectId, key, created_at: at })
        .onConflict((oc) => oc.columns(['subject_type', 'subject_id']).doNothing())
        .returning('key'),
    );
    return r.rows[0]?.key;
  },

  async deleteSubjectKey(db: Tx, subjectType: string, subjectId: string): Promise<number> {
    const r = await db
      .deleteFrom('audit_subject_keys')
      .where('subject_type', '=', subjectType)
      .where('subject_id', '=', subjectId)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  },

  async subjectKeys(db: Tx, subjects: { type: string; id: string }[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (subjects.length === 0) return out;
    const rows = await db
      .selectFrom('audit_subject_keys')
      .selectAll()
      .where((eb) => eb.or(subjects.map((s) => eb.and([eb('subject_type', '=', s.type), eb('subject_id', '=', s.id)]))))
      .execute();
    for (const r of rows) out.set(`${r.subject_type}:${r.subject_id}`, r.key);
    return out;
  },

  async list(db: Tx, f: AuditFilter): Promise<(AuditRow & { unit_name: string | null })[]> {
    let q = db
      .selectFrom('audit_entries as a')
      .leftJoin('org_units as u', 'u.id', 'a.org_unit_id')
      .selectAll('a')
      .select('u.name as unit_name')
      .where((eb) => {
        const scoped = inScope(sql.ref('u.path'), f.paths);
        return f.includeUnitless ? eb.or([eb('a.org_unit_id', 'is', null), scoped]) : eb.and([eb('a.org_unit_id', 'is not', null), scoped]);
      });
    if (f.entityType) q = q.where('a.entity_type', '=', f.entityType);
    if (f.entityId) q = q.where('a.entity_id', '=', f.entityId);
    if (f.action) q = q.where('a.action', '=', f.action);
    if (f.actorId) q = q.where('a.actor_id', '=', f.actorId);
    if (f.from) q = q.where('a.at', '>=', f.from);
    if (f.to) q = q.where('a.at', '<', f.to);
    if (f.before) {
      const b = f.before;
      q = q.where((eb) => eb.or([eb('a.at', '<', b.at), eb.and([eb('a.at', '=', b.at), eb('a.id', '<', b.id)])]));
    }
    return q.orderBy('a.at', 'desc').orderBy('a.id', 'desc').limit(f.limit).execute();
  },

  /** The sealer's lock: one sealer at a time across every server instance. */
  async lockChain(db: Tx, forUpdate: boolean): Promise<{ last_seq: number; last_hash: string }> {
    const r = await runCompiled(db, `audit.lockChain:${forUpdate}`, ['main'], (d) => {
      const q = d.selectFrom('audit_chain').select(['last_seq', 'last_hash']).where('id', '=', 'main');
      return forUpdate ? q.forUpdate() : q;
    });
    if (!r.rows[0]) throw new Error('audit chain head missing');
    return r.rows[0];
  },

  async unsealed(db: Tx, limit: number): Promise<AuditRow[]> {
    return (await runCompiled(db, 'audit.unsealed', [limit], (d) => d.selectFrom('audit_entries').selectAll().where('seq', 'is', null).orderBy('id').limit(limit))).rows;
  },

  async seal(db: Tx, id: string, seq: number, prevHash: string, hash: string): Promise<void> {
    await runCompiled(db, 'audit.seal', [seq, prevHash, hash, id], (d) => d.updateTable('audit_entries').set({ seq, prev_hash: prevHash, hash }).where('id', '=', id));
  },

  async setChainHead(db: Tx, seq: number, hash: string): Promise<void> {
    await runCompiled(db, 'audit.setChainHead', [seq, hash, 'main'], (d) => d.updateTable('audit_chain').set({ last_seq: seq, last_hash: hash }).where('id', '=', 'main'));
  },

  async sealedAfter(db: Tx, seq: number, limit: number): Promise<AuditRow[]> {
    return db.selectFrom('audit_entries').selectAll().where('seq', '>', seq).orderBy('seq').limit(limit).execute();
  },

  async countUnsealed(db: Tx): Promise<number> {
    const r = await db.selectFrom('audit_entries').select((eb) => eb.fn.countAll<number>().as('n')).where('seq', 'is', null).executeTakeFirstOrThrow();
    return Number(r.n);
  },
};
