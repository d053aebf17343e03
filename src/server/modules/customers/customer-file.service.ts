import type { z } from 'zod';
import {
  levelPermission,
  protectedSections as allSections,
  richFields,
  type ConfidentialityLevel,
  type CustomerFile,
  type CustomerSummary,
  type IdentifierKind,
  type ProtectedSection,
  type ReadingEntry,
  type customerArchive,
  type customerFileCreate,
  type customerFileQuery,
  type customerFileUpdate,
  type customerOpen,
  type readingLogQuery,
} from '../../../contracts/customers.ts';
import type { FieldDefinition, customerFieldsQuery } from '../../../contracts/ticket-settings.ts';
import { normaliseIdentifier } from '../../../contracts/customers.ts';
import type { Customer } from '../../../contracts/tickets.ts';
import type { Tx } from '../../../db/database.ts';
import { holdsAnywhere, type Actor } from '../../platform/actor.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError, forbidden, invalid, notFound, versionConflict } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { orgUnitRepository } from '../org/org-unit.repository.ts';
import { decodeCursor, encodeCursor } from '../tickets/cursor.ts';
import { companyOf, unitChain } from '../tickets/org-chain.ts';
import { customFieldsAtIntake, customFieldsOnUpdate, effectiveDefinitions, toDefinition } from '../tickets/ticket-field.service.ts';
import { actingUnitId } from '../users/user.service.ts';
import { userRepository } from '../users/user.repository.ts';
import type { DataCipher } from './customer.crypto.ts';
import { customerFileRepository as files, type IdentifierRow, type ReadingView } from './customer-file.repository.ts';
import { dayIn, effectiveLevel, maskEmail, maskIdentifier, maskPhone, sectionsOf } from './customer.mask.ts';
import { customerRepository as repo, emptyFileFields, type CustomerRow, type CustomerView } from './customer.repository.ts';
import { holdsNear, nearScope } from './customer.scope.ts';
import { accessRequestRepository as accessRequests } from '../customer-access/access-request.repository.ts';
import { addMonths } from '../verification/verification.dates.ts';
import { VERIFICATION_DEFAULT_MONTHS } from '../../../contracts/verification.ts';

/**
 * The customer file 客户档案 under confidentiality. A file of a protected level (秘密/机密/绝密, until
 * its declassification day) shows its protected sections masked (identifiers, contact) or hidden
 * (finance, notes) to EVERY reader, in the detail, the list, search and phone lookup; a reader holding
 * the level's permission over the file opens it (`openCustomerFile`) with a reason, which writes the
 * reading record 借阅记录 in the same transaction. ID numbers are masked on every file until opened.
 */
export interface CustomerFileDeps {
  cipher: DataCipher;
}

/** Personal values: sealed in audit entries with the customer's key (erasable). */
const personalFields = ['name', 'phone', 'email', 'address', 'birthday', 'needs', 'preferences', 'notes', 'creditBasis', 'identifiers', 'customFields'] as const;
const personal = (id: string) => ({ subjectType: 'customer', subjectId: id, fields: personalFields });

function audited(r: CustomerRow, ids: IdentifierRow[]): Record<string, unknown> {
  return {
    name: r.name,
    phone: r.phone,
    email: r.email,
    vip: r.vip === 1,
    tier: r.tier,
    orgUnitId: r.org_unit_id,
    kind: r.kind,
    gender: r.gender,
    birthday: r.birthday,
    birthdayLunar: r.birthday_lunar === 1,
    position: r.position,
    address: r.address,
    industry: r.industry,
    orgSize: r.org_size,
    relationSince: r.relation_since,
    needs: r.needs,
    preferences: r.preferences,
    notes: r.notes,
    ownerId: r.owner_id,
    category: r.category,
    memberLevel: r.member_level,
    creditClass: r.credit_class,
    creditDate: r.credit_date,
    creditBasis: r.credit_basis,
    tags: JSON.parse(r.tags) as string[],
    confidentiality: r.confidentiality,
    declassifyOn: r.declassify_on,
    protectedSections: JSON.parse(r.protected_sections) as string[],
    archivedAt: r.archived_at,
    // Only the masked forms, even sealed: an ID number never reaches the audit trail.
    identifiers: ids.map((i) => `${i.kind}:${i.masked}`),
    customFields: customFieldsOf(r),
  };
}

