// The work-order benchmark: creation through the API as a ratio to a bare insert of the same row
// into the same `tickets` table, and queue/list/count latency through the API with 1,000,000 work
// orders in the database, for an agent and a branch manager, per engine. Query plans are printed.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery, sql } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../src/db/database.ts';
import { ticketRepository, type TicketFilter } from '../src/server/modules/tickets/ticket.repository.ts';
import { ticketQueues, type TicketQueue } from '../src/contracts/tickets.ts';
import { measure, type HttpLoad, type Measurement } from './lib/load.ts';
import { describeMachine, machineInfo, postgresVersion } from './lib/machine.ts';
import { fmtMs, fmtRate, fmtRatio, markdownTable, median } from './lib/results.ts';
import { Target } from './lib/spawn.ts';
import type { TicketBody } from './lib/targets.ts';
import type { BenchContext, Section, Suite } from './lib/suite.ts';
import {
  ADMIN_PASSWORD,
  STAFF_PASSWORD,
  expand,
  fakeValues,
  loadCorpus,
  preparePostgres,
  prepareSqlite,
  rng,
  type Prepared,
  type World,
} from './lib/workorders-data.ts';

type Engine = 'sqlite' | 'postgres';
const DAY = 86_400_000;

/** Work orders generated for the latency figures (BENCH_WO_ROWS, default 1,000,000). */
const ROWS = Number(process.env.BENCH_WO_ROWS ?? 1_000_000);
/** Measured seconds per latency case (BENCH_WO_LATENCY_SECONDS, default 3), after the usual warm-up, one connection. */
const LATENCY_SECONDS = Number(process.env.BENCH_WO_LATENCY_SECONDS ?? 3);
/** BENCH_WO_CREATION_ONLY=1: only the creation rounds (no latency cases or plans) — for iterating on intake; use with --no-write. */
const CREATION_ONLY = process.env.BENCH_WO_CREATION_ONLY === '1';
/** Targets from the work-orders issue. */
const TARGET_RATIO = 0.3;
const TARGET_P95_MS = 50;

interface Session {
  cookie: string;
  csrf: string;
}

