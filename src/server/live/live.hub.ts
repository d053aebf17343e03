import type { ServerResponse } from 'node:http';
import { PostgresAdapter, sql } from 'kysely';
import pg from 'pg';
import type { LiveEvent } from '../../contracts/queues.ts';
import type { Db, Tx } from '../../db/database.ts';
import type { Logger } from '../platform/logger.ts';

/**
 * Live events (push, not polling): after a transaction that changed a work order commits, every
 * connected console whose actor may read the order hears `{type:'ticket', id, orgUnitPath,
 * departmentPath}`; a notification made for someone is heard by that person only.
 *
 * Writers mark what changed with `liveTicketChanged(trx, id)` / `liveNotified(trx, userIds)` (the
 * ticket and notification repositories do it, so no use case can forget). Delivery only after commit:
 * - PostgreSQL: the mark is `pg_notify` inside the writer's transaction, which PostgreSQL delivers on
 *   commit only (and drops on rollback) to every instance LISTENing on the channel, this one included.
 *   Each instance keeps one dedicated client for LISTEN, reconnecting after errors.
 * - SQLite (one process): the mark queues the id in this process's hub, whose next read waits for the
 *   single connection — held by the writer's transaction until it commits or rolls back. A rolled-back
 *   change at worst makes consoles refresh for nothing.
 * Either way the hub reads the order's paths after commit and sends each stream what its scope covers
 * (the read rule: owning unit in scope, or an open/answered transfer to a department in scope).
 */
export const LIVE_CHANNEL = 'kefu_live';
export const LIVE_HEARTBEAT_MS = 25_000;
/** A stream ends after this long; EventSource reconnects, so grants and sign-outs take effect. */
export const LIVE_MAX_AGE_MS = 15 * 60_000;
export const LIVE_PER_USER = 5;

type Mark = { k: 't'; id: string } | { k: 'n'; u: string };

const hubs = new WeakMap<object, LiveHub>();
const adapterOf = (db: Tx) => db.getExecutor().adapter;

/** Marks a work order changed in the writer's transaction (heard after commit). */
export async function liveTicketChanged(db: Tx, ticketId: string): Promise<void> {
  await mark(db, { k: 't', id: ticketId });
}

/** Marks notifications made for these people (each hears `{type:'notification'}` after commit). */
export async function liveNotified(db: Tx, userIds: string[]): Promise<void> {
  for (const u of new Set(userIds)) await mark(db, { k: 'n', u });
}

async function mark(db: Tx, m: Mark): Promise<void> {
  const adapter = adapterOf(db);
  if (adapter instanceof PostgresAdapter) {
    // Identical payloads within one transaction are delivered once.
    await sql`select pg_notify(${LIVE_CHANNEL}, ${JSON.stringify(m)})`.execute(db);
    return;
  }
  hubs.get(adapter)?.queue(m);
}

interface Stream {
  userId: string;
  /** The actor's ticket:read scope paths at connection. */
  paths: string[];
  res: ServerResponse;
  timers: NodeJS.Timeout[];
}

