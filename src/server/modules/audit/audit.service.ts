import type { Db, Tx } from '../../../db/database.ts';
import { holdsAtRoot, scopePaths } from '../../platform/actor.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { newId } from '../../platform/ids.ts';
import type { AuditSubjectKeyTable } from '../../../db/schema.ts';
import { auditRepository as repo, type AuditRow } from './audit.repository.ts';
import { isSealed, linkHash, newSubjectKey, openValue, sealValue, subjectKeyObject } from './audit.crypto.ts';

export interface AuditInput {
  /** `<entity>.<verb>`, e.g. `user.create`. */
  action: string;
  entityType: string;
  entityId: string;
  /** The unit the record belongs to: readers see entries of the units in their audit scope. */
  orgUnitId: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** Fields holding a person's data: sealed with that person's key so erasure can reach them. */
  personal?: { subjectType: string; subjectId: string; fields: readonly string[]; /** Created in this transaction: no key to look for first. */ newSubject?: boolean; /** Its key, taken earlier in this transaction with `subjectKey`. */ key?: string };
}

/**
 * A data subject's key (created when it has none), for a writer that takes it early in its transaction and passes it to
 * `recordAudit` as `personal.key`: the work-order intake does, so that the statement runs before the daily counter row is
 * locked (PostgreSQL) instead of after it.
 */
export async function subjectKey(trx: Tx, ctx: Ctx, subjectType: string, subjectId: string, newSubject: boolean): Promise<string> {
  const stored = newSubject ? undefined : await repo.getSubjectKey(trx, subjectType, subjectId);
  // A new subject: the key inserted is the key (returned); when another writer won the race, read theirs.
  return stored ?? (await repo.insertSubjectKey(trx, subjectType, subjectId, newSubjectKey(), iso(ctx.clock.now()))) ?? (await repo.getSubjectKey(trx, subjectType, subjectId))!;
}

type Change = { from?: unknown; to?: unknown };

/** The fields that changed between before and after: only they are kept. */
function changesOf(input: AuditInput): Record<string, Change> {
  const before = input.before ?? {};
  const after = input.after ?? {};
  const changes: Record<string, Change> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const from = before[key];
    const to = after[key];
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    const change: Change = {};
    if (input.before && key in before) change.from = from ?? null;
    if (input.after && key in after) change.to = to ?? null;
    changes[key] = change;
  }
  return changes;
}

function sealPersonal(changes: Record<string, Change>, fields: readonly string[], stored: string) {
  const key = subjectKeyObject(stored);
  for (const f of fields) {
    if (!(f in changes)) continue;
    const c = changes[f];
    if ('from' in c) c.from = sealValue(key, c.from);
    if ('to' in c) c.to = sealValue(key, c.to);
  }
}

function entryRow(ctx: Ctx, input: AuditInput, changes: Record<string, Change>, now: Date): AuditEntryRow {
  return {
    id: newId(now.getTime()),
    at: iso(now),
    actor_type: ctx.actor.kind,
    actor_id: ctx.actor.userId,
    actor_name: ctx.actor.username,
    action: input.action,
    entity_type: input.entityType,
    entity_id: input.entityId,
    org_unit_id: input.orgUnitId,
    changes: JSON.stringify(changes),
    subject_type: input.personal?.subjectType ?? null,
    subject_id: input.personal?.subjectId ?? null,
    request_id: ctx.requestId,
    ip: ctx.ip,
  };
}

export type AuditEntryRow = Omit<AuditRow, 'seq' | 'prev_hash' | 'hash'>;

/** Appends an entry in the caller's transaction. Only the fields that changed are kept. */
export async function recordAudit(trx: Tx, ctx: Ctx, input: AuditInput): Promise<void> {
  const changes = changesOf(input);
  const now = ctx.clock.now();
  if (input.personal) {
    const { subjectType, subjectId, fields } = input.personal;
    const personalKeys = fields.filter((f) => f in changes);
    if (personalKeys.length > 0) {
      const stored = input.personal.key ?? (await subjectKey(trx, ctx, subjectType, subjectId, input.personal.newSubject ?? false));
      sealPersonal(changes, personalKeys, stored);
    }
  }
  await repo.insert(trx, entryRow(ctx, input, changes, now));
  ctx.afterCommit();
}

/** The rows of many audit entries: the subject keys to create and the entries, in recordAudit's shape. */
export interface AuditBatch {
  keys: AuditSubjectKeyTable[];
  entries: AuditEntryRow[];
}

/**
 * Builds many entries at once, exactly as recordAudit would write them one by one: only changed fields,
 * personal values sealed per subject — with the subject's stored key (read in one query per type and
 * 500 subjects) or, for a new subject or one without a key, a new key returned in `keys` (not stored
 * here). Chain sealing is left to the sealer, as for every entry. Writes nothing: recordAuditBatch
 * stores the rows; a bulk writer may stage them first.
 */
