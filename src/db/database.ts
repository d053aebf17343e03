import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type KyselyConfig, type Transaction } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { Database } from './schema.ts';
import { migrations } from './migrations/index.ts';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;
/** What repositories take: the database or an open transaction. */
export type Tx = Kysely<Database> | Transaction<Database>;

export interface DatabaseHandle {
  db: Db;
  dialect: Dialect;
  /** The SQLite file, when the dialect is SQLite. */
  file?: string;
  /** The raw better-sqlite3 handle (backup), when the dialect is SQLite. */
  sqlite?: BetterSqlite3.Database;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  dataDir: string;
  /** SQLite file name inside dataDir. */
  fileName?: string;
  sqliteSynchronous?: 'NORMAL' | 'FULL';
  poolSize?: number;
  /** Kysely's query log hook (profiling: bench/profile-intake.ts counts statements with it). */
  log?: KyselyConfig['log'];
}

/**
 * SQLite transactions start with BEGIN IMMEDIATE: a plain (deferred) BEGIN that reads and then
 * writes fails at once with "database is locked" when another process (the `kefu` command beside
 * a running server) committed in between — the busy timeout cannot help a deferred upgrade.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}
class ImmediateSqliteDialect extends SqliteDialect {
  private readonly cfg: ConstructorParameters<typeof SqliteDialect>[0];
  constructor(cfg: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(cfg);
    this.cfg = cfg;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.cfg);
  }
}

/**
 * Kysely prepares every query anew; on SQLite that was a quarter of the server's CPU (bench/README.md).
 * Statements are cached by their SQL text — the texts are few, since values are bound parameters.
 */
function cachingStatements(sqlite: BetterSqlite3.Database, limit = 1000) {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    prepare(text: string) {
      let stmt = cache.get(text);
      if (!stmt) {
        if (cache.size >= limit) cache.clear();
        stmt = sqlite.prepare(text);
        cache.set(text, stmt);
      }
      return stmt;
    },
    close() {
      cache.clear();
      sqlite.close();
    },
  };
}

// PostgreSQL returns int8 (COUNT, bigint columns) as strings; every value we keep there fits a JS number.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export function openDatabase(opts: DatabaseOptions): DatabaseHandle {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 });
    // An idle connection dropped by the server (restart, failover, a DBA's terminate) must not crash the process;
    // the pool replaces it on the next checkout.
    pool.on('error', (err) => process.emitWarning(`PostgreSQL idle connection error: ${err.message}`));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: opts.log });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  mkdirSync(opts.dataDir, { recursive: true });
  const file = join(opts.dataDir, opts.fileName ?? 'kefu.sqlite');
  const sqlite = new BetterSqlite3(file);
  applySqlitePragmas(sqlite, opts.sqliteSynchronous ?? 'NORMAL');
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: cachingStatements(sqlite) }), log: opts.log });
  return { db, dialect: 'sqlite', file, sqlite, close: () => db.destroy() };
}

/**
 * WAL + synchronous=NORMAL: a crash of the application loses no committed transaction; a power
 * loss may lose the last few. FULL (KEFU_SQLITE_SYNCHRONOUS=FULL) makes every commit durable
 * at the cost of an fsync each. See docs/operations.md.
 */
export function applySqlitePragmas(sqlite: BetterSqlite3.Database, synchronous: 'NORMAL' | 'FULL'): void {
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${synchronous}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
}

export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'kefu_migrations',
    migrationLockTableName: 'kefu_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
