import type { ErrorCode } from '../../contracts/errors.ts';

export interface FieldError {
  field: string;
  message: string;
}

/** A failure a user can act on. `code` is stable; the message comes from the catalog in the request's language. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly fields?: FieldError[];
  readonly headers?: Record<string, string>;
  /** Extra members of the problem document (e.g. `refused` of a bulk action). */
  readonly extensions?: Record<string, unknown>;
  constructor(code: ErrorCode, status: number, opts: { fields?: FieldError[]; headers?: Record<string, string>; detail?: string; extensions?: Record<string, unknown> } = {}) {
    super(opts.detail ?? code);
    this.code = code;
    this.status = status;
    this.fields = opts.fields;
    this.headers = opts.headers;
    this.extensions = opts.extensions;
  }
}

export const notFound = () => new AppError('NOT_FOUND', 404);
export const forbidden = () => new AppError('FORBIDDEN', 403);
export const versionConflict = () => new AppError('VERSION_CONFLICT', 409);
export const invalid = (field: string, message: string) =>
  new AppError('VALIDATION_FAILED', 400, { fields: [{ field, message }] });

/** A write refused because other records still point at the row (SQLite and PostgreSQL codes). */
export function isForeignKeyViolation(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503';
}