export async function prepareAuditBatch(db: Tx, ctx: Ctx, inputs: readonly AuditInput[]): Promise<AuditBatch> {
  const now = ctx.clock.now();
  const at = iso(now);
  const prepared = inputs.map((input) => ({ input, changes: changesOf(input) }));
  const sealed = prepared.filter((p) => p.input.personal && p.input.personal.fields.some((f) => f in p.changes));
  // Existing keys: one query per subject type (and 500 subjects).
  const known = new Map<string, string>();
  const lookups = new Map<string, Set<string>>();
  for (const p of sealed) {
    const { subjectType, subjectId, newSubject } = p.input.personal!;
    if (!newSubject) lookups.set(subjectType, (lookups.get(subjectType) ?? new Set()).add(subjectId));
  }
  for (const [type, ids] of lookups) for (const [id, key] of await repo.subjectKeysOf(db, type, [...ids])) known.set(`${type}:${id}`, key);
  const keys: AuditSubjectKeyTable[] = [];
  for (const p of sealed) {
    const { subjectType, subjectId, fields } = p.input.personal!;
    const k = `${subjectType}:${subjectId}`;
    let stored = known.get(k);
    if (stored === undefined) {
      stored = newSubjectKey();
      known.set(k, stored);
      keys.push({ subject_type: subjectType, subject_id: subjectId, key: stored, created_at: at });
    }
    sealPersonal(p.changes, fields, stored);
  }
  return { keys, entries: prepared.map((p) => entryRow(ctx, p.input, p.changes, now)) };
}

/** Appends many entries in the caller's transaction: multi-row inserts of the new subject keys and of the entries. */
export async function recordAuditBatch(trx: Tx, ctx: Ctx, inputs: readonly AuditInput[]): Promise<void> {
  if (inputs.length === 0) return;
  const batch = await prepareAuditBatch(trx, ctx, inputs);
  const stored = await repo.insertSubjectKeys(trx, batch.keys);
  let entries = batch.entries;
  if (stored.size < batch.keys.length) {
    // Another writer gave some subjects a key meanwhile: their entries are sealed again, under that key.
    const lost = new Set(batch.keys.map((k) => `${k.subject_type}:${k.subject_id}`).filter((k) => !stored.has(k)));
    const lostOf = (type: string | null | undefined, id: string | null | undefined) => lost.has(`${type}:${id}`);
    const redo = inputs.filter((i) => i.personal && lostOf(i.personal.subjectType, i.personal.subjectId)).map((i) => ({ ...i, personal: { ...i.personal!, newSubject: false } }));
    entries = entries.filter((e) => !lostOf(e.subject_type, e.subject_id)).concat((await prepareAuditBatch(trx, ctx, redo)).entries);
  }
  await repo.insertMany(trx, entries);
  ctx.afterCommit();
}

/** Destroys a data subject's key: every personal value sealed with it becomes unreadable. The chain is untouched. */
export async function eraseAuditSubject(trx: Tx, ctx: Ctx, subjectType: string, subjectId: string, orgUnitId: string | null): Promise<void> {
  await repo.deleteSubjectKey(trx, subjectType, subjectId);
  await recordAudit(trx, ctx, { action: 'subject.erase', entityType: subjectType, entityId: subjectId, orgUnitId, after: { erased: true } });
}

function hashPayload(r: AuditRow, seq: number) {
  return {
    seq,
    id: r.id,
    at: r.at,
    actor_type: r.actor_type,
    actor_id: r.actor_id,
    actor_name: r.actor_name,
    action: r.action,
    entity_type: r.entity_type,
    entity_id: r.entity_id,
    org_unit_id: r.org_unit_id,
    changes: r.changes,
    subject_type: r.subject_type,
    subject_id: r.subject_id,
    request_id: r.request_id,
    ip: r.ip,
  };
}

/**
 * Links committed, unsealed entries into the hash chain, in id (time) order. Runs shortly after
 * commits and on a timer, so writers never wait on the chain; the chain row is locked
 * (FOR UPDATE on PostgreSQL) so that several instances never seal concurrently.
 */
export async function sealAuditChain(db: Db, dialect: 'sqlite' | 'postgres', batch = 500): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await db.transaction().execute(async (trx) => {
      const head = await repo.lockChain(trx, dialect === 'postgres');
      const rows = await repo.unsealed(trx, batch);
      let { last_seq: seq, last_hash: prev } = head;
      for (const r of rows) {
        seq += 1;
        const hash = linkHash(prev, hashPayload(r, seq));
        await repo.seal(trx, r.id, seq, prev, hash);
        prev = hash;
      }
      if (rows.length > 0) await repo.setChainHead(trx, seq, prev);
      return rows.length;
    });
    total += n;
    if (n < batch) return total;
  }
}

