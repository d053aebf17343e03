import { resolve } from 'node:path';
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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
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
  logLevel: string;
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
    logLevel: e.LOG_LEVEL,
  };
}
