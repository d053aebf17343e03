import type { z } from 'zod';
import {
  duplicateReasons,
  mergeFields,
  type CustomerMergeEntry,
  type DuplicatePair,
  type DuplicateReason,
  type MergeField,
  type MergePreview,
  type customerMergeInput,
  type duplicateDismiss,
  type duplicateQuery,
} from '../../../contracts/customer-merge.ts';
import { confidentialityLevels, levelPermission, normaliseIdentifier, type ConfidentialityLevel, type CustomerFile, type ProtectedSection } from '../../../contracts/customers.ts';
import type { Tx } from '../../../db/database.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError, notFound, versionConflict } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { decodeCursor, encodeCursor } from '../tickets/cursor.ts';
import { accessOf, getCustomerFile, toSummary, type CustomerFileDeps } from '../customers/customer-file.service.ts';
import { maskIdentifier } from '../customers/customer.mask.ts';
import { runCustomerRelinkers } from '../customers/customer.relink.ts';
import { customerRepository, emptyFileFields, type CustomerRow, type CustomerView } from '../customers/customer.repository.ts';
import { holdsNear, nearScope } from '../customers/customer.scope.ts';
import { customerMergeRepository as repo, type MergeRow } from './customer-merge.repository.ts';

/**
 * Duplicates and merge of customer files 疑似重复 / 合并 (customer-file issue §6).
 *
 * Detection: pairs of live files of ONE company (a merge never crosses companies) in the caller's
 * customer:manage scope sharing an ID number, phone, e-mail or member card, or the same normalised name
 * (contracts nameKey) unless both birthdays are known and differ. A key held by more than
 * MAX_PER_KEY files (a switchboard number) contributes only its first MAX_PER_KEY files.
 *
 * Merge: `:id` survives, `mergeId` becomes a pointer (merged_into_id, personal columns emptied — its
 * values are sealed in the `customer.merge` audit entry with the survivor's key). Both versions must be
 * current; both files must be in scope (404), of the same company, not merged already, and — when
 * protected — the caller must hold each level's permission (the one needed to open it) over the file.
 */

const MAX_PER_KEY = 20;
const rank = (r: DuplicateReason) => duplicateReasons.indexOf(r);

/** The columns each chosen field stands for. */
const fieldColumns: Record<MergeField, (keyof CustomerRow)[]> = {
  name: ['name'],
  phone: ['phone'],
  email: ['email'],
  vip: ['vip'],
  tier: ['tier'],
  kind: ['kind'],
  gender: ['gender'],
  birthday: ['birthday', 'birthday_lunar'],
  position: ['position'],
  address: ['address'],
  industry: ['industry'],
  orgSize: ['org_size'],
  relationSince: ['relation_since'],
  needs: ['needs'],
  preferences: ['preferences'],
  notes: ['notes'],
  ownerId: ['owner_id'],
  category: ['category'],
  memberLevel: ['member_level'],
  credit: ['credit_class', 'credit_date', 'credit_basis'],
};
/** The protected section that masks or hides a field. */
const fieldSection: Partial<Record<MergeField, ProtectedSection>> = {
  phone: 'contact',
  email: 'contact',
  address: 'contact',
  needs: 'notes',
  preferences: 'notes',
  notes: 'notes',
  credit: 'finance',
};

const valueOf = (r: CustomerRow, f: MergeField): unknown => {
  const cols = fieldColumns[f];
  return cols.length === 1 ? r[cols[0]] : Object.fromEntries(cols.map((c) => [c, r[c]]));
};
const differs = (a: CustomerRow, b: CustomerRow, f: MergeField) => fieldColumns[f].some((c) => (a[c] ?? null) !== (b[c] ?? null));

interface Holder {
  id: string;
  birthday: string | null;
  unit: string;
  kind: string;
}
const cmp = (x: readonly string[], y: readonly string[]) => {
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
};

