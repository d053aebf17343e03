import { currentLanguage, i18n } from './i18n/index.ts';

/**
 * The console's only way to the server: same-origin cookies, the CSRF token on every write,
 * Accept-Language in the UI's language, and problem+json answers turned into ApiError.
 */
export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  /** The server's stable code (errors.ts), or NETWORK when the server could not be reached. */
  readonly code: string;
  /** Already in the request's language. */
  readonly title: string;
  readonly fieldErrors: FieldError[];
  readonly requestId: string | null;
  /** The whole problem document (extension members such as a bulk action's `refused`). */
  body: Record<string, unknown> = {};

  constructor(status: number, code: string, title: string, fieldErrors: FieldError[] = [], requestId: string | null = null) {
    super(title);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.title = title;
    this.fieldErrors = fieldErrors;
    this.requestId = requestId;
  }
}

let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Listener = (err: ApiError) => void;
let onAuthProblem: Listener | null = null;
/** Called when a request answers 401 (session gone) or 403 PASSWORD_CHANGE_REQUIRED. */
export function setAuthProblemListener(fn: Listener | null): void {
  onAuthProblem = fn;
}

interface ProblemBody {
  title?: string;
  code?: string;
  errors?: FieldError[];
  requestId?: string;
}

async function toApiError(res: Response): Promise<ApiError> {
  let body: ProblemBody = {};
  try {
    body = (await res.json()) as ProblemBody;
  } catch {
    /* not JSON: keep the generic message */
  }
  const title = body.title ?? i18n.t('common.httpError', { status: res.status });
  const err = new ApiError(res.status, body.code ?? `HTTP_${res.status}`, title, body.errors ?? [], body.requestId ?? null);
  err.body = body as Record<string, unknown>;
  return err;
}

export type Query = Record<string, string | number | undefined | null>;

/** `?a=1&b=x`, leaving out empty values. */
export function queryString(q: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

export interface RequestOptions {
  /** Do not report 401 to the session (the sign-in page and the first /me call expect it). */
  quiet?: boolean;
}

export async function request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': currentLanguage() };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', i18n.t('common.networkError'));
  }
  if (!res.ok) {
    const err = await toApiError(res);
    if (!opts.quiet && (err.status === 401 || err.code === 'PASSWORD_CHANGE_REQUIRED')) onAuthProblem?.(err);
    throw err;
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export const api = {
  get: <T>(path: string, query: Query = {}, opts?: RequestOptions) => request<T>('GET', path + queryString(query), undefined, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, body, opts),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  delete: (path: string) => request<void>('DELETE', path),
};

/**
 * Uploads a file as raw bytes (application/octet-stream, the only body besides JSON the server takes),
 * with the same CSRF header, language and problem+json handling as `request`.
 */
export async function sendBytes<T>(path: string, body: Blob, headers: Record<string, string> = {}): Promise<T> {
  const h: Record<string, string> = { accept: 'application/json', 'accept-language': currentLanguage(), 'content-type': 'application/octet-stream', ...headers };
  if (csrfToken) h['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, { method: 'POST', headers: h, credentials: 'same-origin', body });
  } catch {
    throw new ApiError(0, 'NETWORK', i18n.t('common.networkError'));
  }
  if (!res.ok) {
    const err = await toApiError(res);
    if (err.status === 401 || err.code === 'PASSWORD_CHANGE_REQUIRED') onAuthProblem?.(err);
    throw err;
  }
  return (await res.json()) as T;
}

/** The message to show for any failure. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.title;
  return i18n.t('common.unexpectedError');
}
