import type { z } from 'zod';
import { customerFileCreate, levelPermission, normaliseIdentifier, type ConfidentialityLevel, type IdentifierKind } from '../../../contracts/customers.ts';
import type { ImportField, ImportKey } from '../../../contracts/customer-import.ts';
import type { Tx } from '../../../db/database.ts';
import type { CustomerIdentifierTable, CustomerTable } from '../../../db/schema.ts';
import type { Actor } from '../../platform/actor.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { zodIssueMessage } from '../../platform/i18n.ts';
import { newId } from '../../platform/ids.ts';
import { prepareAuditBatch, recordAuditBatch, type AuditInput } from '../audit/audit.service.ts';
import { orgUnitRepository } from '../org/org-unit.repository.ts';
import { companyOf, unitChain } from '../tickets/org-chain.ts';
import type { DataCipher } from '../customers/customer.crypto.ts';
import { dayIn, effectiveLevel, maskIdentifier } from '../customers/customer.mask.ts';
import type { CustomerView } from '../customers/customer.repository.ts';
import { holdsNear } from '../customers/customer.scope.ts';
import { addMonths } from '../verification/verification.dates.ts';
import { VERIFICATION_DEFAULT_MONTHS } from '../../../contracts/verification.ts';
import { customerImportRepository as repo, importStaging, type Stage } from './customer-import.repository.ts';
import type { MappedRow } from './import.mapping.ts';

/**
 * The rows of an import, a batch at a time: the same rules as the API (the customer-file create
 * contract, phone unique per company, confidentiality), matching by the chosen key against the
 * database and against the rows before it in the file, then the writes with one audit entry per
 * created or changed file (its personal values sealed with the customer's key, so erasure reaches them).
 */

type CreateInput = z.infer<typeof customerFileCreate>;
interface Company {
  id: string;
  path: string;
  timeZone: string;
}

export interface RowError {
  field: string | null;
  column?: number;
  code: string;
  zh: string;
  en: string;
}

export interface Prepared {
  line: number;
  mapped: MappedRow;
  errors: RowError[];
  existing: CustomerView | null;
  /** Matched file and nothing to change. */
  patchEmpty: boolean;
  company?: Company;
  parsed?: CreateInput;
  lookup?: string;
  patch?: Partial<CustomerTable>;
  newIdentifiers?: { kind: IdentifierKind; value: string }[];
  /** Identifiers the matched file had when checked (the new ones are numbered after them). */
  identifierCount?: number;
}

export interface BatchState {
  ctx: Ctx;
  cipher: DataCipher;
  key: ImportKey;
  importId: string;
  headers: string[];
  mapping: (ImportField | null)[];
  defaultCompany: Company;
  /** Unit code → its company when in the importer's scope, null when unknown or out of scope. */
  units: Map<string, Company | null>;
  /** company|key lookup → the line that holds it (duplicates inside the file). */
  keysSeen: Map<string, number>;
  phonesSeen: Map<string, number>;
  errorSeq: number;
}

const personalFields = ['name', 'phone', 'email', 'address', 'birthday', 'needs', 'preferences', 'notes', 'identifiers'] as const;

/** Contract field → customers column, for the fields an import can set. */
const columnOf: Record<string, keyof CustomerTable> = {
  name: 'name',
  phone: 'phone',
  email: 'email',
  vip: 'vip',
  tier: 'tier',
  kind: 'kind',
  gender: 'gender',
  birthday: 'birthday',
  position: 'position',
  address: 'address',
  industry: 'industry',
  category: 'category',
  memberLevel: 'member_level',
  tags: 'tags',
  needs: 'needs',
  preferences: 'preferences',
  notes: 'notes',
};
const toColumn = (field: string, v: unknown): unknown => (field === 'vip' ? (v ? 1 : 0) : field === 'tags' ? JSON.stringify(v) : v);