export type VerifyResult =
  | { ok: true; entries: number; unsealed: number }
  | { ok: false; entries: number; brokenAt: { seq: number; id: string | null; reason: string } };

/** Walks the chain from the start; names the first entry whose link does not hold. */
export async function verifyAuditChain(db: Db): Promise<VerifyResult> {
  let prev = 'genesis';
  let expected = 1;
  let checked = 0;
  for (;;) {
    const rows = await repo.sealedAfter(db, expected - 1, 1000);
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq !== expected) {
        return { ok: false, entries: checked, brokenAt: { seq: expected, id: null, reason: `entry #${expected} is missing (next is #${seq})` } };
      }
      if (r.prev_hash !== prev) return { ok: false, entries: checked, brokenAt: { seq, id: r.id, reason: 'link to the previous entry does not match' } };
      if (r.hash !== linkHash(prev, hashPayload(r, seq))) {
        return { ok: false, entries: checked, brokenAt: { seq, id: r.id, reason: 'entry content does not match its hash' } };
      }
      prev = r.hash;
      expected += 1;
      checked += 1;
    }
    if (rows.length < 1000) break;
  }
  const head = await repo.lockChain(db, false);
  if (Number(head.last_seq) !== checked || head.last_hash !== prev) {
    return {
      ok: false,
      entries: checked,
      brokenAt: { seq: checked + 1, id: null, reason: `chain head says #${head.last_seq}, entries end at #${checked}: entries were removed` },
    };
  }
  return { ok: true, entries: checked, unsealed: await repo.countUnsealed(db) };
}

export interface AuditView {
  id: string;
  seq: number | null;
  at: string;
  actorType: string;
  actorId: string | null;
  actorName: string;
  action: string;
  entityType: string;
  entityId: string;
  orgUnitId: string | null;
  orgUnitName: string | null;
  changes: Record<string, { from?: unknown; to?: unknown }>;
  requestId: string | null;
  ip: string | null;
  sealed: boolean;
}

export const ERASED = '[erased 已销毁]';

export interface AuditQuery {
  entityType?: string;
  entityId?: string;
  action?: string;
  actorId?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit: number;
}

/** Entries of the units in the reader's `audit:read` scope, newest first, personal values opened where the key still exists. */
export async function listAudit(ctx: Ctx, q: AuditQuery): Promise<{ items: AuditView[]; nextCursor: string | null }> {
  const before = q.cursor ? decodeCursor(q.cursor) : undefined;
  const rows = await repo.list(ctx.db, {
    paths: scopePaths(ctx.actor, 'audit:read'),
    includeUnitless: holdsAtRoot(ctx.actor, 'audit:read'),
    entityType: q.entityType,
    entityId: q.entityId,
    action: q.action,
    actorId: q.actorId,
    from: q.from,
    to: q.to,
    before,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const subjects = page.filter((r) => r.subject_type && r.subject_id).map((r) => ({ type: r.subject_type!, id: r.subject_id! }));
  const keys = await repo.subjectKeys(ctx.db, subjects);
  const items = page.map((r): AuditView => {
    const key = r.subject_type ? keys.get(`${r.subject_type}:${r.subject_id}`) : undefined;
    const changes = JSON.parse(r.changes) as Record<string, Change>;
    for (const c of Object.values(changes)) {
      for (const side of ['from', 'to'] as const) {
        if (isSealed(c[side])) c[side] = key ? openValue(key, c[side]) : ERASED;
      }
    }
    return {
      id: r.id,
      seq: r.seq === null ? null : Number(r.seq),
      at: r.at,
      actorType: r.actor_type,
      actorId: r.actor_id,
      actorName: r.actor_name,
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      orgUnitId: r.org_unit_id,
      orgUnitName: r.unit_name,
      changes,
      requestId: r.request_id,
      ip: r.ip,
      sealed: r.hash !== null,
    };
  });
  const last = page[page.length - 1];
  return { items, nextCursor: rows.length > q.limit && last ? encodeCursor(last.at, last.id) : null };
}

export function encodeCursor(at: string, id: string): string {
  return Buffer.from(JSON.stringify([at, id])).toString('base64url');
}
export function decodeCursor(c: string): { at: string; id: string } | undefined {
  try {
    const [at, id] = JSON.parse(Buffer.from(c, 'base64url').toString('utf8'));
    if (typeof at === 'string' && typeof id === 'string') return { at, id };
  } catch {
    /* a bad cursor reads as the first page */
  }
  return undefined;
}
