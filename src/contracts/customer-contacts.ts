import { z } from 'zod';
import { bilingual, id, version } from './api.ts';
import { protectedSection } from './customers.ts';
import { normalisePhone } from './tickets.ts';

/**
 * Around a customer file (customer-file issue §1): an organisation's contacts 联系人 and key people
 * 关键人, the customer notes 跟进记录, and the timeline 时间线 of everything that touched the customer.
 * Contacts' phones and e-mail are masked while the file's contact section is protected, their notes
 * and the customer notes hidden while its notes section is; a reading record of the caller
 * (`reading`, from `POST /api/customers/:id/open`) shows them.
 */

export const contactRoles = ['decision_maker', 'influencer', 'user', 'other'] as const;
export type ContactRole = (typeof contactRoles)[number];

const noHtml = (s: string) => !/[<>]/.test(s);
const plain = (max: number) => z.string().trim().max(max).refine(noHtml, { message: bilingual('不能包含 < 或 >', 'must not contain < or >') });
const phone = z
  .string()
  .trim()
  .max(32)
  .regex(/^\+?[0-9\- ()]*$/, bilingual('只能包含数字、空格、- ( ) 和开头的 +', 'digits, spaces, - ( ) and a leading + only'))
  .transform(normalisePhone)
  .refine((p) => p.replace('+', '').length >= 3, bilingual('至少 3 位数字', 'at least 3 digits'));

export const contactRole = z.enum(contactRoles).describe('决策者 / 影响者 / 使用者 / 其他');

const contactFields = {
  name: plain(64).pipe(z.string().min(1)).describe('姓名'),
  title: plain(64).nullable().optional().describe('职务'),
  phones: z.array(phone).max(5).transform((p) => [...new Set(p)]).optional(),
  email: z.string().trim().max(254).email().nullable().optional(),
  role: contactRole.optional(),
  keyPerson: z.boolean().optional().describe('关键人'),
  notes: plain(1000).nullable().optional(),
  personId: id.nullable().optional().describe('the contact\'s own person file 个人档案'),
};
export const contactCreate = z.strictObject({ ...contactFields, role: contactRole.default('other'), keyPerson: z.boolean().default(false) });
export const contactUpdate = z.strictObject({ version, ...contactFields, name: contactFields.name.optional() });
export const contactParams = z.strictObject({ id, contactId: id });
export const revealQuery = z.strictObject({ reading: id.optional().describe('a reading record 借阅记录 of yours for this file (the last hour)') });
export const contactDeleteQuery = z.strictObject({ version: z.coerce.number().pipe(version) });

export const customerContact = z.object({
  id,
  customerId: id,
  name: z.string(),
  title: z.string().nullable(),
  phones: z.array(z.string()),
  email: z.string().nullable(),
  role: contactRole,
  keyPerson: z.boolean(),
  notes: z.string().nullable(),
  personId: z.string().nullable(),
  personName: z.string().nullable(),
  /** Phones and e-mail masked (contact section), notes hidden (notes section). */
  masked: z.boolean(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const contactList = z.object({ items: z.array(customerContact), restrictedSections: z.array(protectedSection) });

export const noteCreate = z.strictObject({
  body: plain(2000).pipe(z.string().min(1)).describe('跟进内容'),
  at: z.string().datetime({ offset: true }).optional().describe('when it happened (default now; not in the future)'),
});
export const noteQuery = z.strictObject({
  reading: id.optional(),
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const customerNote = z.object({ id, customerId: id, at: z.string(), body: z.string(), authorName: z.string(), createdAt: z.string() });
export const noteList = z.object({
  items: z.array(customerNote),
  nextCursor: z.string().nullable(),
  /** True while the notes section is protected and not opened: nothing is listed. */
  hidden: z.boolean(),
});

export const timelineKinds = [
  'ticket.created',
  'ticket.status',
  'ticket.closed',
  'callback',
  'care.generated',
  'care.done',
  'note',
  'file',
  'reading',
] as const;
export type TimelineKind = (typeof timelineKinds)[number];

export const timelineItem = z.object({
  key: z.string().describe('unique within the timeline'),
  at: z.string(),
  kind: z.enum(timelineKinds),
  actorName: z.string().nullable(),
  ticket: z.object({ id, number: z.string(), subject: z.string() }).nullable(),
  /** Status change: from → to (ticket statuses); callback: done | unreachable; care: pending | sent | skipped. */
  from: z.string().nullable(),
  to: z.string().nullable(),
  /** Note body, care message, reading reason. */
  text: z.string().nullable(),
  /** Callback outcome. */
  satisfaction: z.number().nullable(),
  solved: z.boolean().nullable(),
  /** File change: the audit action (label: audit.actions), the fields changed, the classification values. */
  action: z.string().nullable(),
  fields: z.array(z.string()),
  changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
  sections: z.array(z.string()),
});
export const timelineQuery = z.strictObject({
  reading: id.optional(),
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});
export const timelinePage = z.object({ items: z.array(timelineItem), nextCursor: z.string().nullable() });

export type CustomerContact = z.infer<typeof customerContact>;
export type CustomerNote = z.infer<typeof customerNote>;
export type TimelineItem = z.infer<typeof timelineItem>;
