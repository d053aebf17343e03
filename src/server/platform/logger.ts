import pino, { type Logger } from 'pino';

/** JSON logs. Credentials are redacted wherever they could appear. */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'password',
  'newPassword',
  'currentPassword',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  'token',
  '*.token',
  'smtpUrl',
  '*.smtpUrl',
  '*.*.smtpUrl',
  'dataKey',
  '*.dataKey',
];

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: redactPaths, censor: '[redacted]' } });
}
export type { Logger };
