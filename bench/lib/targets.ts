import { randomUUID } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import Fastify from 'fastify';
import pg from 'pg';
import { startServer } from '../../src/server/main.ts';
import { loadConfig } from '../../src/server/platform/config.ts';

/** A server the load generator aims at. Serialisable: it is handed to a child process as JSON. */
export type TargetSpec =
  | {
      kind: 'kefu';
      /** KEFU_DATA_DIR: the SQLite file lives here unless databaseUrl is set. */
      dataDir: string;
      databaseUrl?: string;
      adminPassword: string;
    }
  | {
      kind: 'bare';
      /** Enables POST /bare/sqlite, inserting into this file. */
      sqliteFile?: string;
      /** Enables POST /bare/pg, inserting into this database. */
      pgUrl?: string;
      /** pg pool size; Kefu's default pool is 10. */
      pgPoolSize?: number;
    };

export interface RunningTarget {
  url: string;
  stop(): Promise<void>;
}

/** The body both the bare insert routes and Kefu's org-unit create receive. */
export interface InsertBody {
  name: string;
  code: string;
}

/** The real server, as `kefu serve` starts it (migrations, first admin, sealer, housekeeping), on loopback. */
async function startKefu(spec: Extract<TargetSpec, { kind: 'kefu' }>): Promise<RunningTarget> {
  const config = loadConfig({
    KEFU_DATA_DIR: spec.dataDir,
    DATABASE_URL: spec.databaseUrl,
    KEFU_ADMIN_PASSWORD: spec.adminPassword,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
  });
  const server = await startServer(config, { print: () => {} });
  return { url: server.url, stop: () => server.stop() };
}

/** The bare baselines' table: the columns an org unit's insert writes most of, with a unique code like org_units.code. */
export const ROWS_DDL = 'create table if not exists bench_rows (id text primary key, name text not null, code text not null unique, created_at text not null)';

/**
 * The baseline: Fastify 5 with no plugins, no logger and no schemas, one GET returning a small
 * JSON, and one-statement inserts into a bare table (the same columns for both engines).
 */
async function startBare(spec: Extract<TargetSpec, { kind: 'bare' }>): Promise<RunningTarget> {
  const app = Fastify({ logger: false });
  const closers: Array<() => Promise<void> | void> = [];

  app.get('/bare', async () => ({ ok: true, time: new Date().toISOString() }));

  if (spec.sqliteFile) {
    const db = new BetterSqlite3(spec.sqliteFile);
    db.exec('pragma journal_mode = WAL; pragma synchronous = NORMAL');
    db.exec(ROWS_DDL);
    const insert = db.prepare('insert into bench_rows (id, name, code, created_at) values (?, ?, ?, ?)');
    closers.push(() => {
      db.close();
    });
    app.post<{ Body: InsertBody }>('/bare/sqlite', async (req, reply) => {
      const id = randomUUID();
      insert.run(id, req.body.name, req.body.code, new Date().toISOString());
      return reply.code(201).send({ id });
    });
  }

  if (spec.pgUrl) {
    const pool = new pg.Pool({ connectionString: spec.pgUrl, max: spec.pgPoolSize ?? 10 });
    await pool.query(ROWS_DDL);
    closers.push(() => pool.end());
    app.post<{ Body: InsertBody }>('/bare/pg', async (req, reply) => {
      const id = randomUUID();
      await pool.query('insert into bench_rows (id, name, code, created_at) values ($1, $2, $3, $4)', [id, req.body.name, req.body.code, new Date().toISOString()]);
      return reply.code(201).send({ id });
    });
  }

  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: address,
    async stop() {
      await app.close();
      for (const close of closers) await close();
    },
  };
}

export function startTarget(spec: TargetSpec): Promise<RunningTarget> {
  return spec.kind === 'kefu' ? startKefu(spec) : startBare(spec);
}
