import { sql } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import type { AuditEntryTable } from '../../../db/schema.ts';
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
    await db.insertInto('audit_entries').values({ ...row, seq: null, prev_hash: null, hash: null }).execute();
  },

  async getSubjectKey(db: Tx, subjectType: string, subjectId: string): Promise<string | undefined> {
    const row = await db
      .selectFrom('audit_subject_keys')
      .select('key')
      .where('subject_type', '=', subjectType)
      .where('subject_id', '=', subjectId)
      .executeTakeFirst();
    return row?.key;
  },

  /** The key stored, or undefined when the subject already had one (left as it was). */
  async insertSubjectKey(db: Tx, subjectType: string, subjectId: string, key: string, at: string): Promise<string | undefined> {
    const r = await db
      .insertInto('audit_subject_keys')
      .values({ subject_type: subjectType, subject_id: subjectId, key, created_at: at })
      .onConflict((oc) => oc.columns(['subject_type', 'subject_id']).doNothing())
      .returning('key')
      .executeTakeFirst();
    return r?.key;
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
    let q = db.selectFrom('audit_chain').select(['last_seq', 'last_hash']).where('id', '=', 'main');
    if (forUpdate) q = q.forUpdate();
    return q.executeTakeFirstOrThrow();
  },

  async unsealed(db: Tx, limit: number): Promise<AuditRow[]> {
    return db.selectFrom('audit_entries').selectAll().where('seq', 'is', null).orderBy('id').limit(limit).execute();
  },

  async seal(db: Tx, id: string, seq: number, prevHash: string, hash: string): Promise<void> {
    await db.updateTable('audit_entries').set({ seq, prev_hash: prevHash, hash }).where('id', '=', id).execute();
  },

  async setChainHead(db: Tx, seq: number, hash: string): Promise<void> {
    await db.updateTable('audit_chain').set({ last_seq: seq, last_hash: hash }).where('id', '=', 'main').execute();
  },

  async sealedAfter(db: Tx, seq: number, limit: number): Promise<AuditRow[]> {
    return db.selectFrom('audit_entries').selectAll().where('seq', '>', seq).orderBy('seq').limit(limit).execute();
  },

  async countUnsealed(db: Tx): Promise<number> {
    const r = await db.selectFrom('audit_entries').select((eb) => eb.fn.countAll<number>().as('n')).where('seq', 'is', null).executeTakeFirstOrThrow();
    return Number(r.n);
  },
};
