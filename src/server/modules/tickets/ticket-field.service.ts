import type { z } from 'zod';
import type { FieldDefinition, applicableFieldsQuery, fieldDefinitionCreate, fieldDefinitionQuery, fieldDefinitionUpdate, fieldReorder } from '../../../contracts/ticket-settings.ts';
import type { Tx } from '../../../db/database.ts';
import { scopePaths } from '../../platform/actor.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError, notFound, versionConflict, type FieldError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { orgUnitRepository, type OrgUnitRow } from '../org/org-unit.repository.ts';
import { actingUnitId } from '../users/user.service.ts';
import { pathIds } from './org-chain.ts';
import { ticketFieldRepository as repo, type FieldDefinitionRow, type FieldDefinitionView } from './ticket-field.repository.ts';
import { checkFieldConfig, checkFieldValue, configOf, isEmptyValue, type FieldConfig } from './ticket-field.values.ts';

/**
 * Custom fields 自定义字段: definitions belong to a company or the group (like routing rules) and to
 * one work-order type; a work order meets the definitions of its company and the units above it
 * (the nearest unit's wins when two define the same key). Writing needs ticket:configure over the
 * definition's unit; definitions outside that scope do not exist for the caller (404).
 */
const MAX_FIELDS_PER_UNIT_AND_TYPE = 100;
type TicketType = FieldDefinitionRow['ticket_type'];

const fieldErrors = (fields: FieldError[]) => new AppError('VALIDATION_FAILED', 422, { fields });

