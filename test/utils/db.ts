import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type DatabaseHandle, type Dialect } from '../../src/db/database.ts';

export const dialect = (): Dialect => (process.env.DB === 'postgres' ? 'postgres' : 'sqlite');
export const pgAdminUrl = () => process.env.KEFU_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDb {
  handle: DatabaseHandle;
  /** What the server's config would hold: DATABASE_URL or KEFU_DATA_DIR. */
  databaseUrl?: string;
  dataDir: string;
  drop(): Promise<void>;
}

/** A fresh, empty database on the engine under test: a temporary SQLite file, or a new PostgreSQL database. */
export async function createTestDb(which: Dialect = dialect()): Promise<TestDb> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kefu-test-'));
  if (which === 'sqlite') {
    const handle = openDatabase({ dataDir });
    return { handle, dataDir, drop: async () => { await handle.close().catch(() => {}); rmSync(dataDir, { recursive: true, force: true }); } };
  }
  const name = `kefu_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: pgAdminUrl() });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(pgAdminUrl());
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const handle = openDatabase({ databaseUrl, dataDir, poolSize: 4 });
  return {
    handle,
    databaseUrl,
    dataDir,
    drop: async () => {
      await handle.close().catch(() => {});
      const c = new pg.Client({ connectionString: pgAdminUrl() });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
