import { z } from 'zod';
import { id } from './api.ts';

/** Attachments of work orders (附件). Shared by the server and the console. */
export const MAX_ATTACHMENTS_PER_TICKET = 50;
export const MAX_ATTACHMENT_NAME_LENGTH = 200;
/** The header that carries the file name, percent-encoded UTF-8 (encodeURIComponent). */
export const FILE_NAME_HEADER = 'x-file-name';

/** Raster images: the only attachments ever shown inline (?inline=1); everything else is a download. */
export const INLINE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export const isInlineType = (contentType: string) => (INLINE_TYPES as readonly string[]).includes(contentType);

export const attachment = z.object({
  id,
  ticketId: id,
  name: z.string().describe('file name as uploaded (with the detected type’s extension added when it did not match) 文件名'),
  size: z.number().int().describe('bytes'),
  sha256: z.string().describe('hex'),
  contentType: z.string().describe('detected from the bytes, never the uploader’s claim'),
  uploadedById: id.nullable(),
  uploadedByName: z.string(),
  createdAt: z.string(),
  /** True for raster images, which may be shown inline. */
  image: z.boolean(),
});
export type Attachment = z.infer<typeof attachment>;

export const attachmentContentQuery = z.strictObject({
  inline: z.enum(['0', '1']).optional().describe('1: show a raster image in the page (ignored for every other type)'),
});