export function toDefinition(r: FieldDefinitionView): FieldDefinition {
  const c = configOf(r);
  return {
    id: r.id,
    orgUnitId: r.org_unit_id,
    orgUnitName: r.unit_name,
    ticketType: r.ticket_type,
    key: r.key,
    labelZh: r.label_zh,
    labelEn: r.label_en,
    kind: r.kind,
    required: r.required === 1,
    enabled: r.enabled === 1,
    position: Number(r.position),
    maxLength: c.maxLength ?? null,
    min: c.min ?? null,
    max: c.max ?? null,
    options: c.options ?? [],
    version: Number(r.version),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
const audited = (r: Pick<FieldDefinitionRow, 'key' | 'label_zh' | 'label_en' | 'kind' | 'config' | 'required' | 'enabled' | 'ticket_type'>) => ({
  ticketType: r.ticket_type,
  key: r.key,
  labelZh: r.label_zh,
  labelEn: r.label_en,
  kind: r.kind,
  config: configOf(r),
  required: r.required === 1,
  enabled: r.enabled === 1,
});

/** A definition's unit: a company or a group in the caller's ticket:configure scope. */
async function settingsUnit(trx: Tx, ctx: Ctx, unitId: string): Promise<OrgUnitRow> {
  const unit = await orgUnitRepository.byIdInScope(trx, unitId, scopePaths(ctx.actor, 'ticket:configure'));
  if (!unit) throw notFound();
  if (unit.kind !== 'company' && unit.kind !== 'group') throw fieldErrors([{ field: 'orgUnitId', message: ctx.lang === 'zh' ? '须为分公司/分店或集团' : 'must be a company or a group' }]);
  return unit;
}

function checkConfig(ctx: Ctx, kind: FieldDefinitionRow['kind'], c: FieldConfig): void {
  const bad = checkFieldConfig(kind, c, ctx.lang);
  if (bad.length) throw fieldErrors(bad.map(([field, message]) => ({ field, message })));
}

const byView = async (db: Tx, id: string) => toDefinition((await repo.byIdInScope(db, id, ['/']))!);

export async function listDefinitions(ctx: Ctx, q: z.infer<typeof fieldDefinitionQuery>): Promise<FieldDefinition[]> {
  return (await repo.list(ctx.db, scopePaths(ctx.actor, 'ticket:configure'), { unitId: q.orgUnitId, type: q.ticketType })).map(toDefinition);
}

export async function createDefinition(ctx: Ctx, input: z.infer<typeof fieldDefinitionCreate>): Promise<FieldDefinition> {
  return ctx.db.transaction().execute(async (trx) => {
    const unit = await settingsUnit(trx, ctx, input.orgUnitId);
    const config: FieldConfig = { maxLength: input.maxLength ?? null, min: input.min ?? null, max: input.max ?? null, options: input.options ?? null };
    checkConfig(ctx, input.kind, config);
    if (await repo.byKey(trx, unit.id, input.ticketType, input.key)) throw new AppError('FIELD_KEY_TAKEN', 409, { fields: [{ field: 'key', message: input.key }] });
    const { n, maxPosition } = await repo.countInUnit(trx, unit.id, input.ticketType);
    if (n >= MAX_FIELDS_PER_UNIT_AND_TYPE) throw new AppError('FIELD_LIMIT', 409);
    const at = iso(ctx.clock.now());
    const row: FieldDefinitionRow = {
      id: newId(),
      org_unit_id: unit.id,
      ticket_type: input.ticketType,
      key: input.key,
      label_zh: input.labelZh,
      label_en: input.labelEn,
      kind: input.kind,
      config: JSON.stringify(config),
      required: input.required ? 1 : 0,
      position: maxPosition + 1,
      enabled: input.enabled ? 1 : 0,
      created_at: at,
      updated_at: at,
      version: 1,
    };
    await repo.insert(trx, row);
    await recordAudit(trx, ctx, { action: 'ticket_field.create', entityType: 'ticket_field', entityId: row.id, orgUnitId: unit.id, after: { position: row.position, ...audited(row) } });
    return byView(trx, row.id);
  });
}

export async function updateDefinition(ctx: Ctx, id: string, input: z.infer<typeof fieldDefinitionUpdate>): Promise<FieldDefinition> {
  return ctx.db.transaction().execute(async (trx) => {
    const d = await repo.byIdInScope(trx, id, scopePaths(ctx.actor, 'ticket:configure'));
    if (!d) throw notFound();
    if (Number(d.version) !== input.version) throw versionConflict();
    const current = configOf(d);
    const config: FieldConfig = {
      maxLength: input.maxLength === undefined ? (current.maxLength ?? null) : input.maxLength,
      min: input.min === undefined ? (current.min ?? null) : input.min,
      max: input.max === undefined ? (current.max ?? null) : input.max,
      options: input.options === undefined ? (current.options ?? null) : input.options,
    };
    checkConfig(ctx, d.kind, config);
    if (input.key !== undefined && input.key !== d.key) {
      if (await repo.keyUsed(trx, d.unit_path, d.ticket_type, d.key)) throw new AppError('FIELD_KEY_IN_USE', 409, { fields: [{ field: 'key', message: d.key }] });
      if (await repo.byKey(trx, d.org_unit_id, d.ticket_type, input.key)) throw new AppError('FIELD_KEY_TAKEN', 409, { fields: [{ field: 'key', message: input.key }] });
    }
    const patch = {
      key: input.key ?? d.key,
      label_zh: input.labelZh ?? d.label_zh,
      label_en: input.labelEn ?? d.label_en,
      config: JSON.stringify(config),
      required: input.required === undefined ? d.required : input.required ? 1 : 0,
      enabled: input.enabled === undefined ? d.enabled : input.enabled ? 1 : 0,
      updated_at: iso(ctx.clock.now()),
    };
    if (!(await repo.update(trx, id, input.version, patch))) throw versionConflict();
    await recordAudit(trx, ctx, { action: 'ticket_field.update', entityType: 'ticket_field', entityId: id, orgUnitId: d.org_unit_id, before: audited(d), after: audited({ ...d, ...patch }) });
    return byView(trx, id);
  });
}

/** Only a definition no work order stores a value for can be deleted; otherwise it is disabled (values kept). */
export async function deleteDefinition(ctx: Ctx, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const d = await repo.byIdInScope(trx, id, scopePaths(ctx.actor, 'ticket:configure'));
    if (!d) throw notFound();
    if (await repo.keyUsed(trx, d.unit_path, d.ticket_type, d.key)) throw new AppError('FIELD_KEY_IN_USE', 409, { fields: [{ field: 'key', message: d.key }] });
    await repo.delete(trx, id);
    await recordAudit(trx, ctx, { action: 'ticket_field.delete', entityType: 'ticket_field', entityId: id, orgUnitId: d.org_unit_id, before: audited(d), after: {} });
  });
}

/** Puts every definition of one unit and type in the order given. */
export async function reorderDefinitions(ctx: Ctx, input: z.infer<typeof fieldReorder>): Promise<FieldDefinition[]> {
  return ctx.db.transaction().execute(async (trx) => {
    const unit = await settingsUnit(trx, ctx, input.orgUnitId);
    const rows = await repo.list(trx, ['/'], { unitId: unit.id, type: input.ticketType });
    const ids = new Set(rows.map((r) => r.id));
    if (input.ids.length !== ids.size || new Set(input.ids).size !== ids.size || !input.ids.every((x) => ids.has(x))) {
      throw fieldErrors([{ field: 'ids', message: ctx.lang === 'zh' ? '须列出该单位此类工单的全部字段，各一次' : 'must list every field of the unit and type, once each' }]);
    }
    const at = iso(ctx.clock.now());
    for (const [i, x] of input.ids.entries()) await repo.setPosition(trx, x, i + 1, at);
    await recordAudit(trx, ctx, { action: 'ticket_field.reorder', entityType: 'org_unit', entityId: unit.id, orgUnitId: unit.id, before: { ids: rows.map((r) => r.id) }, after: { ticketType: input.ticketType, ids: input.ids } });
    return (await repo.list(trx, ['/'], { unitId: unit.id, type: input.ticketType })).map(toDefinition);
  });
}