/** The file's custom field values 自定义字段 (0026), by key. */
const customFieldsOf = (r: Pick<CustomerRow, 'custom_fields'>) => JSON.parse(r.custom_fields ?? '{}') as Record<string, unknown>;

/** How one file stands for one reader now: its level in force, what is restricted, whether they may open it. */
export function accessOf(actor: Actor, r: CustomerView, now: Date) {
  const level = effectiveLevel(r.confidentiality, r.declassify_on, dayIn(now, r.unit_time_zone || 'Asia/Shanghai'));
  const protectedList = level === 'ordinary' ? [] : sectionsOf(r.protected_sections);
  return {
    level: r.confidentiality as ConfidentialityLevel,
    effectiveLevel: level,
    declassified: level !== r.confidentiality,
    protectedSections: protectedList,
    canOpen: holdsNear(actor, levelPermission[level], r.unit_path),
  };
}

/** The minimal shape (intake, lookup, work-order detail), masked as the detail would be. */
export function toMaskedCustomer(r: CustomerView, actor: Actor, now: Date): Customer {
  const a = accessOf(actor, r, now);
  const contact = a.protectedSections.includes('contact');
  return {
    id: r.id,
    orgUnitId: r.org_unit_id,
    orgUnitName: r.unit_name,
    name: r.name,
    phone: r.phone && contact ? maskPhone(r.phone) : r.phone,
    email: r.email && contact ? maskEmail(r.email) : r.email,
    vip: r.vip === 1,
    tier: r.tier,
    version: Number(r.version),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function toSummary(r: CustomerView, actor: Actor, now: Date): CustomerSummary {
  const a = accessOf(actor, r, now);
  return {
    ...toMaskedCustomer(r, actor, now),
    kind: r.kind as CustomerSummary['kind'],
    category: r.category as CustomerSummary['category'],
    memberLevel: r.member_level,
    tags: JSON.parse(r.tags) as string[],
    confidentiality: r.confidentiality as ConfidentialityLevel,
    restricted: a.protectedSections.length > 0,
    archived: r.archived_at !== null,
    mergedIntoId: r.merged_into_id ?? null,
  };
}

export function toFile(r: CustomerView, ids: IdentifierRow[], actor: Actor, now: Date, cipher: DataCipher, reveal: ReadonlySet<ProtectedSection> = new Set()): CustomerFile {
  const a = accessOf(actor, r, now);
  const restricted = a.protectedSections.filter((s) => !reveal.has(s));
  const hidden = (s: ProtectedSection) => restricted.includes(s);
  const contactOpen = !hidden('contact');
  return {
    ...toSummary(r, actor, now),
    phone: r.phone && !contactOpen ? maskPhone(r.phone) : r.phone,
    email: r.email && !contactOpen ? maskEmail(r.email) : r.email,
    restricted: restricted.length > 0,
    gender: r.gender,
    birthday: r.birthday,
    birthdayLunar: r.birthday_lunar === 1,
    position: r.position,
    address: contactOpen ? r.address : null,
    industry: r.industry,
    orgSize: r.org_size,
    relationSince: r.relation_since,
    needs: hidden('notes') ? null : r.needs,
    preferences: hidden('notes') ? null : r.preferences,
    notes: hidden('notes') ? null : r.notes,
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    creditClass: hidden('finance') ? null : (r.credit_class as CustomerFile['creditClass']),
    creditDate: hidden('finance') ? null : r.credit_date,
    creditBasis: hidden('finance') ? null : r.credit_basis,
    declassifyOn: r.declassify_on,
    archivedAt: r.archived_at,
    destroyedAt: r.destroyed_at ?? null,
    identifiers: ids.map((i) => {
      // An ID number is shown only to whoever opened the identifiers; others only when the section is open.
      const show = i.kind === 'id_number' ? reveal.has('identifiers') : !hidden('identifiers');
      if (!show) return { kind: i.kind as IdentifierKind, value: i.masked, masked: true };
      return { kind: i.kind as IdentifierKind, value: i.sealed ? cipher.open(i.sealed) : i.lookup, masked: false };
    }),
    // Custom fields belong to the notes section 需求与备注: hidden like the notes.
    customFields: hidden('notes') ? null : customFieldsOf(r),
    access: { ...a, restrictedSections: restricted },
  };
}

function identifierRows(customerId: string, list: { kind: IdentifierKind; value: string }[], cipher: DataCipher): IdentifierRow[] {
  const seen = new Set<string>();
  const rows: IdentifierRow[] = [];
  for (const i of list) {
    if (seen.has(`${i.kind}:${i.value}`)) continue;
    seen.add(`${i.kind}:${i.value}`);
    const secret = i.kind === 'id_number';
    rows.push({
      id: newId(),
      customer_id: customerId,
      kind: i.kind,
      lookup: secret ? cipher.hash(i.value) : i.value,
      sealed: secret ? cipher.seal(i.value) : null,
      masked: maskIdentifier(i.kind, i.value),
      position: rows.length,
    });
  }
  return rows;
}

/** Setting, changing or removing a level needs its permission over the file's company (no one locks out themselves). */
function checkLevel(actor: Actor, level: ConfidentialityLevel, path: string) {
  if (level !== 'ordinary' && !holdsNear(actor, levelPermission[level], path)) throw forbidden();
}

async function checkOwner(trx: Tx, ctx: Ctx, ownerId: string | null | undefined, companyPath: string) {
  if (!ownerId) return;
  const u = await userRepository.byId(trx, ownerId);
  const unit = u ? await orgUnitRepository.byId(trx, u.org_unit_id) : undefined;
  if (!unit || !unit.path.startsWith(companyPath)) throw invalid('ownerId', ctx.lang === 'zh' ? '须为本单位的员工' : 'must be staff of the same company');
}

type FileFields = Partial<z.infer<typeof customerFileUpdate>>;

/** The row columns a create or update sets from the input (undefined = not given). */
function columns(input: FileFields): Partial<CustomerRow> {
  const c: Partial<CustomerRow> = {};
  const set = <K extends keyof CustomerRow>(k: K, v: CustomerRow[K] | undefined) => {
    if (v !== undefined) c[k] = v;
  };
  set('name', input.name);
  set('phone', input.phone);
  set('email', input.email);
  if (input.vip !== undefined) c.vip = input.vip ? 1 : 0;
  set('tier', input.tier);
  set('kind', input.kind);
  set('gender', input.gender);
  set('birthday', input.birthday);
  if (input.birthdayLunar !== undefined) c.birthday_lunar = input.birthdayLunar ? 1 : 0;
  set('position', input.position);
  set('address', input.address);
  set('industry', input.industry);
  set('org_size', input.orgSize);
  set('relation_since', input.relationSince);
  set('needs', input.needs);
  set('preferences', input.preferences);
  set('notes', input.notes);
  set('owner_id', input.ownerId);
  set('category', input.category);
  set('member_level', input.memberLevel);
  set('credit_class', input.creditClass);
  set('credit_date', input.creditDate);
  set('credit_basis', input.creditBasis);
  if (input.tags !== undefined) c.tags = JSON.stringify(input.tags);
  set('confidentiality', input.confidentiality);
  set('declassify_on', input.declassifyOn);
  if (input.protectedSections !== undefined) c.protected_sections = JSON.stringify(input.protectedSections);
  return c;
}

/**
 * Opens a file. Agents open minimal files at intake (ticket:create); anything beyond name, phone,
 * e-mail, VIP and tier needs customer:manage, and a protected level its permission, over the company.
 */
export async function createCustomerFile(ctx: Ctx, deps: CustomerFileDeps, input: z.infer<typeof customerFileCreate>): Promise<CustomerFile> {
  if (!ctx.actor.grants.some((g) => g.permissions.has('customer:manage') || g.permissions.has('ticket:create')) && ctx.actor.kind !== 'system') throw forbidden();
  const rich = richFields.some((f) => input[f] !== undefined);
  if (rich && !holdsAnywhere(ctx.actor, 'customer:manage')) throw forbidden();
  return ctx.db.transaction().execute(async (trx) => {
    const unitId = await actingUnitId(trx, ctx, input.orgUnitId);
    const unit = await orgUnitRepository.byId(trx, unitId);
    if (!unit) throw notFound();
    const company = companyOf(await unitChain(trx, unit.path));
    if (!holdsNear(ctx.actor, 'customer:manage', company.path) && (rich || !holdsNear(ctx.actor, 'ticket:create', company.path))) throw notFound();
    const level = input.confidentiality ?? 'ordinary';
    checkLevel(ctx.actor, level, company.path);
    await checkOwner(trx, ctx, input.ownerId, company.path);
    if (input.phone && (await repo.byPhoneInUnit(trx, company.id, input.phone))) {
      throw new AppError('CUSTOMER_PHONE_TAKEN', 409, { fields: [{ field: 'phone', message: 'taken' }] });
    }
    // Custom fields of the form 客户档案 (the company's and the group's definitions): the full file
    // form checks them, required ones included; the minimal file opened at intake carries none.
    const customFields = rich ? await customFieldsAtIntake(trx, ctx, company.path, 'customer', input.customFields) : '{}';
    const now = iso(ctx.clock.now());
    const row: CustomerRow = {
      id: newId(),
      org_unit_id: company.id,
      name: input.name,
      phone: input.phone ?? null,
      email: input.email ?? null,
      vip: input.vip ? 1 : 0,
      tier: input.tier,
      created_at: now,
      updated_at: now,
      version: 1,
      kind: 'person',
      ...emptyFileFields,
      category: 'A',
      confidentiality: 'ordinary',
      protected_sections: JSON.stringify(level === 'ordinary' ? [] : allSections),
      archived_at: null,
      // Re-verification 定期核定: the first one a quarter after opening (the company's day).
      next_verification_on: addMonths(dayIn(ctx.clock.now(), company.time_zone || 'Asia/Shanghai'), VERIFICATION_DEFAULT_MONTHS),
      ...columns(input),
      custom_fields: customFields,
    };
    await repo.insert(trx, row);
    const ids = identifierRows(row.id, input.identifiers ?? [], deps.cipher);
    await files.replaceIdentifiers(trx, row.id, ids);
    await recordAudit(trx, ctx, { action: 'customer.create', entityType: 'customer', entityId: row.id, orgUnitId: company.id, after: audited(row, ids), personal: personal(row.id) });
    const view = (await repo.byId(trx, row.id))!;
    return toFile(view, ids, ctx.actor, ctx.clock.now(), deps.cipher);
  });
}

/**
 * `GET /api/customer-fields`: the custom fields 自定义字段 a file of the unit's company meets (its own
 * and the group's, enabled or not), for readers and managers of that company; 404 otherwise.
 */
export async function customerFieldDefinitions(ctx: Ctx, q: z.infer<typeof customerFieldsQuery>): Promise<FieldDefinition[]> {
  const unit = await orgUnitRepository.byId(ctx.db, await actingUnitId(ctx.db, ctx, q.orgUnitId));
  if (!unit) throw notFound();
  const company = companyOf(await unitChain(ctx.db, unit.path));
  if (!holdsNear(ctx.actor, 'customer:read', company.path) && !holdsNear(ctx.actor, 'customer:manage', company.path)) throw notFound();
  return [...(await effectiveDefinitions(ctx.db, company.path, 'customer')).values()].map(toDefinition);
}

/** Loads a file the caller may read (customer:read over its company), else 404. */
async function readable(trx: Tx, ctx: Ctx, id: string): Promise<CustomerView> {
  const row = await repo.byIdInScope(trx, id, nearScope(ctx.actor, 'customer:read'));
  if (!row) throw notFound();
  return row;
}

export async function getCustomerFile(ctx: Ctx, deps: CustomerFileDeps, id: string): Promise<CustomerFile> {
  const row = await readable(ctx.db, ctx, id);
  return toFile(row, await files.identifiersOf(ctx.db, [id]), ctx.actor, ctx.clock.now(), deps.cipher);
}

/**
 * Changes a file (customer:manage over it, at `version`). A protected file (in force) is changed only
 * by holders of its level, and a new level needs its own permission; identifiers given replace the list.
 */
export async function updateCustomerFile(ctx: Ctx, deps: CustomerFileDeps, id: string, input: z.infer<typeof customerFileUpdate>): Promise<CustomerFile> {
  return ctx.db.transaction().execute((trx) => updateCustomerFileIn(trx, ctx, deps, id, input));
}

/** The same change inside the caller's transaction (a re-verification's correction, verification.service.ts). */
export async function updateCustomerFileIn(trx: Tx, ctx: Ctx, deps: CustomerFileDeps, id: string, input: z.infer<typeof customerFileUpdate>): Promise<CustomerFile> {
  const before = await repo.byIdInScope(trx, id, nearScope(ctx.actor, 'customer:manage'));
  if (!before) throw notFound();
  // A destroyed file (销毁) stays a tombstone: nothing is written into it again.
  if (before.destroyed_at) throw new AppError('CUSTOMER_DESTROYED', 409);
  // A merged-away file (合并) is a pointer to its survivor: changes go to the survivor.
  if (before.merged_into_id) throw new AppError('CUSTOMER_MERGE_ALREADY_MERGED', 409);
  const now = ctx.clock.now();
  const access = accessOf(ctx.actor, before, now);
  checkLevel(ctx.actor, access.effectiveLevel, before.unit_path);
  checkLevel(ctx.actor, before.confidentiality as ConfidentialityLevel, before.unit_path);
  if (input.confidentiality) checkLevel(ctx.actor, input.confidentiality, before.unit_path);
  if (before.version !== input.version) throw versionConflict();
  await checkOwner(trx, ctx, input.ownerId, before.unit_path);
  if (input.phone && input.phone !== before.phone) {
    const other = await repo.byPhoneInUnit(trx, before.org_unit_id, input.phone);
    if (other && other.id !== id) throw new AppError('CUSTOMER_PHONE_TAKEN', 409, { fields: [{ field: 'phone', message: 'taken' }] });
  }
  const patch = columns(input);
  // Given custom fields change only their keys (null clears one), checked like a work order's (422 naming the field).
  const custom = await customFieldsOnUpdate(trx, ctx, { unit_path: before.unit_path, type: 'customer', custom_fields: before.custom_fields ?? '{}' }, 'customer', input.customFields);
  if (custom) patch.custom_fields = custom.json;
  // Raising an ordinary file to a level protects every section unless a list is given.
  if (input.confidentiality && input.confidentiality !== 'ordinary' && input.protectedSections === undefined && sectionsOf(before.protected_sections).length === 0) {
    patch.protected_sections = JSON.stringify(allSections);
  }
  patch.updated_at = iso(now);
  const idsBefore = await files.identifiersOf(trx, [id]);
  let idsAfter = idsBefore;
  if (input.identifiers) {
    idsAfter = identifierRows(id, input.identifiers, deps.cipher);
    await files.replaceIdentifiers(trx, id, idsAfter);
  }
  if ((await repo.update(trx, id, input.version, patch)) === 0) throw versionConflict();
  const after = (await repo.byId(trx, id))!;
  await recordAudit(trx, ctx, { action: 'customer.update', entityType: 'customer', entityId: id, orgUnitId: after.org_unit_id, before: audited(before, idsBefore), after: audited(after, idsAfter), personal: personal(id) });
  return toFile(after, idsAfter, ctx.actor, now, deps.cipher);
}

/** Archiving (归档) replaces deleting for category A files; it also takes a file out of the default list. */
export async function archiveCustomerFile(ctx: Ctx, deps: CustomerFileDeps, id: string, input: z.infer<typeof customerArchive>): Promise<CustomerFile> {
  return ctx.db.transaction().execute(async (trx) => {
    const before = await repo.byIdInScope(trx, id, nearScope(ctx.actor, 'customer:manage'));
    if (!before) throw notFound();
    if (before.destroyed_at) throw new AppError('CUSTOMER_DESTROYED', 409);
    if (before.version !== input.version) throw versionConflict();
    const now = ctx.clock.now();
    const archivedAt = input.archived ? (before.archived_at ?? iso(now)) : null;
    if ((await repo.update(trx, id, input.version, { archived_at: archivedAt, updated_at: iso(now) })) === 0) throw versionConflict();
    await recordAudit(trx, ctx, { action: input.archived ? 'customer.archive' : 'customer.unarchive', entityType: 'customer', entityId: id, orgUnitId: before.org_unit_id, before: { archivedAt: before.archived_at }, after: { archivedAt } });
    const after = (await repo.byId(trx, id))!;
    return toFile(after, await files.identifiersOf(trx, [id]), ctx.actor, now, deps.cipher);
  });
}

/**
 * Deleting a file: never for category A (永久客户 — archive instead, 409 CUSTOMER_PERMANENT), never
 * while work orders point at it (409 CUSTOMER_IN_USE); needs customer:approve_destruction over it.
 */
export async function deleteCustomerFile(ctx: Ctx, id: string, version: number): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const before = await repo.byIdInScope(trx, id, nearScope(ctx.actor, 'customer:manage'));
    if (!before) throw notFound();
    if (!holdsNear(ctx.actor, 'customer:approve_destruction', before.unit_path)) throw forbidden();
    if (before.category === 'A') throw new AppError('CUSTOMER_PERMANENT', 409);
    if ((await files.ticketCount(trx, id)) > 0) throw new AppError('CUSTOMER_IN_USE', 409);
    if (before.version !== version) throw versionConflict();
    const ids = await files.identifiersOf(trx, [id]);
    if ((await files.deleteCustomer(trx, id, version)) === 0) throw versionConflict();
    await recordAudit(trx, ctx, { action: 'customer.delete', entityType: 'customer', entityId: id, orgUnitId: before.org_unit_id, before: audited(before, ids), personal: personal(id) });
  });
}

