import type { z } from 'zod';
import type { capa, capaComplete, capaCreate, capaLinks, capaQuery, capaUpdate, capaVerify } from '../../../contracts/tickets.ts';
import type { Tx } from '../../../db/database.ts';
import { holdsIn, scopePaths } from '../../platform/actor.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError, forbidden, invalid, notFound, versionConflict } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { orgUnitRepository } from '../org/org-unit.repository.ts';
import { userRepository } from '../users/user.repository.ts';
import { capaRepository as repo, type CapaRow, type CapaView } from './capa.repository.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { companyOf, unitChain } from './org-chain.ts';
import { eventActor } from './ticket.service.ts';
import { ticketRepository } from './ticket.repository.ts';

type Capa = z.infer<typeof capa>;

/** Today's date where the service runs (Asia/Shanghai): a CAPA is overdue when still open after its due date. */
const today = (ctx: Ctx) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(ctx.clock.now());
const capaState = () => new AppError('CAPA_STATE', 409);

async function toCapa(db: Tx, ctx: Ctx, k: CapaView): Promise<Capa> {
  return {
    id: k.id,
    orgUnitId: k.org_unit_id,
    orgUnitName: k.unit_name,
    title: k.title,
    description: k.description,
    kind: k.kind as Capa['kind'],
    ownerId: k.owner_id,
    ownerName: k.owner_name,
    dueDate: k.due_date,
    status: k.status as Capa['status'],
    overdue: k.status === 'open' && k.due_date < today(ctx),
    verificationResult: k.verification_result as Capa['verificationResult'],
    verificationNote: k.verification_note,
    verifiedBy: k.verified_by_name,
    verifiedAt: k.verified_at,
    completedAt: k.completed_at,
    tickets: await repo.tickets(db, k.id, scopePaths(ctx.actor, 'ticket:read')),
    version: Number(k.version),
    createdAt: k.created_at,
    updatedAt: k.updated_at,
  };
}

/** The CAPA in the reader's scope, the permission held over its unit (else 404 / 403). */
async function load(trx: Tx, ctx: Ctx, id: string, permission: 'ticket:read' | 'ticket:assign' | 'ticket:approve_compensation' | null): Promise<CapaView> {
  const k = await repo.byIdInScope(trx, id, scopePaths(ctx.actor, 'ticket:read'));
  if (!k) throw notFound();
  if (permission && !holdsIn(ctx.actor, permission, k.unit_path)) throw forbidden();
  return k;
}

async function checkOwner(trx: Tx, ctx: Ctx, ownerId: string, unitPath: string): Promise<void> {
  const company = companyOf(await unitChain(trx, unitPath));
  const o = await userRepository.byId(trx, ownerId);
  if (!o || o.status !== 'active' || !o.unit_path.startsWith(company.path)) {
    throw invalid('ownerId', ctx.lang === 'zh' ? '须为本单位的在职员工' : 'must be an active person of the same company');
  }
}

/** Links work orders the caller can see, of the CAPA's company (else 404); a timeline event on each newly linked one. */
async function linkTickets(trx: Tx, ctx: Ctx, k: CapaView | CapaRow & { unit_path: string }, ticketIds: string[], at: string): Promise<string[]> {
  const company = companyOf(await unitChain(trx, k.unit_path));
  const paths = scopePaths(ctx.actor, 'ticket:read');
  const ids = [...new Set(ticketIds)];
  const tickets = [];
  for (const tid of ids) {
    const t = await ticketRepository.byIdInScope(trx, tid, paths);
    if (!t || !t.unit_path.startsWith(company.path)) throw notFound();
    tickets.push(t);
  }
  const already = await repo.linked(trx, k.id, ids);
  const fresh = tickets.filter((t) => !already.has(t.id));
  await repo.link(trx, k.id, fresh.map((t) => t.id), at);
  for (const t of fresh) await ticketRepository.appendEvents(trx, t.id, at, eventActor(ctx), [{ kind: 'capa.linked', data: { capaId: k.id, title: k.title, kind: k.kind } }]);
  return fresh.map((t) => t.id);
}