/**
 * The definitions a work order of `type` owned at `unitPath` meets, keyed by field key: those of
 * the units on its path (its company, the group), the nearest unit's winning; root first, each
 * unit's by position. Disabled ones are included (their stored values stay and are shown).
 */
export async function effectiveDefinitions(db: Tx, unitPath: string, type: TicketType): Promise<Map<string, FieldDefinitionView>> {
  const ids = pathIds(unitPath);
  const rows = await repo.ofUnits(db, ids, type);
  const depth = (r: FieldDefinitionView) => ids.indexOf(r.org_unit_id);
  const out = new Map<string, FieldDefinitionView>();
  for (const r of [...rows].sort((a, b) => depth(a) - depth(b) || Number(a.position) - Number(b.position))) {
    const seen = out.get(r.key);
    if (seen && depth(seen) > depth(r)) continue;
    if (seen) out.delete(r.key); // a nearer unit's definition replaces the inherited one
    out.set(r.key, r);
  }
  return out;
}

/** `GET /ticket-fields/applicable`: what the intake form and the detail page show, for a unit the caller may register or read in. */
export async function applicableDefinitions(ctx: Ctx, q: z.infer<typeof applicableFieldsQuery>): Promise<FieldDefinition[]> {
  const unitId = await actingUnitId(ctx.db, ctx, q.orgUnitId);
  const unit =
    (await orgUnitRepository.byIdInScope(ctx.db, unitId, scopePaths(ctx.actor, 'ticket:create'))) ??
    (await orgUnitRepository.byIdInScope(ctx.db, unitId, scopePaths(ctx.actor, 'ticket:read')));
  if (!unit) throw notFound();
  return [...(await effectiveDefinitions(ctx.db, unit.path, q.ticketType)).values()].map(toDefinition);
}

/** Checks given values against the enabled definitions; every problem is reported, keyed `customFields.<key>`. */
function checkValues(ctx: Ctx, defs: Map<string, FieldDefinitionView>, given: Record<string, unknown>, errors: FieldError[]): void {
  const zh = ctx.lang === 'zh';
  for (const [key, v] of Object.entries(given)) {
    const d = defs.get(key);
    if (!d || d.enabled !== 1) {
      errors.push({ field: `customFields.${key}`, message: zh ? '没有这个字段' : 'unknown field' });
      continue;
    }
    if (isEmptyValue(v)) continue;
    const bad = checkFieldValue(d, v, ctx.lang);
    if (bad) errors.push({ field: `customFields.${key}`, message: bad });
  }
}
function checkRequired(ctx: Ctx, defs: Map<string, FieldDefinitionView>, values: Record<string, unknown>, errors: FieldError[]): void {
  for (const d of defs.values()) {
    if (d.enabled === 1 && d.required === 1 && isEmptyValue(values[d.key]) && !errors.some((e) => e.field === `customFields.${d.key}`)) {
      errors.push({ field: `customFields.${d.key}`, message: ctx.lang === 'zh' ? '必填' : 'required' });
    }
  }
}
const withoutEmpty = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => !isEmptyValue(v)));

/** Intake: the values as stored (JSON text), or 422 naming every bad field; nothing is written then. */
export async function customFieldsAtIntake(trx: Tx, ctx: Ctx, unitPath: string, type: TicketType, given: Record<string, unknown> | undefined): Promise<string> {
  const defs = await effectiveDefinitions(trx, unitPath, type);
  const values = withoutEmpty(given ?? {});
  const errors: FieldError[] = [];
  checkValues(ctx, defs, given ?? {}, errors);
  checkRequired(ctx, defs, values, errors);
  if (errors.length) throw fieldErrors(errors);
  return JSON.stringify(values);
}

/**
 * An update that changes the type or the values. Changing the type keeps the values of fields the
 * new type still defines (enabled or not) and drops the others; given values (null clears one) are
 * checked against the enabled definitions, and the required ones must then be filled. Returns the
 * new JSON and the keys dropped, or undefined when nothing is to be checked.
 */
export async function customFieldsOnUpdate(
  trx: Tx,
  ctx: Ctx,
  t: { unit_path: string; type: TicketType; custom_fields: string },
  type: TicketType,
  given: Record<string, unknown> | undefined,
): Promise<{ json: string; dropped: string[] } | undefined> {
  if (given === undefined && type === t.type) return undefined;
  const defs = await effectiveDefinitions(trx, t.unit_path, type);
  const stored = JSON.parse(t.custom_fields) as Record<string, unknown>;
  const kept = Object.fromEntries(Object.entries(stored).filter(([k]) => defs.has(k)));
  const dropped = Object.keys(stored).filter((k) => !defs.has(k));
  const errors: FieldError[] = [];
  checkValues(ctx, defs, given ?? {}, errors);
  const values = withoutEmpty({ ...kept, ...(given ?? {}) });
  checkRequired(ctx, defs, values, errors);
  if (errors.length) throw fieldErrors(errors);
  return { json: JSON.stringify(values), dropped };
}