const identifierField: Record<string, ImportField> = { phone: 'phones', member_card: 'memberCard', id_number: 'idNumber' };
const keyField: Record<ImportKey, ImportField> = { phone: 'phone', member_card: 'memberCard', id_number: 'idNumber' };

/** An actor who may import over the unit: the system (the CLI) anywhere, a person with customer:manage there. */
export function mayImport(actor: Actor, unitPath: string): boolean {
  return actor.kind === 'system' || holdsNear(actor, 'customer:manage', unitPath);
}

/** An actor may change (or protect) a file of this level: the system, or holders of the level's permission over it. */
function mayTouchLevel(ctx: Ctx, level: ConfidentialityLevel, path: string): boolean {
  return level === 'ordinary' || ctx.actor.kind === 'system' || holdsNear(ctx.actor, levelPermission[level], path);
}

async function companyOfCode(trx: Tx, s: BatchState, code: string): Promise<Company | null> {
  if (s.units.has(code)) return s.units.get(code)!;
  let found: Company | null = null;
  const unit = await orgUnitRepository.byCode(trx, code);
  if (unit) {
    const c = companyOf(await unitChain(trx, unit.path));
    if (mayImport(s.ctx.actor, c.path)) found = { id: c.id, path: c.path, timeZone: c.time_zone };
  }
  if (s.units.size < 10_000) s.units.set(code, found);
  return found;
}