/** The pairs of likely duplicates, strongest reason first, paged by (reason rank, a, b). */
export async function listDuplicates(ctx: Ctx, q: z.infer<typeof duplicateQuery>): Promise<{ items: DuplicatePair[]; nextCursor: string | null; total: number }> {
  // Names imported in bulk get their key first (cheap when there are none), a batch per transaction.
  for (let rows = await repo.namesWithoutKey(ctx.db, 1000); rows.length > 0; rows = await repo.namesWithoutKey(ctx.db, 1000)) {
    await ctx.db.transaction().execute((trx) => repo.setNameKeys(trx, rows));
  }
  const members = await repo.duplicateMembers(ctx.db, nearScope(ctx.actor, 'customer:manage'));
  const groups = new Map<string, Holder[]>();
  for (const m of members) {
    const k = `${m.unit}\u0000${m.kind}\u0000${m.key}`;
    const g = groups.get(k) ?? [];
    if (g.length < MAX_PER_KEY) g.push({ id: m.customer_id, birthday: m.birthday, unit: m.unit, kind: m.kind });
    groups.set(k, g);
  }
  const pairs = new Map<string, { a: string; b: string; unit: string; reasons: Set<DuplicateReason> }>();
  for (const g of groups.values()) {
    for (let i = 0; i < g.length; i++) {
      for (let j = i + 1; j < g.length; j++) {
        const [x, y] = g[i].id < g[j].id ? [g[i], g[j]] : [g[j], g[i]];
        let reason: DuplicateReason;
        if (x.kind === 'name') {
          if (x.birthday && y.birthday && x.birthday !== y.birthday) continue; // same name, different people
          reason = x.birthday && x.birthday === y.birthday ? 'name_birthday' : 'name';
        } else reason = x.kind as DuplicateReason;
        const key = `${x.id}|${y.id}`;
        const p = pairs.get(key) ?? { a: x.id, b: y.id, unit: x.unit, reasons: new Set<DuplicateReason>() };
        p.reasons.add(reason);
        pairs.set(key, p);
      }
    }
  }
  const dismissed = await repo.dismissedPairs(ctx.db, [...new Set([...pairs.values()].map((p) => p.unit))]);
  const sorted = [...pairs.entries()]
    .filter(([k]) => !dismissed.has(k))
    .map(([, p]) => {
      const reasons = [...p.reasons].sort((r, s) => rank(r) - rank(s));
      return { ...p, reasons, order: [String(rank(reasons[0])), p.a, p.b] as [string, string, string] };
    })
    .sort((p, r) => cmp(p.order, r.order));
  const after = q.cursor ? decodeCursor(q.cursor, ['string', 'string', 'string'] as const, ctx.lang) : undefined;
  const rest = after ? sorted.filter((p) => cmp(p.order, after) > 0) : sorted;
  const page = rest.slice(0, q.limit);
  const views = new Map((await repo.views(ctx.db, [...new Set(page.flatMap((p) => [p.a, p.b]))])).map((v) => [v.id, v]));
  const now = ctx.clock.now();
  return {
    // A file merged away meanwhile drops out of this page.
    items: page.filter((p) => views.has(p.a) && views.has(p.b)).map((p) => ({ a: toSummary(views.get(p.a)!, ctx.actor, now), b: toSummary(views.get(p.b)!, ctx.actor, now), reasons: p.reasons })),
    nextCursor: rest.length > q.limit ? encodeCursor(page.at(-1)!.order) : null,
    total: sorted.length,
  };
}

/** Two different files of the caller's customer:manage scope (404 otherwise; the same twice: 422), as asked. */
async function pairInScope(trx: Tx, ctx: Ctx, one: string, two: string): Promise<[CustomerView, CustomerView]> {
  const scope = nearScope(ctx.actor, 'customer:manage');
  const a = await customerRepository.byIdInScope(trx, one, scope);
  if (!a || a.destroyed_at) throw notFound();
  if (one === two) throw new AppError('CUSTOMER_MERGE_SELF', 422);
  const b = await customerRepository.byIdInScope(trx, two, scope);
  if (!b || b.destroyed_at) throw notFound();
  return [a, b];
}

/** `POST /customer-duplicates/dismiss`: the pair is "not duplicates" 不是重复 and is no longer suggested. */
export async function dismissDuplicate(ctx: Ctx, input: z.infer<typeof duplicateDismiss>): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const [a, b] = await pairInScope(trx, ctx, input.customerIds[0], input.customerIds[1]);
    if (a.org_unit_id !== b.org_unit_id) throw new AppError('CUSTOMER_MERGE_OTHER_COMPANY', 422);
    const [x, y] = a.id < b.id ? [a.id, b.id] : [b.id, a.id];
    if (await repo.dismiss(trx, { id: newId(), org_unit_id: a.org_unit_id, customer_a: x, customer_b: y, dismissed_by: ctx.actor.userId, dismissed_at: iso(ctx.clock.now()) })) {
      await recordAudit(trx, ctx, { action: 'customer.duplicate_dismiss', entityType: 'customer', entityId: x, orgUnitId: a.org_unit_id, after: { notDuplicateOf: y } });
    }
  });
}