/** List and search, masked like the detail. `q` also finds exact identifiers: ID number (by its HMAC), member card, e-mail. */
export async function listCustomerFiles(ctx: Ctx, deps: CustomerFileDeps, q: z.infer<typeof customerFileQuery>): Promise<{ items: CustomerSummary[]; nextCursor: string | null }> {
  const rows = await repo.list(ctx.db, {
    ...(await customerListFilter(ctx, deps, q)),
    after: q.cursor ? decodeCursor(q.cursor, ['string', 'string'] as const, ctx.lang) : undefined,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  const now = ctx.clock.now();
  return { items: page.map((r) => toSummary(r, ctx.actor, now)), nextCursor: rows.length > q.limit && last ? encodeCursor([last.name, last.id]) : null };
}

/** The list's filters as the repository takes them, within the caller's scope (shared by the list and the export). */
export async function customerListFilter(ctx: Ctx, deps: CustomerFileDeps, q: Omit<z.infer<typeof customerFileQuery>, 'cursor' | 'limit'>) {
  let ids: string[] | undefined;
  if (q.q) {
    // One statement for the three kinds (three round trips on PostgreSQL before: bench/README.md, customer-lookup).
    const pairs = (['id_number', 'member_card', 'email'] as const).map((kind) => {
      const v = normaliseIdentifier(kind, q.q!);
      return [kind, kind === 'id_number' ? deps.cipher.hash(v) : v] as const;
    });
    ids = await files.customerIdsByIdentifiers(ctx.db, pairs);
  }
  let phone: string | undefined;
  if (q.phone) {
    phone = q.phone.replace(/[^\d+]/g, '');
    if (phone.replace('+', '').length < 3) throw invalid('phone', ctx.lang === 'zh' ? '至少 3 位数字' : 'at least 3 digits');
  }
  return {
    scope: nearScope(ctx.actor, 'customer:read'),
    q: q.q,
    phone,
    ids,
    archived: q.archived === 'all' ? undefined : q.archived === 'true',
  };
}

/**
 * Opening a file 借阅: the reader gives a reason; a protected file needs its level's permission over it
 * (else 403, nothing recorded). Answers the file with the asked sections unmasked (default: all four) and
 * writes the reading record and the audit entry in the same transaction.
 */
export async function openCustomerFile(ctx: Ctx, deps: CustomerFileDeps, id: string, input: z.infer<typeof customerOpen>): Promise<{ file: CustomerFile; readingId: string; sections: ProtectedSection[] }> {
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    // Whoever may not open the file (below its level, or outside its scope) may hold an access request
    // 申请查阅 in force: it opens the granted sections only, and the reading record names it.
    const inScope = await repo.byIdInScope(trx, id, nearScope(ctx.actor, 'customer:read'));
    const grant =
      (!inScope || !accessOf(ctx.actor, inScope, now).canOpen) && ctx.actor.userId ? await accessRequests.inForce(trx, id, ctx.actor.userId, iso(now)) : undefined;
    const row = inScope ?? (grant ? await repo.byId(trx, id) : undefined);
    if (!row) throw notFound();
    const a = accessOf(ctx.actor, row, now);
    if (!a.canOpen && !grant) throw forbidden();
    const granted: readonly ProtectedSection[] = grant && !a.canOpen ? sectionsOf(grant.sections) : allSections;
    const sections = [...new Set(input.sections ?? granted)];
    if (sections.some((s) => !granted.includes(s))) throw forbidden();
    const accessRequestId = a.canOpen ? null : grant!.id;
    const readingId = newId();
    await files.insertReading(trx, {
      id: readingId,
      customer_id: id,
      org_unit_id: row.org_unit_id,
      user_id: ctx.actor.userId,
      user_name: ctx.actor.displayName,
      at: iso(now),
      level: a.effectiveLevel,
      sections: JSON.stringify(sections),
      reason: input.reason,
      access_request_id: accessRequestId,
    });
    await recordAudit(trx, ctx, { action: 'customer.open', entityType: 'customer', entityId: id, orgUnitId: row.org_unit_id, after: { level: a.effectiveLevel, sections, reason: input.reason, ...(accessRequestId ? { accessRequestId } : {}) } });
    const file = toFile(row, await files.identifiersOf(trx, [id]), ctx.actor, now, deps.cipher, new Set(sections));
    return { file, readingId, sections };
  });
}

