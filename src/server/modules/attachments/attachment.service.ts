import type { ReadStream } from 'node:fs';
import { MAX_ATTACHMENT_NAME_LENGTH, MAX_ATTACHMENTS_PER_TICKET, isInlineType, type Attachment } from '../../../contracts/attachments.ts';
import type { Lang } from '../../../contracts/errors.ts';
import { holdsIn, scopePaths } from '../../platform/actor.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError, forbidden, invalid, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { eventActor, loadForChange } from '../tickets/ticket.service.ts';
import { ticketRepository, type TicketView } from '../tickets/ticket.repository.ts';
import { attachmentRepository as repo, type AttachmentRow } from './attachment.repository.ts';
import { nameForType, sniff } from './attachment.sniff.ts';
import type { AttachmentStore } from './attachment.store.ts';

/** What the attachment use cases need besides the request's Ctx. */
export interface AttachmentDeps {
  store: AttachmentStore;
  maxBytes: number;
}

const toAttachment = (a: AttachmentRow): Attachment => ({
  id: a.id,
  ticketId: a.ticket_id,
  name: a.name,
  size: Number(a.size),
  sha256: a.sha256,
  contentType: a.content_type,
  uploadedById: a.uploaded_by,
  uploadedByName: a.uploaded_by_name,
  createdAt: a.created_at,
  image: isInlineType(a.content_type),
});

/** The file name is personal data as much as the file is: sealed in the audit trail with the customer's key. */
const personal = (t: TicketView) => ({ subjectType: t.customer_id ? 'customer' : 'ticket', subjectId: t.customer_id ?? t.id, fields: ['name'] as const });

const megabytes = (n: number) => `${Number((n / 1048576).toFixed(1))} MB`;

/** 413 naming the limit. */
export const tooLarge = (lang: Lang, maxBytes: number) =>
  new AppError('ATTACHMENT_TOO_LARGE', 413, { fields: [{ field: 'file', message: lang === 'zh' ? `附件不能超过 ${megabytes(maxBytes)}` : `at most ${megabytes(maxBytes)}` }] });

// Control and format characters (incl. the bidi overrides that make "gnp.exe" read as "exe.png").
const FORBIDDEN_IN_NAME = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}/\\]/u;

/** The name from the X-File-Name header: percent-encoded UTF-8, 1–200 characters, no path or control characters. */
export function parseFileName(raw: string | string[] | undefined, lang: Lang): string {
  const field = 'X-File-Name';
  const bad = (zh: string, en: string) => invalid(field, lang === 'zh' ? zh : en);
  if (typeof raw !== 'string' || raw.trim() === '') throw bad('缺少文件名', 'the file name is missing');
  if (raw.length > MAX_ATTACHMENT_NAME_LENGTH * 12) throw bad(`文件名不能超过 ${MAX_ATTACHMENT_NAME_LENGTH} 个字符`, `at most ${MAX_ATTACHMENT_NAME_LENGTH} characters`);
  let name: string;
  try {
    // Header values travel as bytes; anything but ASCII here was not percent-encoded.
    if (!/^[\x20-\x7e]+$/.test(raw)) throw new URIError('not ASCII');
    name = decodeURIComponent(raw).normalize('NFC').trim();
  } catch {
    throw bad('文件名须为 UTF-8 百分号编码', 'must be percent-encoded UTF-8');
  }
  if (name === '' || name === '.' || name === '..') throw bad('缺少文件名', 'the file name is missing');
  if ([...name].length > MAX_ATTACHMENT_NAME_LENGTH) throw bad(`文件名不能超过 ${MAX_ATTACHMENT_NAME_LENGTH} 个字符`, `at most ${MAX_ATTACHMENT_NAME_LENGTH} characters`);
  if (FORBIDDEN_IN_NAME.test(name)) throw bad('文件名不能包含路径分隔符或控制字符', 'must not contain path separators or control characters');
  return name;
}

/**
 * Attaches a file to a work order. The type comes from the bytes (415 when not allowed, nothing
 * stored). The bytes are stored first (outside the database, durable), then the row, the timeline
 * entry and the audit entry go in one transaction; if that fails the file is removed again.
 */
