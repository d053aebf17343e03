import type { z } from 'zod';
import type { ContactRole, CustomerContact, CustomerNote, contactCreate, contactUpdate, noteCreate, noteQuery } from '../../../contracts/customer-contacts.ts';
import type { ProtectedSection } from '../../../contracts/customers.ts';
import type { Tx } from '../../../db/database.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError, forbidden, invalid, notFound, versionConflict } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { customerRepository } from '../customers/customer.repository.ts';
import { maskEmail, maskPhone } from '../customers/customer.mask.ts';
import { nearScope } from '../customers/customer.scope.ts';
import { decodeCursor, encodeCursor } from '../tickets/cursor.ts';
import { contactRepository as repo, type ContactRow, type ContactView, type NoteRow } from './contact.repository.ts';
import { mayChange, standing } from './file.access.ts';

/**
 * An organisation's contacts 联系人 and key people 关键人, and the customer notes 跟进记录. They are
 * part of the file: its contact section masks the contacts' phones and e-mail, its notes section hides
 * the contacts' notes and the customer notes, for every reader until they open the file (file.access.ts).
 * Their personal values are sealed in the audit trail with the customer's key, so erasure reaches them.
 */

const MAX_CONTACTS = 200;
const contactPersonal = (customerId: string) => ({ subjectType: 'customer', subjectId: customerId, fields: ['name', 'title', 'phones', 'email', 'notes'] as const });
const notePersonal = (customerId: string) => ({ subjectType: 'customer', subjectId: customerId, fields: ['body'] as const });

function toContact(k: ContactView, restricted: ProtectedSection[]): CustomerContact {
  const contact = restricted.includes('contact');
  const notes = restricted.includes('notes');
  const phones = JSON.parse(k.phones) as string[];
  return {
    id: k.id,
    customerId: k.customer_id,
    name: k.name,
    title: k.title,
    phones: contact ? phones.map(maskPhone) : phones,
    email: k.email && contact ? maskEmail(k.email) : k.email,
    role: k.role as ContactRole,
    keyPerson: Number(k.key_person) === 1,
    notes: notes ? null : k.notes,
    personId: k.person_id,
    personName: k.person_name,
    masked: (contact && (phones.length > 0 || k.email !== null)) || (notes && k.notes !== null),
    version: Number(k.version),
    createdAt: k.created_at,
    updatedAt: k.updated_at,
  };
}

function audited(k: ContactRow): Record<string, unknown> {
  return {
    name: k.name,
    title: k.title,
    phones: JSON.parse(k.phones) as string[],
    email: k.email,
    role: k.role,
    keyPerson: Number(k.key_person) === 1,
    notes: k.notes,
    personId: k.person_id,
  };
}

/** A linked person file: a person of the same company, readable by the caller. */
async function checkPerson(trx: Tx, ctx: Ctx, personId: string | null | undefined, orgUnitId: string): Promise<void> {
  if (!personId) return;
  const p = await customerRepository.byIdInScope(trx, personId, nearScope(ctx.actor, 'customer:read'));
  if (!p || p.kind !== 'person' || p.org_unit_id !== orgUnitId) {
    throw invalid('personId', ctx.lang === 'zh' ? '须为本单位客户的个人档案' : 'must be a person file of the same company');
  }
}

export async function listContacts(ctx: Ctx, customerId: string, readingId?: string): Promise<{ items: CustomerContact[]; restrictedSections: ProtectedSection[] }> {
  const s = await standing(ctx.db, ctx, customerId, 'customer:read', readingId);
  const rows = await repo.contactsOf(ctx.db, customerId, MAX_CONTACTS);
  return { items: rows.map((r) => toContact(r, s.restricted)), restrictedSections: s.restricted };
}

/** Adds a contact to an organisation's file (customer:manage over it; a protected file also its level). */
export async function createContact(ctx: Ctx, customerId: string, input: z.infer<typeof contactCreate>): Promise<CustomerContact> {
  return ctx.db.transaction().execute(async (trx) => {
    const s = await standing(trx, ctx, customerId, 'customer:manage');
    mayChange(s);
    if (s.file.kind !== 'organisation') throw new AppError('CUSTOMER_NOT_ORGANISATION', 409);
    if ((await repo.countOf(trx, customerId)) >= MAX_CONTACTS) throw new AppError('CUSTOMER_CONTACTS_FULL', 409);
    await checkPerson(trx, ctx, input.personId, s.file.org_unit_id);
    const at = iso(ctx.clock.now());
    const row: ContactRow = {
      id: newId(),
      customer_id: customerId,
      name: input.name,
      title: input.title ?? null,
      phones: JSON.stringify(input.phones ?? []),
      email: input.email ?? null,
      role: input.role,
      key_person: input.keyPerson ? 1 : 0,
      notes: input.notes ?? null,
      person_id: input.personId ?? null,
      created_by: ctx.actor.userId,
      created_at: at,
      updated_at: at,
      version: 1,
    };
    await repo.insertContact(trx, row);
    await recordAudit(trx, ctx, { action: 'customer_contact.create', entityType: 'customer_contact', entityId: row.id, orgUnitId: s.file.org_unit_id, after: { customerId, ...audited(row) }, personal: contactPersonal(customerId) });
    return toContact((await repo.contact(trx, customerId, row.id))!, s.restricted);
  });
}