/** The reading log 借阅记录: for holders of customer:manage or audit:read, over the files of their companies. */
export async function readingLog(ctx: Ctx, q: z.infer<typeof readingLogQuery>): Promise<{ items: ReadingEntry[]; nextCursor: string | null }> {
  const rows = await files.readings(ctx.db, {
    ...readingLogFilter(ctx, q),
    before: q.cursor ? decodeCursor(q.cursor, ['string', 'string'] as const, ctx.lang) : undefined,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map(toReadingEntry),
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.at, last.id]) : null,
  };
}

/** Who may read the reading log and over which units, with its filters (shared by the log and its export); 403 otherwise. */
export function readingLogFilter(ctx: Ctx, q: Omit<z.infer<typeof readingLogQuery>, 'cursor' | 'limit'>) {
  if (!holdsAnywhere(ctx.actor, 'customer:manage') && !holdsAnywhere(ctx.actor, 'audit:read')) throw forbidden();
  const a = nearScope(ctx.actor, 'customer:manage');
  const b = nearScope(ctx.actor, 'audit:read');
  const scope = { under: [...new Set([...a.under, ...b.under])], above: [...new Set([...a.above, ...b.above])] };
  return {
    scope,
    customerId: q.customerId,
    userId: q.userId,
    from: q.from ? iso(new Date(q.from)) : undefined,
    to: q.to ? iso(new Date(q.to)) : undefined,
  };
}

