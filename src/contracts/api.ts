import { z } from 'zod';
import { allPermissions } from './permissions.ts';

/**
 * Request and response shapes of the HTTP API, shared by the server (validation, OpenAPI) and
 * the console (types). Every string has a length limit; objects reject unknown fields.
 */
/** A message in both languages; the server picks the request's (see platform/i18n.ts). */
export const bilingual = (zh: string, en: string) => `${zh}\u001f${en}`;

const name = (max: number) => z.string().trim().min(1).max(max);
export const id = z.string().uuid().describe('UUIDv7');
export const version = z.number().int().min(1).describe('optimistic concurrency: the version you read');
const noHtml = (s: string) => !/[<>]/.test(s);
const plainName = (max: number) => name(max).refine(noHtml, { message: bilingual('不能包含 < 或 >', 'must not contain < or >') });

const knownZones = new Set<string>();
/** Building an Intl formatter costs ~140 µs, so each zone is checked once. */
function isTimeZone(tz: string): boolean {
  if (knownZones.has(tz)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    return false;
  }
  if (knownZones.size < 1000) knownZones.add(tz);
  return true;
}
export const timeZone = z.string().max(64).refine(isTimeZone, bilingual('未知的时区', 'unknown IANA time zone'));

export const unitKind = z.enum(['group', 'company', 'department', 'team']).describe('集团 / 分公司·分店 / 部门 / 班组');

export const orgUnit = z.object({
  id,
  parentId: id.nullable(),
  path: z.string(),
  kind: unitKind,
  name: z.string(),
  code: z.string(),
  timeZone: z.string(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const orgUnitCreate = z.strictObject({
  parentId: id.nullable(),
  kind: unitKind,
  name: plainName(100).describe('名称'),
  code: z.string().trim().min(1).max(32).regex(/^[A-Za-z0-9_-]+$/, bilingual('只能包含字母、数字、- 和 _', 'letters, digits, - and _ only')).describe('编码, e.g. LY'),
  timeZone: timeZone.default('Asia/Shanghai'),
});
export const orgUnitUpdate = z.strictObject({
  version,
  name: plainName(100).optional(),
  code: orgUnitCreate.shape.code.optional(),
  timeZone: timeZone.optional(),
  parentId: id.optional().describe('move the unit under another one'),
});

const username = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[A-Za-z0-9._@-]+$/, bilingual('只能包含字母、数字和 . _ @ -', 'letters, digits and . _ @ - only'))
  .transform((s) => s.toLowerCase());
const phone = z.string().trim().max(32).regex(/^[0-9+\- ()]*$/, bilingual('只能包含数字、空格和 + - ( )', 'digits, spaces, + - ( ) only'));
const email = z.string().trim().max(254).email();

export const grant = z.object({ id, roleId: id, roleKey: z.string(), orgUnitId: id, orgUnitName: z.string() });
export const user = z.object({
  id,
  username: z.string(),
  displayName: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  employeeNo: z.string().nullable(),
  orgUnitId: id,
  orgUnitName: z.string(),
  status: z.enum(['active', 'disabled']),
  mustChangePassword: z.boolean(),
  lockedUntil: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  grants: z.array(grant),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const userCreate = z.strictObject({
  username,
  displayName: plainName(64).describe('姓名'),
  phone: phone.nullable().optional(),
  email: email.nullable().optional(),
  employeeNo: z.string().trim().max(32).regex(/^[A-Za-z0-9_-]*$/, bilingual('只能包含字母、数字、- 和 _', 'letters, digits, - and _ only')).nullable().optional().describe('工号'),
  orgUnitId: id,
  password: z.string().min(1).max(128).optional().describe('initial password; a random one is generated when absent'),
  grants: z.array(z.strictObject({ roleId: id, orgUnitId: id })).max(50).default([]),
});
export const userUpdate = z.strictObject({
  version,
  displayName: userCreate.shape.displayName.optional(),
  phone: phone.nullable().optional(),
  email: email.nullable().optional(),
  employeeNo: userCreate.shape.employeeNo,
  orgUnitId: id.optional(),
  status: z.enum(['active', 'disabled']).optional(),
});
export const grantsReplace = z.strictObject({
  version,
  grants: z.array(z.strictObject({ roleId: id, orgUnitId: id })).max(50),
});
export const passwordReset = z.strictObject({
  password: z.string().min(1).max(128).optional().describe('a random one is generated when absent'),
});

export const permission = z.enum(allPermissions as [string, ...string[]]);
export const role = z.object({
  id,
  key: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  description: z.string(),
  permissions: z.array(z.string()),
  builtIn: z.boolean(),
  version: z.number(),
});
export const roleCreate = z.strictObject({
  key: z.string().trim().min(2).max(40).regex(/^[a-z][a-z0-9_]*$/, bilingual('只能包含小写字母、数字和 _，且以字母开头', 'lower-case letters, digits and _, starting with a letter')),
  nameZh: plainName(40),
  nameEn: plainName(40),
  description: z.string().trim().max(500).default(''),
  permissions: z.array(permission).max(200),
});
export const roleUpdate = z.strictObject({
  version,
  nameZh: plainName(40).optional(),
  nameEn: plainName(40).optional(),
  description: z.string().trim().max(500).optional(),
  permissions: z.array(permission).max(200).optional(),
});

export const login = z.strictObject({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(128),
});
export const passwordChange = z.strictObject({
  currentPassword: z.string().min(1).max(128),
  newPassword: z.string().min(1).max(128),
});
export const me = z.object({
  user: user,
  permissions: z.array(z.string()).describe('held somewhere in the tree'),
  csrfToken: z.string().nullable(),
});

export const apiToken = z.object({
  id,
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export const apiTokenCreate = z.strictObject({
  name: plainName(64),
  expiresInDays: z.number().int().min(1).max(3650).nullable().default(365),
});
export const apiTokenCreated = apiToken.extend({ token: z.string().describe('shown once') });

export const auditEntry = z.object({
  id,
  seq: z.number().nullable(),
  at: z.string(),
  actorType: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  orgUnitId: z.string().nullable(),
  orgUnitName: z.string().nullable(),
  changes: z.record(z.string(), z.object({ from: z.unknown().optional(), to: z.unknown().optional() })),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
  sealed: z.boolean(),
});
const isoInstant = z.string().max(40).datetime({ offset: true });
export const auditQuery = z.strictObject({
  entityType: z.string().max(64).optional(),
  entityId: z.string().max(64).optional(),
  action: z.string().max(64).optional(),
  actorId: id.optional(),
  from: isoInstant.optional(),
  to: isoInstant.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const userQuery = z.strictObject({
  q: z.string().trim().max(64).optional().describe('username, name, phone or employee number'),
  orgUnitId: id.optional().describe('this unit and its subtree'),
  status: z.enum(['active', 'disabled']).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const idParam = z.strictObject({ id });

export type OrgUnit = z.infer<typeof orgUnit>;
export type User = z.infer<typeof user>;
export type Role = z.infer<typeof role>;
export type Me = z.infer<typeof me>;
export type ApiToken = z.infer<typeof apiToken>;
export type AuditEntry = z.infer<typeof auditEntry>;
