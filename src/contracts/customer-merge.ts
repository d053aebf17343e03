import { z } from 'zod';
import { id, version } from './api.ts';
import { customerFile, customerSummary } from './customers.ts';

/**
 * Duplicates and merge of customer files 疑似重复 / 合并档案 (customer-file issue §6). Likely duplicates
 * are pairs of live files of one company that share a normalised phone, e-mail, ID number (its keyed hash)
 * or member card, or the same normalised name with no conflicting birthday. A merge keeps one file (the
 * survivor), takes chosen fields from the other, unites identifiers and tags, relinks everything that
 * pointed at the other file, and leaves the other as a pointer to the survivor.
 */

/**
 * The name rule: Unicode NFKC (full-width letters, digits and spaces become half-width), every space
 * removed, lower case. 王 秀兰 / 王秀兰 / 王　秀兰 all give 王秀兰.
 */
export function nameKey(name: string): string {
  return name.normalize('NFKC').replace(/\s+/gu, '').toLowerCase();
}

/** Why a pair is suggested: a shared identifier, or the same name (with the same birthday, or no birthday to tell them apart). */
export const duplicateReasons = ['id_number', 'phone', 'email', 'member_card', 'name_birthday', 'name'] as const;
export type DuplicateReason = (typeof duplicateReasons)[number];

/**
 * The fields chosen one by one in a merge. `birthday` carries its lunar flag; `credit` is class, date and
 * basis together. Not chosen: tags and identifiers (united), the confidentiality level (the stricter of
 * the two, so a merge never lowers protection), the owning company (the same for both).
 */
export const mergeFields = [
  'name',
  'phone',
  'email',
  'vip',
  'tier',
  'kind',
  'gender',
  'birthday',
  'position',
  'address',
  'industry',
  'orgSize',
  'relationSince',
  'needs',
  'preferences',
  'notes',
  'ownerId',
  'category',
  'memberLevel',
  'credit',
] as const;
export type MergeField = (typeof mergeFields)[number];

export const duplicateQuery = z.strictObject({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export const duplicatePair = z.object({
  a: customerSummary,
  b: customerSummary,
  reasons: z.array(z.enum(duplicateReasons)).describe('why the pair is suggested 疑似原因'),
});
export const duplicatePage = z.object({ items: z.array(duplicatePair), nextCursor: z.string().nullable(), total: z.number().int() });

export const duplicateDismiss = z.strictObject({
  customerIds: z.tuple([id, id]).describe('the pair judged "not duplicates" 不是重复'),
});

export const mergePreviewQuery = z.strictObject({ otherId: id.describe('the file to merge into this one') });

const shown = z.union([z.string(), z.boolean()]).nullable();
export const mergeFieldView = z.object({
  field: z.enum(mergeFields),
  survivor: shown,
  merged: shown,
  /** The value is masked or hidden for the caller on at least one side (the file's protected sections). */
  masked: z.boolean(),
});
export const mergePreview = z.object({
  survivor: customerFile,
  merged: customerFile,
  /** Only the fields whose values differ, shown as the caller may see them. */
  fields: z.array(mergeFieldView),
});

export const customerMergeInput = z.strictObject({
  version: version.describe('the version of this (surviving) file'),
  mergeId: id.describe('the file merged away 被合并档案'),
  mergeVersion: version,
  take: z.array(z.enum(mergeFields)).max(mergeFields.length).transform((f) => [...new Set(f)]).default([]).describe('fields whose value comes from the merged-away file; the others keep this file’s value'),
});

export const customerMergeEntry = z.object({
  id,
  survivorId: id,
  mergedId: id,
  mergedByName: z.string(),
  mergedAt: z.string(),
  fields: z.record(z.string(), z.enum(['survivor', 'merged'])).describe('for each differing field, the side its value came from'),
  relinked: z.array(z.string()),
});
export const customerMergeResult = z.object({ file: customerFile, merge: customerMergeEntry });

export type DuplicatePair = z.infer<typeof duplicatePair>;
export type MergePreview = z.infer<typeof mergePreview>;
export type CustomerMergeEntry = z.infer<typeof customerMergeEntry>;
