import type { Lang } from '../../../contracts/errors.ts';
import { invalid } from '../../platform/errors.ts';

/**
 * Keyset cursors: the sort value(s) and the id of the last row of a page, as base64url JSON.
 * Opaque to clients; a cursor that does not decode to the expected shape is a 400, never SQL.
 */
export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor<T extends readonly ('string' | 'number')[]>(
  raw: string,
  shape: T,
  lang: Lang,
): { -readonly [K in keyof T]: T[K] extends 'number' ? number : string } {
  const malformed = () => invalid('cursor', lang === 'zh' ? '分页游标无效' : 'malformed cursor');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw malformed();
  }
  if (!Array.isArray(parsed) || parsed.length !== shape.length || !shape.every((t, i) => typeof parsed[i] === t && String(parsed[i]).length <= 200)) {
    throw malformed();
  }
  return parsed as never;
}