async function login(base: string, username: string, password: string): Promise<Session> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('kefu_session='));
  if (!cookie) throw new Error('login: no kefu_session cookie');
  return { cookie: cookie.split(';')[0], csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

async function getJson(url: string, s: Session): Promise<unknown> {
  const res = await fetch(url, { headers: { cookie: s.cookie } });
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/**
 * Latency of one request at a time: GET over one keep-alive connection, back to back, for `seconds`
 * after `warmupSeconds` (and at least `min` requests each, so a slow endpoint still gets a sample).
 * Any non-2xx fails. Used instead of autocannon because a request may take longer than a window.
 */
async function sequential(url: string, cookie: string, seconds: number, warmupSeconds: number, min = 10): Promise<Measurement> {
  const once = async () => {
    const t0 = performance.now();
    const res = await fetch(url, { headers: { cookie } });
    const body = await res.text();
    if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${body.slice(0, 300)}`);
    return performance.now() - t0;
  };
  const run = async (s: number, n: number) => {
    const times: number[] = [];
    const start = performance.now();
    while (times.length < n || performance.now() - start < s * 1000) times.push(await once());
    return { times, elapsed: (performance.now() - start) / 1000 };
  };
  await run(warmupSeconds, 2);
  const { times, elapsed } = await run(seconds, min);
  const sorted = Float64Array.from(times).sort();
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  return { reqPerSec: times.length / elapsed, p50Ms: pct(50), p95Ms: pct(95), p99Ms: pct(99), ok: times.length, seconds: elapsed };
}

/** Realistic create bodies: a corpus template, placeholders expanded with fresh fake values; the same generator feeds Kefu and the bare route. */
function ticketBodies(seed: number): () => TicketBody {
  const corpus = loadCorpus();
  const r = rng(seed);
  return () => {
    const t = corpus[Math.floor(r() * corpus.length)];
    const v = fakeValues(r, Date.now());
    const x = r();
    return {
      type: t.type,
      channel: t.channel,
      subject: t.subject,
      description: expand(t.body, v),
      customerName: v.name,
      customerPhone: v.phone.replaceAll('*', '0'),
      priority: t.severity === 1 ? 'urgent' : x < 0.1 ? 'low' : x < 0.8 ? 'normal' : x < 0.95 ? 'high' : 'urgent',
      severity: t.severity,
      tags: t.vip_hint ? ['VIP'] : [],
    };
  };
}

interface Case {
  key: string;
  label: string;
  /** Query string of GET /api/tickets, or null for the counts endpoint. */
  query: Record<string, string> | null;
}

function cases(world: World): Case[] {
  const local = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
  const month = `${world.companyCode}-${local(Date.now()).slice(0, 6)}`;
  const dayLastYear = `${world.companyCode}-${local(Date.now() - 365 * DAY)}`;
  return [
    { key: 'all', label: 'all (no queue, default list)', query: {} },
    ...ticketQueues.map((q) => ({ key: q, label: `queue ${q}`, query: { queue: q } })),
    { key: 'status', label: 'status=in_progress', query: { status: 'in_progress' } },
    { key: 'type', label: 'type=complaint', query: { type: 'complaint' } },
    { key: 'qday', label: `q=${dayLastYear} (number prefix: a day a year ago)`, query: { q: dayLastYear } },
    { key: 'qmonth', label: `q=${month} (number prefix: this month)`, query: { q: month } },
    { key: 'counts', label: 'counts (per-queue counts)', query: null },
  ];
}

const pathOf = (c: Case) => (c.query === null ? '/api/tickets/counts' : `/api/tickets${Object.keys(c.query).length ? `?${new URLSearchParams(c.query)}` : ''}`);

/** The plans of the SQL Kefu runs for a case (the list query as ticketRepository.list builds it, or one COUNT per queue). */
async function plans(h: DatabaseHandle, engine: Engine, base: TicketFilter, c: Case): Promise<string> {
  const explain = async (q: { sql: string; parameters: readonly unknown[] }) => {
    const prefix = engine === 'sqlite' ? 'explain query plan ' : 'explain (analyze, costs off, timing off, summary on) ';
    const r = await h.db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(prefix + q.sql, [...q.parameters]));
    return engine === 'sqlite'
      ? (() => {
          const rows = r.rows as Array<{ id: number; parent: number; detail: string }>;
          const depth = new Map<number, number>();
          return rows
            .map((row) => {
              const d = (depth.get(row.parent) ?? -1) + 1;
              depth.set(row.id, d);
              return `${'  '.repeat(d)}${row.detail}`;
            })
            .join('\n');
        })()
      : r.rows.map((row) => String(row['QUERY PLAN'])).join('\n');
  };
  if (c.query === null) {
    const out: string[] = [];
    for (const queue of ticketQueues) {
      const q = ticketRepository
        .scoped(h.db, { ...base, queue })
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .compile();
      out.push(`-- count, queue ${queue}\n${await explain(q)}`);
    }
    return out.join('\n');
  }
  const f: TicketFilter = { ...base, ...(c.query as Partial<TicketFilter>) };
  const sort = c.query.queue === 'recent' ? 'updated_at' : 'created_at';
  const q = ticketRepository.view(h.db, f).orderBy(sql.ref(`t.${sort}`), 'desc').orderBy('t.id', 'desc').limit(51).compile();
  return explain(q);
}

interface RoleInfo {
  name: string;
  who: string;
  session: Session;
  filter: TicketFilter;
}

async function runEngine(engine: Engine, ctx: BenchContext): Promise<Section> {
  const machine = machineInfo();
  const pgVersion = engine === 'postgres' ? await postgresVersion(ctx.pgAdminUrl) : null;
  const dir = mkdtempSync(join(tmpdir(), 'kefu-bench-'));
  const targets: Target[] = [];
  let dropDb: (() => Promise<void>) | null = null;
  let handle: DatabaseHandle | null = null;
  try {
    const dataDir = join(dir, 'kefu');
    mkdirSync(dataDir);
    let prepared: Prepared;
    let databaseUrl: string | undefined;
    if (engine === 'sqlite') {
      prepared = await prepareSqlite(join(dataDir, 'kefu.sqlite'), ROWS, ctx.log);
    } else {
      const name = `kefu_bench_wo_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
      const p = await preparePostgres(ctx.pgAdminUrl, name, ROWS, ctx.log);
      prepared = p;
      databaseUrl = p.url;
      dropDb = async () => {
        const c = new (await import('pg')).default.Client({ connectionString: ctx.pgAdminUrl });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`).finally(() => c.end());
      };
    }
    const { world } = prepared;

    ctx.log(`  starting servers (${ctx.inProcess ? 'in this process' : 'child processes'})`);
    const opts = { inProcess: ctx.inProcess };
    const bare = await Target.start(
      {
        kind: 'bare',
        pgPoolSize: 10,
        tickets: { sqliteFile: engine === 'sqlite' ? join(dataDir, 'kefu.sqlite') : undefined, pgUrl: databaseUrl, orgUnitId: world.agent.unitId, departmentId: world.agent.departmentId, createdBy: world.agent.id },
      },
      'bare',
      opts,
    );
    targets.push(bare);
    const kefu = await Target.start({ kind: 'kefu', dataDir, databaseUrl, adminPassword: ADMIN_PASSWORD }, 'Kefu', opts);
    targets.push(kefu);

    handle = openDatabase({ dataDir, databaseUrl });
    const h = handle;
    const pathOfUnit = async (id: string) => (await h.db.selectFrom('org_units').select('path').where('id', '=', id).executeTakeFirstOrThrow()).path;
    const now = new Date();
    const common = { now: now.toISOString(), recentSince: new Date(now.getTime() - 7 * DAY).toISOString() };
    const roles: RoleInfo[] = [
      {
        name: 'agent',
        who: `agent \`${world.agent.username}\` (客服专员, role granted on one department of 24)`,
        session: await kefu.run('sign-in', () => login(kefu.url, world.agent.username, STAFF_PASSWORD)),
        filter: { paths: [await pathOfUnit(world.agent.departmentId)], me: world.agent.id, myDepartmentId: world.agent.departmentId, ...common },
      },
      {
        name: 'branch manager',
        who: `branch manager \`${world.manager.username}\` (客服部经理, role granted on one branch of 8)`,
        session: await kefu.run('sign-in', () => login(kefu.url, world.manager.username, STAFF_PASSWORD)),
        filter: { paths: [await pathOfUnit(world.manager.unitId)], me: world.manager.id, myDepartmentId: null, ...common },
      },
    ];
    const total = Number((await h.db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

    // ---- latency: one connection, one request in flight; reads first, before creation adds rows ----
    const latency: Array<{ role: RoleInfo; c: Case; m: Measurement; rows: string; plan: string }> = [];
    const latencyLoad = { seconds: LATENCY_SECONDS, warmupSeconds: ctx.load.warmupSeconds };
    for (const role of CREATION_ONLY ? [] : roles) {
      for (const c of cases(world)) {
        const path = pathOf(c);
        const first = await kefu.run(c.label, () => getJson(`${kefu.url}${path}`, role.session));
        const rows =
          c.query === null
            ? Object.entries(first as Record<string, number>)
                .map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`)
                .join(', ')
            : `${(first as { items: unknown[]; nextCursor: string | null }).items.length}${(first as { nextCursor: string | null }).nextCursor ? '+' : ''}`;
        const label = `${role.name}: ${c.label}`;
        const m = await kefu.run(label, () => sequential(`${kefu.url}${path}`, role.session.cookie, latencyLoad.seconds, latencyLoad.warmupSeconds));
        const plan = await plans(h, engine, role.filter, c);
        ctx.log(`  ${label.padEnd(58)} p50 ${fmtMs(m.p50Ms).padStart(6)} ms  p95 ${fmtMs(m.p95Ms).padStart(6)} ms  (${rows})`);
        latency.push({ role, c, m, rows, plan });
      }
    }

    // ---- creation: interleaved rounds, Kefu's POST /api/tickets as the agent vs the bare insert of the same row ----
    const agent = roles[0].session;
    const kefuBody = ticketBodies(1);
    const bareBody = ticketBodies(1);
    const created: Record<'bare' | 'kefu', Measurement[]> = { bare: [], kefu: [] };
    let createdOk = 0;
    const loads: Record<'bare' | 'kefu', { target: Target; label: string; load: (url: string) => HttpLoad }> = {
      bare: { target: bare, label: 'bare insert of the row over HTTP', load: (url) => ({ url, method: 'POST', path: '/bare/tickets', body: bareBody }) },
      kefu: {
        target: kefu,
        label: 'Kefu POST /api/tickets (agent)',
        load: (url) => ({ url, method: 'POST', path: '/api/tickets', headers: { cookie: agent.cookie, 'x-csrf-token': agent.csrf }, body: kefuBody }),
      },
    };
    for (let r = 1; r <= ctx.rounds; r++) {
      for (const k of ['bare', 'kefu'] as const) {
        const { target, label, load } = loads[k];
        const m = await target.run(label, () => measure(label, load(target.url), ctx.load));
        if (k === 'kefu') createdOk += m.ok;
        created[k].push(m);
        ctx.log(`  round ${r}/${ctx.rounds}  ${label.padEnd(36)} ${fmtRate(m.reqPerSec).padStart(8)}/s  p50 ${fmtMs(m.p50Ms)} ms  p99 ${fmtMs(m.p99Ms)} ms`);
      }
    }
    const after = Number((await h.db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const kefuMade = Number(
      (await h.db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).where('created_by', '=', world.agent.id).where('number', 'not like', 'BARE-%').where('created_at', '>=', common.now).executeTakeFirstOrThrow()).n,
    );
    if (kefuMade < createdOk) throw new Error(`only ${kefuMade} work orders were created by Kefu for ${createdOk} 2xx responses`);

    return {
      id: `workorders/${engine}`,
      markdown: report(engine, ctx, {
        machine: describeMachine(machine, pgVersion ? [pgVersion.replace(/ on .*/, '')] : []),
        prepared,
        total,
        after,
        created,
        createdOk,
        kefuMade,
        latency,
        roles,
        crashes: targets.filter((t) => t.crashes.length > 0).map((t) => ({ name: t.name, crashes: [...t.crashes] })),
      }),
    };
  } finally {
    await handle?.close().catch(() => {});
    for (const t of targets.reverse()) await t.stop().catch((err: unknown) => ctx.log(`  stopping the ${t.name} server failed: ${String(err)}`));
    await dropDb?.().catch((err: unknown) => ctx.log(`  dropping the scratch database failed: ${String(err)}`));
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(
  engine: Engine,
  ctx: BenchContext,
  x: {
    machine: string;
    prepared: Prepared;
    total: number;
    after: number;
    created: Record<'bare' | 'kefu', Measurement[]>;
    createdOk: number;
    kefuMade: number;
    latency: Array<{ role: RoleInfo; c: Case; m: Measurement; rows: string; plan: string }>;
    roles: RoleInfo[];
    crashes: Array<{ name: string; crashes: string[] }>;
  },
): string {
  const engineName = engine === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  const ratio = median(x.created.kefu.map((m, i) => m.reqPerSec / x.created.bare[i].reqPerSec));
  const createRows = (['bare', 'kefu'] as const).map((k) => {
    const ms = x.created[k];
    return [
      k === 'bare' ? '**bare insert of the row over HTTP**' : '**Kefu POST /api/tickets** (agent)',
      k === 'bare'
        ? 'bare Fastify `POST /bare/tickets`, the same JSON body → one INSERT of the same `tickets` row Kefu writes, into the same database (same table, indexes, 1M rows)'
        : 'session + CSRF, Zod validation, scope checks, daily number counter, routing, the row, its timeline event, the audit entry (sealed after commit), the reply',
      fmtRate(median(ms.map((m) => m.reqPerSec))),
      fmtMs(median(ms.map((m) => m.p50Ms))),
      fmtMs(median(ms.map((m) => m.p99Ms))),
      k === 'bare' ? '1' : fmtRatio(ratio),
      ms.map((m) => fmtRate(m.reqPerSec)).join(' / '),
    ];
  });
  const s = ctx.load;
  const lat = (role: RoleInfo) =>
    markdownTable(
      ['Case', 'Request', 'First page / counts', 'p50 ms', 'p95 ms', 'p99 ms', 'req/s', `p95 < ${TARGET_P95_MS} ms`],
      x.latency
        .filter((l) => l.role === role)
        .map((l) => [l.c.label, `\`GET ${pathOf(l.c)}\``, l.rows, fmtMs(l.m.p50Ms), fmtMs(l.m.p95Ms), fmtMs(l.m.p99Ms), fmtRate(l.m.reqPerSec), l.m.p95Ms < TARGET_P95_MS ? 'yes' : '**no**']),
      ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'left'],
    );
  if (x.latency.length === 0) {
    // BENCH_WO_CREATION_ONLY: the creation part only.
    return report(engine, ctx, { ...x, latency: [{ role: x.roles[0], c: cases({ companyCode: 'X' } as World)[0], m: { reqPerSec: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0, ok: 0, seconds: 0 }, rows: '', plan: '' }] })
      .split('\n### Queue and list latency')[0]
      .concat('\nLatency: not measured in this run (`BENCH_WO_CREATION_ONLY=1`).');
  }
  const worst = Math.max(...x.latency.map((l) => l.m.p95Ms));
  const counts = x.latency.filter((l) => l.c.query === null);
  const misses = x.latency.filter((l) => l.m.p95Ms >= TARGET_P95_MS).map((l) => `${l.role.name}: ${l.c.label}`);
  return [
    `## Work orders — ${engineName}`,
    '',
    `Run ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} with \`${ctx.command}\`.`,
    '',
    `Machine: ${x.machine}. **A shared, noisy machine**: other engineers' builds and tests ran at the same time, so absolute figures vary between runs; the ratio is measured in interleaved rounds to cancel slow drift.`,
    '',
    `Data: ${x.total.toLocaleString('en-US')} work orders (${x.prepared.source}; ${ROWS.toLocaleString('en-US')} generated directly in SQL from the Chinese corpus, over 2 years, 2 groups × 4 branches × 3 departments × 5 agents, with customers, transfers and callbacks; see README.md).`,
    '',
    '### Creation through the API',
    '',
    `Load: autocannon, ${s.connections} connections, ${s.seconds} s measured after ${s.warmupSeconds} s of warm-up, ${ctx.rounds} interleaved round${ctx.rounds === 1 ? '' : 's'} (medians shown; the ratio is the median of per-round ratios); realistic bodies from the corpus, the same sequence for both.`,
    '',
    markdownTable(['Measurement', 'What', 'req/s', 'p50 ms', 'p99 ms', '÷ bare insert', 'req/s per round'], createRows, ['left', 'left', 'right', 'right', 'right', 'right', 'right']),
    '',
    `- Kefu work-order creation ÷ bare insert of the same row: **${fmtRatio(ratio)}** (target ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'met' : '**missed**'}${Number.isFinite(ratio) && ratio > 0 ? `; each create costs ≈ ${(1 / ratio).toFixed(1)}× the bare insert` : ''}).`,
    `- Checks: every response 2xx; ${x.kefuMade.toLocaleString('en-US')} work orders created by Kefu for ${x.createdOk.toLocaleString('en-US')} measured 2xx creates (plus warm-ups); ${x.after.toLocaleString('en-US')} rows in \`tickets\` afterwards.`,
    '',
    `### Queue and list latency with ${x.total.toLocaleString('en-US')} work orders`,
    '',
    `Load: one keep-alive connection, one request at a time (the latency of a request on its own, not under queueing), ${LATENCY_SECONDS} s (at least 10 requests) measured after ${s.warmupSeconds} s of warm-up per case; default page (50, newest first; \`recent\` by last update). Reads ran before the creation rounds.`,
    '',
    ...x.roles.flatMap((role) => [`As the ${role.who}:`, '', lat(role), '']),
    `- Worst p95: **${fmtMs(worst)} ms** (target p95 < ${TARGET_P95_MS} ms${engine === 'sqlite' ? '' : ', set for SQLite'}: ${misses.length === 0 ? 'met everywhere' : `missed by ${misses.join('; ')}`}).`,
    `- Counts endpoint p95: ${counts.map((l) => `${l.role.name} **${fmtMs(l.m.p95Ms)} ms**`).join(', ')}.`,
    '',
    '<details><summary>Query plans (' + (engine === 'sqlite' ? 'EXPLAIN QUERY PLAN' : 'EXPLAIN ANALYZE, timing off') + ') of the SQL behind each case</summary>',
    '',
    ...x.latency.flatMap((l) => [`**${l.role.name}: ${l.c.label}**`, '', '```', l.plan, '```', '']),
    '</details>',
    ...x.crashes.flatMap(({ name, crashes }) => ['', `**The ${name} server process died ${crashes.length} time(s) in this run** (${crashes.join('; ')}); each step was repeated on a restarted server.`]),
  ].join('\n');
}

export const workorders: Suite = {
  name: 'workorders',
  variants: ['sqlite', 'postgres'],
  needsPostgres: (variant) => variant === 'postgres',
  run: (variant, ctx) => runEngine(variant as Engine, ctx),
};