export async function listCapas(ctx: Ctx, q: z.infer<typeof capaQuery>): Promise<{ items: Capa[]; nextCursor: string | null }> {
  const after = q.cursor ? decodeCursor(q.cursor, ['string', 'string'] as const, ctx.lang) : undefined;
  const d = today(ctx);
  const rows = await repo.list(
    ctx.db,
    { paths: scopePaths(ctx.actor, 'ticket:read'), status: q.status, overdueBefore: q.overdue === 'true' ? d : undefined, notOverdueFrom: q.overdue === 'false' ? d : undefined },
    after as [string, string] | undefined,
    q.limit + 1,
  );
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { items: await Promise.all(page.map((k) => toCapa(ctx.db, ctx, k))), nextCursor: rows.length > q.limit && last ? encodeCursor([last.due_date, last.id]) : null };
}

export async function getCapa(ctx: Ctx, id: string): Promise<Capa> {
  return toCapa(ctx.db, ctx, await load(ctx.db, ctx, id, null));
}

export async function createCapa(ctx: Ctx, input: z.infer<typeof capaCreate>): Promise<Capa> {
  return ctx.db.transaction().execute(async (trx) => {
    const unit = await orgUnitRepository.byId(trx, input.orgUnitId);
    if (!unit || !scopePaths(ctx.actor, 'ticket:read').some((p) => p === '/' || unit.path.startsWith(p))) throw notFound();
    if (!holdsIn(ctx.actor, 'ticket:assign', unit.path)) throw forbidden();
    await checkOwner(trx, ctx, input.ownerId, unit.path);
    const now = ctx.clock.now();
    const at = iso(now);
    const row: CapaRow = {
      id: newId(now.getTime()),
      org_unit_id: unit.id,
      title: input.title,
      description: input.description,
      kind: input.kind,
      owner_id: input.ownerId,
      due_date: input.dueDate,
      status: 'open',
      verification_result: null,
      verification_note: null,
      verified_by: null,
      verified_at: null,
      completed_at: null,
      created_by: ctx.actor.userId,
      created_at: at,
      updated_at: at,
      version: 1,
    };
    await repo.insert(trx, row);
    const linked = await linkTickets(trx, ctx, { ...row, unit_path: unit.path }, input.ticketIds, at);
    await recordAudit(trx, ctx, { action: 'capa.create', entityType: 'capa', entityId: row.id, orgUnitId: unit.id, before: null, after: { title: row.title, kind: row.kind, ownerId: row.owner_id, dueDate: row.due_date, ticketIds: linked } });
    return toCapa(trx, ctx, (await repo.byIdInScope(trx, row.id, ['/']))!);
  });
}

export async function updateCapa(ctx: Ctx, id: string, input: z.infer<typeof capaUpdate>): Promise<Capa> {
  return ctx.db.transaction().execute(async (trx) => {
    const k = await load(trx, ctx, id, 'ticket:assign');
    if (Number(k.version) !== input.version) throw versionConflict();
    if (k.status === 'verified') throw capaState();
    if (input.ownerId !== undefined && input.ownerId !== k.owner_id) await checkOwner(trx, ctx, input.ownerId, k.unit_path);
    const patch: Partial<CapaRow> = {};
    if (input.title !== undefined) patch.title = input.title;
    if (input.description !== undefined) patch.description = input.description;
    if (input.kind !== undefined) patch.kind = input.kind;
    if (input.ownerId !== undefined) patch.owner_id = input.ownerId;
    if (input.dueDate !== undefined) patch.due_date = input.dueDate;
    const before = Object.fromEntries(Object.keys(patch).map((f) => [f, k[f as keyof CapaRow]]));
    if (!(await repo.update(trx, id, input.version, { ...patch, updated_at: iso(ctx.clock.now()) }))) throw versionConflict();
    await recordAudit(trx, ctx, { action: 'capa.update', entityType: 'capa', entityId: id, orgUnitId: k.org_unit_id, before, after: patch });
    return toCapa(trx, ctx, (await repo.byIdInScope(trx, id, ['/']))!);
  });
}