/** Checks a batch: every rule that needs no other row, then duplicates in the file, then the database. */
export async function validateBatch(trx: Tx, s: BatchState, rows: Prepared[]): Promise<void> {
  for (const r of rows) {
    const m = r.mapped;
    for (const p of m.problems) r.errors.push({ field: p.field, column: p.column, code: p.code, zh: p.zh, en: p.en });
    const troubled = new Set(m.problems.map((p) => p.field as string));
    if (m.unitCode !== null) {
      const c = await companyOfCode(trx, s, m.unitCode);
      if (!c) r.errors.push({ field: 'unit', column: m.columnOf.unit, code: 'UNKNOWN_UNIT', zh: '未知的单位编码（或不在您的管理范围内）', en: 'unknown unit code (or not in your scope)' });
      else r.company = c;
    } else r.company = s.defaultCompany;
    const input = { ...m.input, ...(m.identifiers.length ? { identifiers: m.identifiers } : {}) };
    const parsed = customerFileCreate.safeParse(input, { reportInput: true });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const top = String(issue.path[0] ?? '');
        let field: string = top;
        let column = m.columnOf[top];
        if (top === 'identifiers') {
          const kind = m.identifiers[Number(issue.path[1])]?.kind ?? 'phone';
          field = identifierField[kind];
          column = m.columnOf[kind === 'phone' ? 'identifiers' : kind];
        }
        if (troubled.has(field)) continue;
        // A missing value has no cell: name the column mapped to the field.
        if (column === undefined && s.mapping.includes(field as ImportField)) column = s.mapping.indexOf(field as ImportField);
        // An empty cell of a required field: said plainly, not as a type error.
        if (issue.code === 'invalid_type' && issue.path.length === 1 && (input as Record<string, unknown>)[top] === undefined) {
          r.errors.push({ field: field || null, column, code: 'REQUIRED', zh: '必填，不能为空', en: 'required, but empty' });
          continue;
        }
        r.errors.push({ field: field || null, column, code: 'INVALID', zh: zodIssueMessage(issue, 'zh'), en: zodIssueMessage(issue, 'en') });
      }
      continue;
    }
    r.parsed = parsed.data;
    if (r.errors.length > 0) continue;
    const kf = keyField[s.key];
    const value = s.key === 'phone' ? parsed.data.phone : parsed.data.identifiers?.find((i) => i.kind === s.key)?.value;
    if (!value) {
      r.errors.push({ field: kf, column: s.mapping.indexOf(kf), code: 'MISSING_KEY', zh: '匹配键为空，无法判断新建还是更新', en: 'the matching key is empty: cannot tell a new file from an existing one' });
      continue;
    }
    r.lookup = s.key === 'id_number' ? s.cipher.hash(value) : value;
    const k = `${r.company!.id}|${r.lookup}`;
    const first = s.keysSeen.get(k);
    if (first !== undefined) {
      r.errors.push({ field: kf, column: s.key === 'phone' ? m.columnOf.phone : m.columnOf[s.key], code: 'DUPLICATE_KEY', zh: `匹配键与第 ${first} 行重复`, en: `the matching key repeats line ${first}` });
      continue;
    }
    if (s.key !== 'phone' && parsed.data.phone) {
      const pk = `${r.company!.id}|${parsed.data.phone}`;
      const firstPhone = s.phonesSeen.get(pk);
      if (firstPhone !== undefined) {
        r.errors.push({ field: 'phone', column: m.columnOf.phone, code: 'DUPLICATE_PHONE', zh: `电话与第 ${firstPhone} 行重复`, en: `the phone repeats line ${firstPhone}` });
        continue;
      }
      s.phonesSeen.set(pk, r.line);
    }
    s.keysSeen.set(k, r.line);
  }

  // The database: files matched by the key, owners of the phones, in one query each per batch.
  const valid = rows.filter((r) => r.errors.length === 0 && r.parsed && r.lookup);
  if (valid.length === 0) return;
  const companies = [...new Set(valid.map((r) => r.company!.id))];
  const lookups = [...new Set(valid.map((r) => r.lookup!))];
  const matched = new Map<string, CustomerView>();
  if (s.key === 'phone') for (const c of await repo.byPhones(trx, companies, lookups)) matched.set(`${c.org_unit_id}|${c.phone}`, c);
  else for (const c of await repo.byIdentifiers(trx, companies, s.key, lookups)) matched.set(`${c.org_unit_id}|${c.matched}`, c);
  const phoneOwners = new Map<string, string>();
  if (s.key !== 'phone') {
    const phones = [...new Set(valid.map((r) => r.parsed!.phone).filter((p): p is string => !!p))];
    for (const c of await repo.byPhones(trx, companies, phones)) phoneOwners.set(`${c.org_unit_id}|${c.phone}`, c.id);
  }
  const existingIds = [...new Set(valid.map((r) => matched.get(`${r.company!.id}|${r.lookup}`)?.id).filter((x): x is string => !!x))];
  const identifiersOf = new Map<string, CustomerIdentifierTable[]>();
  for (const i of await repo.identifiersOf(trx, existingIds)) identifiersOf.set(i.customer_id, [...(identifiersOf.get(i.customer_id) ?? []), i]);
  const now = s.ctx.clock.now();
  // Building an Intl formatter per row cost more than the rest of the check: one day per time zone and batch.
  const days = new Map<string, string>();
  const today = (tz: string) => days.get(tz) ?? days.set(tz, dayIn(now, tz)).get(tz)!;

  for (const r of valid) {
    const p = r.parsed!;
    const existing = matched.get(`${r.company!.id}|${r.lookup}`) ?? null;
    const owner = p.phone ? phoneOwners.get(`${r.company!.id}|${p.phone}`) : undefined;
    if (owner && owner !== existing?.id) {
      r.errors.push({ field: 'phone', column: r.mapped.columnOf.phone, code: 'PHONE_TAKEN', zh: '本单位已有其他客户使用该电话', en: 'another customer of this company has this phone' });
      continue;
    }
    const ids = (p.identifiers ?? []).map((i) => ({ kind: i.kind, value: normaliseIdentifier(i.kind, i.value) }));
    if (!existing) {
      r.newIdentifiers = ids;
      continue;
    }
    const level = effectiveLevel(existing.confidentiality, existing.declassify_on, today(existing.unit_time_zone || 'Asia/Shanghai'));
    if (!mayTouchLevel(s.ctx, level, existing.unit_path) || !mayTouchLevel(s.ctx, existing.confidentiality as ConfidentialityLevel, existing.unit_path)) {
      r.errors.push({ field: null, code: 'PROTECTED', zh: '该档案有密级，您无权修改', en: 'this file is protected at a level you may not change' });
      continue;
    }
    r.existing = existing;
    r.identifierCount = identifiersOf.get(existing.id)?.length ?? 0;
    const patch: Partial<CustomerTable> = {};
    for (const field of Object.keys(r.mapped.input)) {
      const col = columnOf[field];
      if (!col) continue;
      const v = toColumn(field, (p as Record<string, unknown>)[field]);
      if (v !== undefined && v !== existing[col]) (patch as Record<string, unknown>)[col] = v;
    }
    const have = new Set((identifiersOf.get(existing.id) ?? []).map((i) => `${i.kind}|${i.lookup}`));
    r.newIdentifiers = ids.filter((i) => !have.has(`${i.kind}|${i.kind === 'id_number' ? s.cipher.hash(i.value) : i.value}`));
    r.patch = patch;
    r.patchEmpty = Object.keys(patch).length === 0 && r.newIdentifiers.length === 0;
  }
}