export async function updateContact(ctx: Ctx, customerId: string, id: string, input: z.infer<typeof contactUpdate>): Promise<CustomerContact> {
  return ctx.db.transaction().execute(async (trx) => {
    const s = await standing(trx, ctx, customerId, 'customer:manage');
    mayChange(s);
    const before = await repo.contact(trx, customerId, id);
    if (!before) throw notFound();
    if (Number(before.version) !== input.version) throw versionConflict();
    if (input.personId !== undefined && input.personId !== before.person_id) await checkPerson(trx, ctx, input.personId, s.file.org_unit_id);
    const patch: Partial<ContactRow> = { updated_at: iso(ctx.clock.now()) };
    if (input.name !== undefined) patch.name = input.name;
    if (input.title !== undefined) patch.title = input.title;
    if (input.phones !== undefined) patch.phones = JSON.stringify(input.phones);
    if (input.email !== undefined) patch.email = input.email;
    if (input.role !== undefined) patch.role = input.role;
    if (input.keyPerson !== undefined) patch.key_person = input.keyPerson ? 1 : 0;
    if (input.notes !== undefined) patch.notes = input.notes;
    if (input.personId !== undefined) patch.person_id = input.personId;
    if (!(await repo.updateContact(trx, id, input.version, patch))) throw versionConflict();
    const after = (await repo.contact(trx, customerId, id))!;
    await recordAudit(trx, ctx, { action: 'customer_contact.update', entityType: 'customer_contact', entityId: id, orgUnitId: s.file.org_unit_id, before: audited(before), after: audited(after), personal: contactPersonal(customerId) });
    return toContact(after, s.restricted);
  });
}

export async function deleteContact(ctx: Ctx, customerId: string, id: string, version: number): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const s = await standing(trx, ctx, customerId, 'customer:manage');
    mayChange(s);
    const before = await repo.contact(trx, customerId, id);
    if (!before) throw notFound();
    if (Number(before.version) !== version || !(await repo.deleteContact(trx, id, version))) throw versionConflict();
    await recordAudit(trx, ctx, { action: 'customer_contact.delete', entityType: 'customer_contact', entityId: id, orgUnitId: s.file.org_unit_id, before: { customerId, ...audited(before) }, personal: contactPersonal(customerId) });
  });
}

function toNote(n: NoteRow): CustomerNote {
  return { id: n.id, customerId: n.customer_id, at: n.at, body: n.body, authorName: n.author_name, createdAt: n.created_at };
}

/** The notes, newest first; none while the notes section is protected and not opened (`hidden`). */
export async function listNotes(ctx: Ctx, customerId: string, q: z.infer<typeof noteQuery>): Promise<{ items: CustomerNote[]; nextCursor: string | null; hidden: boolean }> {
  const s = await standing(ctx.db, ctx, customerId, 'customer:read', q.reading);
  if (s.restricted.includes('notes')) return { items: [], nextCursor: null, hidden: true };
  const before = q.cursor ? decodeCursor(q.cursor, ['string', 'string'] as const, ctx.lang) : undefined;
  const rows = await repo.notesOf(ctx.db, customerId, before, q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { items: page.map(toNote), nextCursor: rows.length > q.limit && last ? encodeCursor([last.at, last.id]) : null, hidden: false };
}

/** A follow-up note (customer:manage over the file; a protected notes section also its level). Not in the future. */
export async function addNote(ctx: Ctx, customerId: string, input: z.infer<typeof noteCreate>): Promise<CustomerNote> {
  return ctx.db.transaction().execute(async (trx) => {
    const s = await standing(trx, ctx, customerId, 'customer:manage');
    if (s.protectedSections.includes('notes') && !s.canOpen) throw forbidden();
    const now = ctx.clock.now();
    const at = input.at ? new Date(input.at) : now;
    if (at.getTime() > now.getTime()) throw invalid('at', ctx.lang === 'zh' ? '不能晚于当前时间' : 'must not be in the future');
    const row: NoteRow = { id: newId(), customer_id: customerId, at: iso(at), body: input.body, author_id: ctx.actor.userId, author_name: ctx.actor.displayName, created_at: iso(now) };
    await repo.insertNote(trx, row);
    await recordAudit(trx, ctx, { action: 'customer_note.create', entityType: 'customer_note', entityId: row.id, orgUnitId: s.file.org_unit_id, after: { customerId, at: row.at, body: row.body }, personal: notePersonal(customerId) });
    return toNote(row);
  });
}
