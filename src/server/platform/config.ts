import { join, resolve } from 'node:path';
import { z } from 'zod';

/** Every setting comes from the environment and is validated once, at start. */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  KEFU_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// (leave it unset for the embedded SQLite database)')
    .optional(),
  KEFU_ADMIN_PASSWORD: z.string().min(1).optional(),
  KEFU_SQLITE_SYNCHRONOUS: z.enum(['NORMAL', 'FULL']).default('NORMAL'),
  KEFU_SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(7 * 24 * 60).default(8 * 60),
  KEFU_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(7 * 24),
  KEFU_SECURE_COOKIES: z.enum(['auto', 'true', 'false']).default('auto'),
  KEFU_TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  KEFU_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(1024 * 1024),
  KEFU_ATTACHMENTS_DIR: z.string().min(1).optional(),
  KEFU_ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1024).max(512 * 1024 * 1024).default(20 * 1024 * 1024),
  KEFU_IMPORT_MAX_BYTES: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(50 * 1024 * 1024),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KEFU_JOBS_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  KEFU_JOBS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  KEFU_JOBS_DIAGNOSTICS: z.enum(['true', 'false']).default('false'),
  KEFU_SLA_SWEEP_SECONDS: z.coerce.number().int().min(1).max(3600).default(15),
  KEFU_TEST_CLOCK: z.enum(['true', 'false']).default('false'),
  KEFU_TEST_CLOCK_OFFSET_MINUTES: z.coerce.number().int().min(0).max(5_256_000).default(0),
  KEFU_DATA_KEY: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes in base64 (openssl rand -base64 32)').optional(),
  KEFU_PUBLIC_URL: z.string().url().regex(/^https?:\/\//, 'must start with http:// or https://').default('http://localhost:3000'),
  KEFU_SMTP_URL: z.string().regex(/^smtps?:\/\/[^\s]+$/, 'must look like smtp://user:pass@host:port or smtps://…').optional(),
  KEFU_MAIL_FROM: z.string().max(254).regex(/^[^\r\n]+$/, 'one line').optional(),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  adminPassword?: string;
  sqliteSynchronous: 'NORMAL' | 'FULL';
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  secureCookies: 'auto' | 'true' | 'false';
  trustProxy: boolean;
  bodyLimit: number;
  /** Work-order attachments live here, outside the database (default: `attachments` next to the SQLite file). */
  attachmentsDir: string;
  attachmentMaxBytes: number;
  /** The largest customer-file import (CSV / XLSX) accepted, in bytes. */
  importMaxBytes: number;
  logLevel: string;
  /** Durable jobs: the lease of a claim (renewed while running), how long done jobs are kept, the diagnostic kind. */
  jobs: { leaseSeconds: number; retentionDays: number; diagnostics: boolean };
  /** How often the time-limit escalation sweep runs (it also runs at start). */
  slaSweepSeconds: number;
  /** Tests only: a clock that `POST /api/test/clock` can move forward. Never in production. */
  testClock: boolean;
  /** Tests only: how far ahead that clock starts (a restarted server keeps the time a test had moved it to). */
  testClockOffsetMinutes: number;
  /** Customer-file encryption key (ID numbers): KEFU_DATA_KEY, else a key file made on first start (data-key.ts). Never logged. */
  dataKey: { value?: string; file: string };
  /** Notification e-mail: links point at `publicUrl`; sent through `smtpUrl` (never logged) when set, else kept queued. */
  mail: { publicUrl: string; smtpUrl?: string; from: string };
};

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration 配置无效:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.KEFU_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    adminPassword: e.KEFU_ADMIN_PASSWORD,
    sqliteSynchronous: e.KEFU_SQLITE_SYNCHRONOUS,
    sessionIdleMinutes: e.KEFU_SESSION_IDLE_MINUTES,
    sessionMaxHours: e.KEFU_SESSION_MAX_HOURS,
    secureCookies: e.KEFU_SECURE_COOKIES,
    trustProxy: e.KEFU_TRUST_PROXY === 'true',
    bodyLimit: e.KEFU_BODY_LIMIT_BYTES,
    attachmentsDir: resolve(e.KEFU_ATTACHMENTS_DIR ?? join(e.KEFU_DATA_DIR, 'attachments')),
    attachmentMaxBytes: e.KEFU_ATTACHMENT_MAX_BYTES,
    importMaxBytes: e.KEFU_IMPORT_MAX_BYTES,
    logLevel: e.LOG_LEVEL,
    jobs: { leaseSeconds: e.KEFU_JOBS_LEASE_SECONDS, retentionDays: e.KEFU_JOBS_RETENTION_DAYS, diagnostics: e.KEFU_JOBS_DIAGNOSTICS === 'true' },
    slaSweepSeconds: e.KEFU_SLA_SWEEP_SECONDS,
    testClock: e.KEFU_TEST_CLOCK === 'true',
    testClockOffsetMinutes: e.KEFU_TEST_CLOCK_OFFSET_MINUTES,
    dataKey: { value: e.KEFU_DATA_KEY, file: resolve(join(e.KEFU_DATA_DIR, 'data.key')) },
    mail: {
      publicUrl: e.KEFU_PUBLIC_URL.replace(/\/+$/, ''),
      smtpUrl: e.KEFU_SMTP_URL,
      from: e.KEFU_MAIL_FROM ?? `客服 Kefu <kefu@${new URL(e.KEFU_PUBLIC_URL).hostname}>`,
    },
  };
}