/** Refusals shared by preview and merge: already merged, other company, a level the caller may not open. */
function checkMergeable(ctx: Ctx, survivor: CustomerView, merged: CustomerView) {
  if (survivor.merged_into_id || merged.merged_into_id) throw new AppError('CUSTOMER_MERGE_ALREADY_MERGED', 409);
  if (survivor.org_unit_id !== merged.org_unit_id) throw new AppError('CUSTOMER_MERGE_OTHER_COMPANY', 422);
  const now = ctx.clock.now();
  for (const f of [survivor, merged]) {
    // The level set on the file and the one in force: merging moves every protected value, so both count.
    for (const level of [f.confidentiality as ConfidentialityLevel, accessOf(ctx.actor, f, now).effectiveLevel]) {
      if (level !== 'ordinary' && !holdsNear(ctx.actor, levelPermission[level], f.unit_path)) throw new AppError('CUSTOMER_MERGE_LEVEL', 403);
    }
  }
}

/** What the caller sees of a field in a file: masked or hidden values come masked from the file view. */
function shown(f: CustomerFile, field: MergeField, lang: 'zh' | 'en'): string | boolean | null {
  switch (field) {
    case 'birthday':
      return f.birthday ? `${f.birthday}${f.birthdayLunar ? (lang === 'zh' ? '（农历）' : ' (lunar)') : ''}` : null;
    case 'credit':
      return f.creditClass || f.creditDate || f.creditBasis ? [f.creditClass, f.creditDate, f.creditBasis].filter(Boolean).join(' · ') : null;
    case 'ownerId':
      return f.ownerName;
    default:
      return (f[field] as string | boolean | null | undefined) ?? null;
  }
}

/** `GET /customers/:id/merge-preview?otherId=`: both files as the caller sees them, and the fields whose values differ. */
export async function mergePreview(ctx: Ctx, deps: CustomerFileDeps, id: string, otherId: string): Promise<MergePreview> {
  const [s, m] = await pairInScope(ctx.db, ctx, id, otherId);
  checkMergeable(ctx, s, m);
  const survivor = await getCustomerFile(ctx, deps, s.id);
  const merged = await getCustomerFile(ctx, deps, m.id);
  const restricted = (f: CustomerFile, field: MergeField) => fieldSection[field] !== undefined && f.access.restrictedSections.includes(fieldSection[field]);
  return {
    survivor,
    merged,
    fields: mergeFields
      .filter((f) => differs(s, m, f))
      .map((f) => ({ field: f, survivor: shown(survivor, f, ctx.lang), merged: shown(merged, f, ctx.lang), masked: restricted(survivor, f) || restricted(merged, f) })),
  };
}

const levelRank = (l: string) => confidentialityLevels.indexOf(l as ConfidentialityLevel);

/** The stricter level of the two, with its declassification day and the union of protected sections. */
function stricter(s: CustomerRow, m: CustomerRow): Partial<CustomerRow> {
  const sections = [...new Set([...(JSON.parse(s.protected_sections) as string[]), ...(JSON.parse(m.protected_sections) as string[])])];
  const rs = levelRank(s.confidentiality);
  const rm = levelRank(m.confidentiality);
  const declassifyOn = rs === rm ? (s.declassify_on && m.declassify_on ? (s.declassify_on > m.declassify_on ? s.declassify_on : m.declassify_on) : null) : rs > rm ? s.declassify_on : m.declassify_on;
  return { confidentiality: rs >= rm ? s.confidentiality : m.confidentiality, declassify_on: declassifyOn, protected_sections: JSON.stringify(sections) };
}

/**
 * Personal columns emptied on the merged-away file: the values live on in the survivor and, sealed, in the audit entry.
 * The pointer is also archived, so care, re-verification and every list of live files leave it out.
 */
const pointerPatch = (at: string): Partial<CustomerRow> => ({
  phone: null,
  email: null,
  ...emptyFileFields,
  merged_at: at,
  updated_at: at,
});

const sealedFields = [...mergeFields, 'tags', 'identifiers', 'mergedFile'];

