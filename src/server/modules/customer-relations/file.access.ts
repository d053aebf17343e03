import type { ProtectedSection } from '../../../contracts/customers.ts';
import type { Tx } from '../../../db/database.ts';
import type { Permission } from '../../../contracts/permissions.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import { accessOf } from '../customers/customer-file.service.ts';
import { customerRepository, type CustomerView } from '../customers/customer.repository.ts';
import { nearScope } from '../customers/customer.scope.ts';
import { contactRepository } from './contact.repository.ts';

/**
 * How long a reading record 借阅记录 reveals the protected parts around the file (contacts, notes,
 * timeline) to its reader: the console passes the id it got when opening the file, so a reader who
 * opened it keeps seeing them while working on it, and must open it again (a new record) later.
 */
export const READING_REVEALS_MS = 60 * 60 * 1000;

export interface FileStanding {
  file: CustomerView;
  /** Protected sections still masked or hidden in this answer. */
  restricted: ProtectedSection[];
  /** The sections the file's level protects now (before any reading). */
  protectedSections: ProtectedSection[];
  canOpen: boolean;
}

/**
 * The file through the caller's scope for `permission` (404 outside), with the sections a protected
 * file restricts, less those a fresh reading record of the caller (`readingId`) opened — while they still
 * hold the level's permission, or the access request the reading was made under is in force.
 */
export async function standing(trx: Tx, ctx: Ctx, customerId: string, permission: Permission, readingId?: string): Promise<FileStanding> {
  const file = await customerRepository.byIdInScope(trx, customerId, nearScope(ctx.actor, permission));
  if (!file) throw notFound();
  const now = ctx.clock.now();
  const a = accessOf(ctx.actor, file, now);
  let restricted = a.protectedSections;
  if (readingId && restricted.length > 0 && ctx.actor.userId) {
    const since = iso(new Date(now.getTime() - READING_REVEALS_MS));
    const reading = await contactRepository.readingOf(trx, readingId, customerId, ctx.actor.userId, since);
    // The reader holds the level now, or opened the file under an access request 申请查阅 still in force.
    const entitled = a.canOpen || (reading?.request_status === 'approved' && reading.request_expires_at !== null && reading.request_expires_at > iso(now));
    if (reading && entitled) {
      const opened = new Set(JSON.parse(reading.sections) as string[]);
      restricted = restricted.filter((s) => !opened.has(s));
    }
  }
  return { file, restricted, protectedSections: a.protectedSections, canOpen: a.canOpen };
}

/** Changes around a protected file (in force) need its level's permission too, as changes to the file do. */
export function mayChange(s: FileStanding): void {
  if (s.protectedSections.length > 0 && !s.canOpen) throw forbidden();
}