function identifierRows(s: BatchState, customerId: string, list: { kind: IdentifierKind; value: string }[], from: number): CustomerIdentifierTable[] {
  const seen = new Set<string>();
  const out: CustomerIdentifierTable[] = [];
  for (const i of list) {
    if (seen.has(`${i.kind}:${i.value}`)) continue;
    seen.add(`${i.kind}:${i.value}`);
    const secret = i.kind === 'id_number';
    out.push({ id: newId(), customer_id: customerId, kind: i.kind, lookup: secret ? s.cipher.hash(i.value) : i.value, sealed: secret ? s.cipher.seal(i.value) : null, masked: maskIdentifier(i.kind, i.value), position: from + out.length });
  }
  return out;
}

/**
 * Where applyBatch writes: straight into the tables (in the caller's transaction), or into the staging
 * tables of an all-or-nothing import (applied later in one short transaction).
 */
export interface ImportSink {
  insertCustomers(rows: CustomerTable[]): Promise<void>;
  insertIdentifiers(rows: CustomerIdentifierTable[]): Promise<void>;
  /** An update of a file at the version it was read at; false when the file moved on meanwhile. */
  updateCustomer(id: string, version: number, patch: Partial<CustomerTable>): Promise<boolean>;
  audit(entries: AuditInput[]): Promise<void>;
}

/** Writes into the tables, in `trx`. */
export function directSink(trx: Tx, ctx: Ctx): ImportSink {
  return {
    insertCustomers: (rows) => repo.insertCustomers(trx, rows),
    insertIdentifiers: (rows) => repo.insertIdentifiers(trx, rows),
    updateCustomer: async (id, version, patch) => (await repo.updateCustomer(trx, id, version, patch)) > 0,
    audit: (entries) => recordAuditBatch(trx, ctx, entries),
  };
}

/** Writes into the staging tables of `st` (existing subject keys read from `db`). */
export function stagingSink(db: Tx, ctx: Ctx, st: Stage): ImportSink {
  return {
    insertCustomers: (rows) => importStaging.customers(db, st, rows),
    insertIdentifiers: (rows) => importStaging.identifiers(db, st, rows),
    updateCustomer: async (id, version, patch) => {
      await importStaging.update(db, st, { id, version, patch });
      return true;
    },
    audit: async (entries) => {
      const b = await prepareAuditBatch(db, ctx, entries);
      await importStaging.keys(db, st, b.keys);
      await importStaging.entries(db, st, b.entries);
    },
  };
}

/**
 * Writes the good rows of a validated batch: new files, their identifiers and the audit entries in
 * multi-row inserts; changed files one by one at their version.
 */
