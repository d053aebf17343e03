import { randomUUID } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import Fastify from 'fastify';
import pg from 'pg';
import { startServer } from '../../src/server/main.ts';
import { loadConfig } from '../../src/server/platform/config.ts';
import { newId } from '../../src/server/platform/ids.ts';

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
      /** Enables POST /bare/tickets: one INSERT of a work-order row into Kefu's own `tickets` table (this SQLite file or this database). */
      tickets?: { sqliteFile?: string; pgUrl?: string; orgUnitId: string; departmentId: string; createdBy: string };
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

/** The work-order body both POST /bare/tickets and Kefu's POST /api/tickets receive. */
export interface TicketBody {
  type: string;
  channel: string;
  subject: string;
  description: string;
  customerName?: string | null;
  customerPhone?: string | null;
  priority: string;
  severity?: number | null;
  tags?: string[];
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

  if (spec.tickets) {
    // The row Kefu's POST /api/tickets writes into `tickets` (ticketRepository.insert), built from the same body, and nothing else:
    // no session, validation, counter, timeline, routing, audit or response schema.
    const t = spec.tickets;
    const cols = ['id', 'number', 'type', 'channel', 'subject', 'description', 'customer_id', 'customer_name', 'customer_phone', 'category_id', 'priority', 'severity', 'tags',
      'org_unit_id', 'department_id', 'assignee_id', 'status', 'due_at', 'first_response_at', 'resolved_at', 'closed_at', 'close_reason', 'reopen_count', 'created_by',
      'created_at', 'updated_at', 'version', 'routing_rule_id', 'escalation_level'];
    const prefix = `BARE-${randomUUID().slice(0, 8)}-`;
    let n = 0;
    const row = (b: TicketBody) => {
      const now = new Date();
      const at = now.toISOString();
      return [newId(now.getTime()), `${prefix}${++n}`, b.type, b.channel, b.subject, b.description, null, b.customerName ?? null, b.customerPhone ?? null, null,
        ['low', 'normal', 'high', 'urgent'].indexOf(b.priority), b.severity ?? null, JSON.stringify(b.tags ?? []), t.orgUnitId, t.departmentId, null, 'new',
        null, null, null, null, null, 0, t.createdBy, at, at, 1, null, null];
    };
    if (t.sqliteFile) {
      const db = new BetterSqlite3(t.sqliteFile);
      db.exec('pragma journal_mode = WAL; pragma synchronous = NORMAL; pragma busy_timeout = 5000; pragma foreign_keys = ON');
      const insert = db.prepare(`insert into tickets (${cols.join(', ')}) values (${cols.map(() => '?').join(', ')})`);
      closers.push(() => {
        db.close();
      });
      app.post<{ Body: TicketBody }>('/bare/tickets', async (req, reply) => {
        const r = row(req.body);
        insert.run(r);
        return reply.code(201).send({ id: r[0] });
      });
    } else if (t.pgUrl) {
      const pool = new pg.Pool({ connectionString: t.pgUrl, max: spec.pgPoolSize ?? 10 });
      closers.push(() => pool.end());
      const text = `insert into tickets (${cols.join(', ')}) values (${cols.map((_, i) => `$${i + 1}`).join(', ')})`;
      app.post<{ Body: TicketBody }>('/bare/tickets', async (req, reply) => {
        const r = row(req.body);
        await pool.query(text, r);
        return reply.code(201).send({ id: r[0] });
      });
    }
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