/** `POST /customers/:id/merge`: merges `mergeId` into `:id` with the chosen fields; answers the survivor and the history entry. */
export async function mergeCustomers(ctx: Ctx, deps: CustomerFileDeps, id: string, input: z.infer<typeof customerMergeInput>): Promise<{ file: CustomerFile; merge: CustomerMergeEntry }> {
  const entry = await ctx.db.transaction().execute(async (trx) => {
    const [s, m] = await pairInScope(trx, ctx, id, input.mergeId);
    checkMergeable(ctx, s, m);
    if (s.version !== input.version || m.version !== input.mergeVersion) throw versionConflict();
    const take = new Set(input.take);
    if (m.category === 'A' && (take.has('category') ? m.category : s.category) !== 'A') throw new AppError('CUSTOMER_MERGE_PERMANENT', 409);

    const at = iso(ctx.clock.now());
    const patch: Partial<CustomerRow> = {};
    const fields: Record<string, 'survivor' | 'merged'> = {};
    for (const f of mergeFields) {
      if (!differs(s, m, f)) continue;
      fields[f] = take.has(f) ? 'merged' : 'survivor';
      if (take.has(f)) for (const c of fieldColumns[f]) Object.assign(patch, { [c]: m[c] });
    }
    const tags = [...new Set([...(JSON.parse(s.tags) as string[]), ...(JSON.parse(m.tags) as string[])])];
    // Custom fields 自定义字段 (0026): the survivor's values stay, the merged file's fill the keys it lacks.
    const customFields = { ...(JSON.parse(m.custom_fields ?? '{}') as object), ...(JSON.parse(s.custom_fields ?? '{}') as object) };
    Object.assign(patch, { tags: JSON.stringify(tags), custom_fields: JSON.stringify(customFields), ...stricter(s, m), updated_at: at });

    // The guarded writes first: a concurrent change of either file makes this merge the loser (409).
    if ((await customerRepository.update(trx, m.id, m.version, { ...pointerPatch(at), merged_into_id: s.id, archived_at: m.archived_at ?? at })) === 0) throw versionConflict();
    if ((await customerRepository.update(trx, s.id, s.version, patch)) === 0) throw versionConflict();

    const identsBefore = await repo.maskedIdentifiers(trx, [s.id, m.id]);
    const relinked = await runCustomerRelinkers(trx, ctx, m.id, s.id);
    // The phone and e-mail that do not stay primary become identifiers, so lookup still finds the customer by them.
    const after = { ...s, ...patch } as CustomerRow;
    const extra: { id: string; kind: string; lookup: string; sealed: null; masked: string }[] = [];
    for (const p of [s.phone, m.phone]) if (p && p !== after.phone) extra.push({ id: newId(), kind: 'phone', lookup: p, sealed: null, masked: maskIdentifier('phone', p) });
    for (const e of [s.email, m.email]) {
      if (!e || e === after.email) continue;
      const lookup = normaliseIdentifier('email', e);
      extra.push({ id: newId(), kind: 'email', lookup, sealed: null, masked: maskIdentifier('email', lookup) });
    }
    await repo.addIdentifiers(trx, s.id, extra);

    const row: MergeRow = {
      id: newId(),
      org_unit_id: s.org_unit_id,
      survivor_id: s.id,
      merged_id: m.id,
      merged_by: ctx.actor.userId,
      merged_by_name: ctx.actor.displayName,
      merged_at: at,
      fields: JSON.stringify(fields),
      relinked: JSON.stringify(relinked),
    };
    await repo.insertMerge(trx, row);
    const changed = Object.keys(fields) as MergeField[];
    const pick = (r: CustomerRow) => Object.fromEntries(changed.filter((f) => fields[f] === 'merged').map((f) => [f, valueOf(r, f)]));
    await recordAudit(trx, ctx, {
      action: 'customer.merge',
      entityType: 'customer',
      entityId: s.id,
      orgUnitId: s.org_unit_id,
      before: {
        ...pick(s),
        tags: JSON.parse(s.tags) as string[],
        identifiers: identsBefore.get(s.id) ?? [],
        mergedFile: { id: m.id, ...Object.fromEntries(mergeFields.map((f) => [f, valueOf(m, f)])), tags: JSON.parse(m.tags) as string[], customFields: JSON.parse(m.custom_fields ?? '{}') as object, identifiers: identsBefore.get(m.id) ?? [] },
      },
      after: { ...pick(after), tags, identifiers: (await repo.maskedIdentifiers(trx, [s.id])).get(s.id) ?? [], mergedId: m.id, fields, relinked },
      personal: { subjectType: 'customer', subjectId: s.id, fields: sealedFields },
    });
    return toEntry(row);
  });
  return { file: await getCustomerFile(ctx, deps, id), merge: entry };
}

function toEntry(r: MergeRow): CustomerMergeEntry {
  return {
    id: r.id,
    survivorId: r.survivor_id,
    mergedId: r.merged_id,
    mergedByName: r.merged_by_name,
    mergedAt: r.merged_at,
    fields: JSON.parse(r.fields) as CustomerMergeEntry['fields'],
    relinked: JSON.parse(r.relinked) as string[],
  };
}

/** `GET /customers/:id/merges`: the merges the file took part in (customer:read over it, else 404). */
export async function mergeHistory(ctx: Ctx, id: string): Promise<CustomerMergeEntry[]> {
  const row = await customerRepository.byIdInScope(ctx.db, id, nearScope(ctx.actor, 'customer:read'));
  if (!row) throw notFound();
  return (await repo.mergesOf(ctx.db, id)).map(toEntry);
}