export class LiveHub {
  private readonly streams = new Set<Stream>();
  private readonly pendingTickets = new Set<string>();
  private readonly pendingUsers = new Set<string>();
  private scheduled = false;
  private listener: pg.Client | null = null;
  private listening: Promise<void> | null = null;
  private closed = false;
  private retryMs = 500;
  private everListened = false;
  /** Deliveries run one after another, so every stream hears events in commit order. */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly pgUrl: string | undefined,
  ) {
    hubs.set(adapterOf(db), this);
  }

  get size(): number {
    return this.streams.size;
  }

  countFor(userId: string): number {
    let n = 0;
    for (const s of this.streams) if (s.userId === userId) n++;
    return n;
  }

  /** Ready to deliver: on PostgreSQL, LISTEN is in place (started with the first stream). */
  async ready(): Promise<void> {
    if (!this.pgUrl || this.closed) return;
    this.listening ??= this.listen();
    try {
      await this.listening;
    } catch (err) {
      this.listening = null; // the next stream tries again
      throw err;
    }
  }

  /** Opens an event stream on a raw response (the route has checked who is calling). */
  open(res: ServerResponse, userId: string, paths: string[]): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    });
    const s: Stream = { userId, paths, res, timers: [] };
    this.streams.add(s);
    res.write(`retry: 3000\n\n`);
    this.send(s, { type: 'ready' });
    const beat = setInterval(() => res.write(`: heartbeat\n\n`), LIVE_HEARTBEAT_MS);
    const age = setTimeout(() => this.end(s), LIVE_MAX_AGE_MS);
    beat.unref();
    age.unref();
    s.timers.push(beat, age);
    res.on('close', () => this.drop(s));
  }

  /** Ends every stream (graceful shutdown) and stops listening. */
  async close(): Promise<void> {
    this.closed = true;
    for (const s of [...this.streams]) this.end(s);
    const l = this.listener;
    this.listener = null;
    if (l) await l.end().catch(() => {});
  }

  endAll(): void {
    for (const s of [...this.streams]) this.end(s);
  }

  /** SQLite: batch what committed (or is about to) and deliver after the writer releases the connection. */
  queue(m: Mark): void {
    if (this.streams.size === 0) return;
    if (m.k === 't') this.pendingTickets.add(m.id);
    else this.pendingUsers.add(m.u);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const tickets = [...this.pendingTickets];
      const users = [...this.pendingUsers];
      this.pendingTickets.clear();
      this.pendingUsers.clear();
      this.enqueue(tickets, users);
    });
  }

  private enqueue(ticketIds: string[], userIds: string[]): void {
    this.chain = this.chain.then(() => this.deliver(ticketIds, userIds)).catch((err) => this.log.error({ err }, 'live delivery failed'));
  }

  private async deliver(ticketIds: string[], userIds: string[]): Promise<void> {
    for (const u of userIds) for (const s of this.streams) if (s.userId === u) this.send(s, { type: 'notification' });
    if (ticketIds.length === 0 || this.streams.size === 0) return;
    const rows = await this.db
      .selectFrom('tickets as t')
      .innerJoin('org_units as u', 'u.id', 't.org_unit_id')
      .leftJoin('org_units as d', 'd.id', 't.department_id')
      .select(['t.id', 'u.path as unit_path', 'd.path as department_path'])
      .where('t.id', 'in', ticketIds)
      .execute();
    const asked = await this.db
      .selectFrom('ticket_transfers as tt')
      .innerJoin('org_units as td', 'td.id', 'tt.to_department_id')
      .select(['tt.ticket_id', 'td.path'])
      .where('tt.ticket_id', 'in', ticketIds)
      .where('tt.status', 'in', ['open', 'answered'])
      .execute();
    for (const r of rows) {
      const readable = [r.unit_path, ...asked.filter((a) => a.ticket_id === r.id).map((a) => a.path)];
      const event: LiveEvent = { type: 'ticket', id: r.id, orgUnitPath: r.unit_path, departmentPath: r.department_path };
      for (const s of this.streams) {
        if (s.paths.some((p) => p === '/' || readable.some((x) => x.startsWith(p)))) this.send(s, event);
      }
    }
  }

  private send(s: Stream, e: LiveEvent): void {
    if (!s.res.writableEnded) s.res.write(`data: ${JSON.stringify(e)}\n\n`);
  }

  private end(s: Stream): void {
    this.drop(s);
    if (!s.res.writableEnded) s.res.end();
  }

  private drop(s: Stream): void {
    for (const t of s.timers) clearTimeout(t);
    this.streams.delete(s);
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.pgUrl });
    client.on('notification', (n) => {
      if (n.channel !== LIVE_CHANNEL || !n.payload) return;
      try {
        const m = JSON.parse(n.payload) as Mark;
        if (m.k === 't' && typeof m.id === 'string') this.enqueue([m.id], []);
        else if (m.k === 'n' && typeof m.u === 'string') this.enqueue([], [m.u]);
      } catch {
        // not ours
      }
    });
    client.on('error', (err) => {
      this.log.warn({ err }, 'live listener lost; reconnecting');
      this.reconnect(client);
    });
    client.on('end', () => this.reconnect(client));
    await client.connect();
    await client.query(`listen ${LIVE_CHANNEL}`);
    const again = this.everListened;
    this.everListened = true;
    this.listener = client;
    this.retryMs = 500;
    // Events of the gap were lost: every console reloads what it shows.
    if (again) for (const s of this.streams) this.send(s, { type: 'ready' });
  }

  private reconnect(old: pg.Client): void {
    if (this.closed || this.listener !== old) return;
    this.listener = null;
    void old.end().catch(() => {});
    this.retry();
  }

  private retry(): void {
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, 30_000);
    const timer = setTimeout(() => {
      if (this.closed) return;
      this.listening = this.listen().catch((err) => {
        this.log.warn({ err }, 'live listener reconnect failed');
        this.retry();
      });
    }, wait);
    timer.unref();
  }
}