export async function applyBatch(sink: ImportSink, s: BatchState, rows: Prepared[], counts: { created: number; updated: number; unchanged: number }): Promise<void> {
  const ctx = s.ctx;
  const now = iso(ctx.clock.now());
  const days = new Map<string, string>();
  // Re-verification 定期核定: the first a quarter after opening, the company's day (as createCustomerFile sets it).
  const firstVerification = (tz: string) => days.get(tz) ?? days.set(tz, addMonths(dayIn(ctx.clock.now(), tz || 'Asia/Shanghai'), VERIFICATION_DEFAULT_MONTHS)).get(tz)!;
  const creates: { row: CustomerTable; ids: CustomerIdentifierTable[]; r: Prepared }[] = [];
  const audits: AuditInput[] = [];
  for (const r of rows) {
    if (r.errors.length > 0 || !r.parsed) continue;
    if (r.existing && r.patchEmpty) {
      counts.unchanged++;
      continue;
    }
    if (r.existing) {
      const e = r.existing;
      if (!(await sink.updateCustomer(e.id, Number(e.version), { ...r.patch, updated_at: now }))) {
        r.errors.push({ field: null, code: 'CONFLICT', zh: '该档案正被他人修改，请重新导入', en: 'someone changed this file meanwhile; import again' });
        continue;
      }
      const added = identifierRows(s, e.id, r.newIdentifiers ?? [], r.identifierCount ?? 0);
      await sink.insertIdentifiers(added);
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = { importId: s.importId };
      for (const [field, col] of Object.entries(columnOf)) {
        if (r.patch && col in r.patch) {
          before[field] = e[col];
          after[field] = r.patch[col];
        }
      }
      if (added.length) after.identifiers = added.map((i) => `${i.kind}:${i.masked}`);
      audits.push({ action: 'customer.update', entityType: 'customer', entityId: e.id, orgUnitId: e.org_unit_id, before, after, personal: { subjectType: 'customer', subjectId: e.id, fields: personalFields } });
      counts.updated++;
      continue;
    }
    const p = r.parsed;
    const id = newId();
    const row: CustomerTable = {
      id,
      org_unit_id: r.company!.id,
      name: p.name,
      phone: p.phone ?? null,
      email: p.email ?? null,
      vip: p.vip ? 1 : 0,
      tier: p.tier,
      created_at: now,
      updated_at: now,
      version: 1,
      kind: p.kind ?? 'person',
      gender: p.gender ?? null,
      birthday: p.birthday ?? null,
      birthday_lunar: 0,
      position: p.position ?? null,
      address: p.address ?? null,
      industry: p.industry ?? null,
      org_size: null,
      relation_since: null,
      needs: p.needs ?? null,
      preferences: p.preferences ?? null,
      notes: p.notes ?? null,
      owner_id: null,
      category: p.category ?? 'A',
      member_level: p.memberLevel ?? null,
      credit_class: null,
      credit_date: null,
      credit_basis: null,
      tags: JSON.stringify(p.tags ?? []),
      confidentiality: 'ordinary',
      declassify_on: null,
      protected_sections: '[]',
      archived_at: null,
      next_verification_on: firstVerification(r.company!.timeZone),
    };
    creates.push({ row, ids: identifierRows(s, id, r.newIdentifiers ?? [], 0), r });
  }
  if (creates.length > 0) {
    await sink.insertCustomers(creates.map((c) => c.row));
    await sink.insertIdentifiers(creates.flatMap((c) => c.ids));
  }
  for (const { row, ids } of creates) {
    const after: Record<string, unknown> = { importId: s.importId };
    for (const [field, col] of Object.entries(columnOf)) after[field] = col === 'vip' ? row.vip === 1 : col === 'tags' ? JSON.parse(row.tags) : row[col];
    after.orgUnitId = row.org_unit_id;
    // Only the masked forms, even sealed: an ID number never reaches the audit trail.
    if (ids.length) after.identifiers = ids.map((i) => `${i.kind}:${i.masked}`);
    audits.push({ action: 'customer.create', entityType: 'customer', entityId: row.id, orgUnitId: row.org_unit_id, after, personal: { subjectType: 'customer', subjectId: row.id, fields: personalFields, newSubject: true } });
    counts.created++;
  }
  await sink.audit(audits);
}
