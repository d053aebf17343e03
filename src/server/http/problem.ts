import type { FastifyError, FastifyReply, FastifyRequest, FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import type { ErrorCode, Lang } from '../../contracts/errors.ts';
import { AppError, type FieldError } from '../platform/errors.ts';
import { langOf, message, zodIssueMessage } from '../platform/i18n.ts';

/** RFC 9457 problem details with a stable code; the title is in the request's language. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail?: string;
  errors?: FieldError[];
  requestId: string;
}

export function problem(req: FastifyRequest, status: number, code: ErrorCode, errors?: FieldError[]): Problem {
  const lang = langOf(req.headers['accept-language']);
  return {
    type: `https://kefu.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: message(code, lang),
    status,
    code,
    ...(errors?.length ? { errors } : {}),
    requestId: req.id,
  };
}

export function sendProblem(req: FastifyRequest, reply: FastifyReply, p: Problem, headers: Record<string, string> = {}) {
  return reply.code(p.status).headers(headers).type('application/problem+json; charset=utf-8').send(p);
}

type ValidationItem = { instancePath?: string; message?: string; params?: { zh?: string; en?: string } };

/**
 * Validates with zod and keeps each issue's message in both languages (the input itself is
 * dropped here, so a rejected password never reaches a log).
 */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema }) =>
  (data) => {
    const r = schema.safeParse(data, { reportInput: true });
    if (r.success) return { value: r.data };
    const items: ValidationItem[] = r.error.issues.map((issue) => ({
      instancePath: `/${issue.path.map(String).join('/')}`,
      message: issue.message,
      params: { zh: zodIssueMessage(issue, 'zh'), en: zodIssueMessage(issue, 'en') },
    }));
    return { error: items as unknown as Error };
  };

function fieldErrors(err: FastifyError, lang: Lang): FieldError[] {
  const where = (err as { validationContext?: string }).validationContext;
  return ((err.validation ?? []) as ValidationItem[]).map((v) => {
    const path = (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
    return {
      field: [where === 'body' ? '' : where, path].filter(Boolean).join('.') || (where ?? 'body'),
      message: v.params?.[lang] ?? v.message ?? 'invalid',
    };
  });
}

/** Maps every failure to problem+json. Unknown errors are logged with their stack and answered without it. */
export function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  const lang = langOf(req.headers['accept-language']);
  if (err instanceof AppError) {
    return sendProblem(req, reply, { ...problem(req, err.status, err.code, err.fields), ...err.extensions }, err.headers);
  }
  if (err.validation) return sendProblem(req, reply, problem(req, 400, 'VALIDATION_FAILED', fieldErrors(err, lang)));
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendProblem(req, reply, problem(req, 413, 'BODY_TOO_LARGE'));
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return sendProblem(req, reply, problem(req, 415, 'UNSUPPORTED_MEDIA_TYPE'));
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return sendProblem(req, reply, problem(req, 400, 'INVALID_JSON'));
  }
  if (err instanceof SyntaxError || (err.statusCode === 400 && /JSON/i.test(err.message))) {
    return sendProblem(req, reply, problem(req, 400, 'INVALID_JSON'));
  }
  if (err.statusCode === 429) return sendProblem(req, reply, problem(req, 429, 'TOO_MANY_REQUESTS'));
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return sendProblem(req, reply, problem(req, err.statusCode, 'VALIDATION_FAILED', [{ field: 'request', message: err.message }]));
  }
  req.log.error({ err }, 'unhandled error');
  return sendProblem(req, reply, problem(req, 500, 'INTERNAL'));
}