export function toReadingEntry(r: ReadingView): ReadingEntry {
  return {
    id: r.id,
    at: r.at,
    customerId: r.customer_id,
    customerName: r.customer_name,
    orgUnitId: r.org_unit_id,
    orgUnitName: r.unit_name,
    userId: r.user_id,
    userName: r.user_name,
    level: r.level as ConfidentialityLevel,
    sections: JSON.parse(r.sections) as ProtectedSection[],
    reason: r.reason,
    accessRequestId: r.access_request_id ?? null,
  };
}

/** The file with its phone and e-mail masked while its contact section is protected (for the work-order detail). */
export function maskedContact<T extends CustomerView>(c: T, now: Date): T {
  const level = effectiveLevel(c.confidentiality, c.declassify_on, dayIn(now, c.unit_time_zone || 'Asia/Shanghai'));
  if (level === 'ordinary' || !sectionsOf(c.protected_sections).includes('contact')) return c;
  return { ...c, phone: c.phone && maskPhone(c.phone), email: c.email && maskEmail(c.email) };
}

/** The file's phone for copying into a work order, null while the contact section is protected (the record keeps no copy of it). */
export function unprotectedPhone(c: CustomerView, now: Date): string | null {
  return maskedContact(c, now) === c ? c.phone : null;
}