export async function uploadAttachment(ctx: Ctx, deps: AttachmentDeps, ticketId: string, rawName: string | string[] | undefined, bytes: Uint8Array): Promise<Attachment> {
  const given = parseFileName(rawName, ctx.lang);
  if (bytes.length > deps.maxBytes) throw tooLarge(ctx.lang, deps.maxBytes);
  if (bytes.length === 0) throw invalid('file', ctx.lang === 'zh' ? '文件是空的' : 'the file is empty');
  const type = sniff(bytes, given);
  if (!type) throw new AppError('ATTACHMENT_TYPE_NOT_ALLOWED', 415);
  const name = nameForType(given, type);
  // Checked again in the transaction; this read only spares the disk a write the caller could never keep.
  const seen = await loadForChange(ctx.db, ctx, ticketId, 'ticket:update');
  if ((await repo.count(ctx.db, seen.id)) >= MAX_ATTACHMENTS_PER_TICKET) throw new AppError('ATTACHMENT_LIMIT', 409);

  const stored = await deps.store.put(bytes);
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const t = await loadForChange(trx, ctx, ticketId, 'ticket:update');
      const now = ctx.clock.now();
      const at = iso(now);
      // The ticket row first: serialises appends to its timeline and the count below.
      await ticketRepository.touch(trx, t.id, at, false);
      if ((await repo.count(trx, t.id)) >= MAX_ATTACHMENTS_PER_TICKET) throw new AppError('ATTACHMENT_LIMIT', 409);
      const row: AttachmentRow = {
        id: newId(now.getTime()),
        ticket_id: t.id,
        name,
        size: bytes.length,
        sha256: stored.sha256,
        content_type: type.contentType,
        storage_key: stored.key,
        uploaded_by: ctx.actor.userId,
        uploaded_by_name: ctx.actor.displayName,
        created_at: at,
      };
      await repo.insert(trx, row);
      await ticketRepository.appendEvents(trx, t.id, at, eventActor(ctx), [
        { kind: 'attachment.added', data: { attachmentId: row.id, name, size: row.size, contentType: row.content_type } },
      ]);
      await recordAudit(trx, ctx, {
        action: 'attachment.add',
        entityType: 'attachment',
        entityId: row.id,
        orgUnitId: t.org_unit_id,
        after: { ticketId: t.id, name, size: row.size, sha256: row.sha256, contentType: row.content_type },
        personal: personal(t),
      });
      return toAttachment(row);
    });
  } catch (err) {
    await deps.store.remove(stored.key).catch((e: unknown) => ctx.log.error({ err: e, key: stored.key }, 'attachment file left without a row'));
    throw err;
  }
}

export async function listAttachments(ctx: Ctx, ticketId: string): Promise<Attachment[]> {
  const t = await ticketRepository.byIdInScope(ctx.db, ticketId, scopePaths(ctx.actor, 'ticket:read'));
  if (!t) throw notFound();
  return (await repo.ofTicket(ctx.db, t.id)).map(toAttachment);
}

/** An attachment of a work order the caller may read (else 404). */
async function loadReadable(ctx: Ctx, db: Ctx['db'], id: string): Promise<{ a: AttachmentRow; t: TicketView }> {
  const a = await repo.byId(db, id);
  const t = a && (await ticketRepository.byIdInScope(db, a.ticket_id, scopePaths(ctx.actor, 'ticket:read')));
  if (!a || !t) throw notFound();
  return { a, t };
}

/** The bytes to send; `inline` holds only for raster images (never for PDF, text or anything else). */
export async function openAttachment(ctx: Ctx, deps: AttachmentDeps, id: string, wantInline: boolean): Promise<{ attachment: Attachment; inline: boolean; stream: ReadStream }> {
  const { a } = await loadReadable(ctx, ctx.db, id);
  const attachment = toAttachment(a);
  return { attachment, inline: wantInline && attachment.image, stream: await deps.store.open(a.storage_key) };
}

/** By the uploader (who may still handle the order) or by whoever may assign it; the file goes after the commit. */
export async function deleteAttachment(ctx: Ctx, deps: AttachmentDeps, id: string): Promise<void> {
  const key = await ctx.db.transaction().execute(async (trx) => {
    const { a, t } = await loadReadable(ctx, trx, id);
    const own = a.uploaded_by !== null && a.uploaded_by === ctx.actor.userId && holdsIn(ctx.actor, 'ticket:update', t.unit_path);
    if (!own && !holdsIn(ctx.actor, 'ticket:assign', t.unit_path)) throw forbidden();
    const at = iso(ctx.clock.now());
    await ticketRepository.touch(trx, t.id, at, false);
    if (!(await repo.remove(trx, a.id))) throw notFound();
    await ticketRepository.appendEvents(trx, t.id, at, eventActor(ctx), [{ kind: 'attachment.removed', data: { attachmentId: a.id, name: a.name } }]);
    await recordAudit(trx, ctx, {
      action: 'attachment.remove',
      entityType: 'attachment',
      entityId: a.id,
      orgUnitId: t.org_unit_id,
      before: { ticketId: t.id, name: a.name, size: Number(a.size), sha256: a.sha256, contentType: a.content_type },
      personal: personal(t),
    });
    return a.storage_key;
  });
  await deps.store.remove(key).catch((err: unknown) => ctx.log.error({ err, key }, 'attachment file not removed (an orphan sweep will)'));
}