export async function linkCapa(ctx: Ctx, id: string, input: z.infer<typeof capaLinks>): Promise<Capa> {
  return ctx.db.transaction().execute(async (trx) => {
    const k = await load(trx, ctx, id, 'ticket:assign');
    const at = iso(ctx.clock.now());
    const linked = await linkTickets(trx, ctx, k, input.ticketIds, at);
    if (linked.length) await recordAudit(trx, ctx, { action: 'capa.link', entityType: 'capa', entityId: id, orgUnitId: k.org_unit_id, before: null, after: { ticketIds: linked } });
    return toCapa(trx, ctx, k);
  });
}

export async function unlinkCapa(ctx: Ctx, id: string, ticketId: string): Promise<Capa> {
  return ctx.db.transaction().execute(async (trx) => {
    const k = await load(trx, ctx, id, 'ticket:assign');
    const t = await ticketRepository.byIdInScope(trx, ticketId, scopePaths(ctx.actor, 'ticket:read'));
    if (!t || !(await repo.unlink(trx, id, ticketId))) throw notFound();
    const at = iso(ctx.clock.now());
    await ticketRepository.appendEvents(trx, t.id, at, eventActor(ctx), [{ kind: 'capa.unlinked', data: { capaId: k.id, title: k.title } }]);
    await recordAudit(trx, ctx, { action: 'capa.unlink', entityType: 'capa', entityId: id, orgUnitId: k.org_unit_id, before: { ticketId }, after: null });
    return toCapa(trx, ctx, k);
  });
}

/** The owner (or whoever may assign there) reports the action done. */
export async function completeCapa(ctx: Ctx, id: string, input: z.infer<typeof capaComplete>): Promise<Capa> {
  return ctx.db.transaction().execute(async (trx) => {
    const k = await load(trx, ctx, id, null);
    if (k.owner_id !== ctx.actor.userId && !holdsIn(ctx.actor, 'ticket:assign', k.unit_path)) throw forbidden();
    if (Number(k.version) !== input.version) throw versionConflict();
    if (k.status !== 'open') throw capaState();
    const at = iso(ctx.clock.now());
    const patch = { status: 'done', completed_at: at, updated_at: at };
    if (!(await repo.update(trx, id, input.version, patch))) throw versionConflict();
    await recordAudit(trx, ctx, { action: 'capa.complete', entityType: 'capa', entityId: id, orgUnitId: k.org_unit_id, before: { status: 'open' }, after: { status: 'done', note: input.note ?? null } });
    return toCapa(trx, ctx, (await repo.byIdInScope(trx, id, ['/']))!);
  });
}

/** A manager checks that a done action worked: effective → verified; ineffective → back to open, with the note. */
export async function verifyCapa(ctx: Ctx, id: string, input: z.infer<typeof capaVerify>): Promise<Capa> {
  return ctx.db.transaction().execute(async (trx) => {
    const k = await load(trx, ctx, id, 'ticket:approve_compensation');
    if (Number(k.version) !== input.version) throw versionConflict();
    if (k.status !== 'done') throw capaState();
    const at = iso(ctx.clock.now());
    const status = input.effective ? 'verified' : 'open';
    const patch = { status, verification_result: input.effective ? 'effective' : 'ineffective', verification_note: input.note, verified_by: ctx.actor.userId, verified_at: at, updated_at: at, ...(input.effective ? {} : { completed_at: null }) };
    if (!(await repo.update(trx, id, input.version, patch))) throw versionConflict();
    await recordAudit(trx, ctx, { action: 'capa.verify', entityType: 'capa', entityId: id, orgUnitId: k.org_unit_id, before: { status: 'done' }, after: { status, effective: input.effective, note: input.note } });
    return toCapa(trx, ctx, (await repo.byIdInScope(trx, id, ['/']))!);
  });
}


