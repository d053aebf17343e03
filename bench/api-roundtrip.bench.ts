// Authenticated API round-trips per second — a cheap read and an audited write — as ratios to a
// bare Fastify route and to a bare insert over HTTP, measured in the same run, per engine.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { measure, measureLoop, type HttpLoad, type Measurement } from './lib/load.ts';
import { describeMachine, machineInfo, postgresVersion } from './lib/machine.ts';
import { createScratchDatabase, type ScratchDatabase } from './lib/postgres.ts';
import { fmtMs, fmtRate, fmtRatio, markdownTable, median } from './lib/results.ts';
import { Target } from './lib/spawn.ts';
import { ROWS_DDL } from './lib/targets.ts';
import type { BenchContext, Section, Suite } from './lib/suite.ts';

const ADMIN_PASSWORD = 'Bench-admin-password-42';

type Engine = 'sqlite' | 'postgres';
type CaseKey = 'bareGet' | 'bareSqlite' | 'barePg' | 'kefuRead' | 'kefuWrite' | 'sqliteLoop';

interface Case {
  key: CaseKey;
  label: string;
  what: string;
  /** HTTP load, or a loop in this process without HTTP. */
  run: () => Promise<Measurement>;
}

interface KefuSession {
  cookie: string;
  csrf: string;
}

async function call(url: string, init: RequestInit & { session?: KefuSession } = {}): Promise<unknown> {
  const { session, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (rest.body !== undefined) headers.set('content-type', 'application/json');
  if (session) {
    headers.set('cookie', session.cookie);
    headers.set('x-csrf-token', session.csrf);
  }
  const res = await fetch(url, { ...rest, headers });
  const text = await res.text();
  if (!res.ok) throw new Error(`${rest.method ?? 'GET'} ${url}: ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

/** Signs in as the console does: the session cookie plus the CSRF token from the body. */
async function login(base: string): Promise<KefuSession> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  if (!res.ok) throw new Error(`login: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('kefu_session='));
  if (!cookie) throw new Error('login: no kefu_session cookie');
  const body = (await res.json()) as { csrfToken: string };
  return { cookie: cookie.split(';')[0], csrf: body.csrfToken };
}

/** The same JSON body for Kefu's POST /api/org-units and the bare insert routes; the code is unique per request. */
function unitBody(prefix: string, parentId: string): () => Record<string, string> {
  let n = 0;
  return () => {
    n += 1;
    return { parentId, kind: 'department', name: `部门${n}`, code: `${prefix}${n}`, timeZone: 'Asia/Shanghai' };
  };
}

/** One autocommitted insert per call into a bare better-sqlite3 table (WAL, synchronous=NORMAL), no HTTP. */
function sqliteLoop(file: string, seconds: number): Measurement {
  const db = new BetterSqlite3(file);
  try {
    db.exec('pragma journal_mode = WAL; pragma synchronous = NORMAL');
    db.exec(ROWS_DDL);
    const insert = db.prepare('insert into bench_rows (id, name, code, created_at) values (?, ?, ?, ?)');
    const prefix = randomUUID().slice(0, 8);
    let n = 0;
    return measureLoop(seconds, () => {
      n += 1;
      insert.run(randomUUID(), `部门${n}`, `${prefix}${n}`, new Date().toISOString());
    });
  } finally {
    db.close();
  }
}

async function runEngine(engine: Engine, ctx: BenchContext): Promise<Section> {
  const machine = machineInfo();
  const pgVersion = engine === 'postgres' ? await postgresVersion(ctx.pgAdminUrl) : null;
  const dir = mkdtempSync(join(tmpdir(), 'kefu-bench-'));
  const scratch: ScratchDatabase[] = [];
  const targets: Target[] = [];
  try {
    const kefuDb = engine === 'postgres' ? await createScratchDatabase(ctx.pgAdminUrl, 'kefu_bench') : null;
    if (kefuDb) scratch.push(kefuDb);
    const bareDb = engine === 'postgres' ? await createScratchDatabase(ctx.pgAdminUrl, 'kefu_bench_bare') : null;
    if (bareDb) scratch.push(bareDb);
    mkdirSync(join(dir, 'kefu'));

    ctx.log(`  starting servers (${ctx.inProcess ? 'in this process' : 'child processes'})`);
    const opts = { inProcess: ctx.inProcess };
    const bare = await Target.start({ kind: 'bare', sqliteFile: join(dir, 'bare.sqlite'), pgUrl: bareDb?.url, pgPoolSize: 10 }, 'bare', opts);
    targets.push(bare);
    const kefu = await Target.start({ kind: 'kefu', dataDir: join(dir, 'kefu'), databaseUrl: kefuDb?.url, adminPassword: ADMIN_PASSWORD }, 'Kefu', opts);
    targets.push(kefu);

    // The session lives in the database, so it outlives a restart of Kefu's process.
    const session = await kefu.run('sign-in', () => login(kefu.url));
    const units = await kefu.run('sign-in', () => call(`${kefu.url}/api/org-units`, { session }));
    const root = (units as Array<{ id: string; parentId: string | null }>).find((u) => u.parentId === null);
    if (!root) throw new Error('no root org unit');

    let writesOk = 0;
    /** An HTTP measurement; the URL is read when it runs, as a restarted server listens on a new port. */
    const http = (target: Target, label: string, load: (url: string) => HttpLoad, count?: (m: Measurement) => void) => () =>
      target.run(label, async () => {
        const m = await measure(label, load(target.url), ctx.load);
        count?.(m);
        return m;
      });
    // One counter per route for the whole run, so codes stay unique across rounds and restarts.
    const writeBody = unitBody('B', root.id);
    const bareSqliteBody = unitBody('S', root.id);
    const barePgBody = unitBody('P', root.id);
    const cases: Case[] = [
      ...(engine === 'sqlite'
        ? [
            {
              key: 'sqliteLoop' as const,
              label: 'bare better-sqlite3 insert loop (no HTTP)',
              what: 'prepared INSERT, one autocommit per row, in the harness process; inserts/s and time per insert',
              run: async () => sqliteLoop(join(dir, 'loop.sqlite'), ctx.load.seconds),
            },
          ]
        : []),
      {
        key: 'bareGet',
        label: 'bare Fastify GET',
        what: '`GET /bare` → small JSON; no plugins, logger or schemas',
        run: http(bare, 'bare Fastify GET', (url) => ({ url, method: 'GET', path: '/bare' })),
      },
      {
        key: 'kefuRead',
        label: 'Kefu cheap read',
        what: '`GET /api/auth/me` with the session cookie: session + user + grants lookups, Zod-serialised reply',
        run: http(kefu, 'Kefu cheap read', (url) => ({ url, method: 'GET', path: '/api/auth/me', headers: { cookie: session.cookie } })),
      },
      {
        key: 'bareSqlite',
        label: 'bare better-sqlite3 insert over HTTP',
        what: '`POST /bare/sqlite`, same JSON body, one prepared INSERT (WAL, synchronous=NORMAL)',
        run: http(bare, 'bare better-sqlite3 insert over HTTP', (url) => ({ url, method: 'POST', path: '/bare/sqlite', body: bareSqliteBody })),
      },
      ...(engine === 'postgres'
        ? [
            {
              key: 'barePg' as const,
              label: 'bare pg insert over HTTP',
              what: '`POST /bare/pg`, same JSON body, one autocommitted INSERT through a `pg.Pool` of 10',
              run: http(bare, 'bare pg insert over HTTP', (url) => ({ url, method: 'POST', path: '/bare/pg', body: barePgBody })),
            },
          ]
        : []),
      {
        key: 'kefuWrite',
        label: 'Kefu audited write',
        what: '`POST /api/org-units` with cookie + CSRF header: checks, unit row + audit entry in one transaction, sealed into the hash chain after commit',
        run: http(
          kefu,
          'Kefu audited write',
          (url) => ({ url, method: 'POST', path: '/api/org-units', headers: { cookie: session.cookie, 'x-csrf-token': session.csrf }, body: writeBody }),
          (m) => (writesOk += m.ok),
        ),
      },
    ];

    const rounds = new Map<CaseKey, Measurement[]>(cases.map((c) => [c.key, []]));
    for (let r = 1; r <= ctx.rounds; r++) {
      for (const c of cases) {
        const m = await c.run();
        rounds.get(c.key)!.push(m);
        ctx.log(`  round ${r}/${ctx.rounds}  ${c.label.padEnd(42)} ${fmtRate(m.reqPerSec).padStart(8)}/s  p50 ${fmtMs(m.p50Ms)} ms  p99 ${fmtMs(m.p99Ms)} ms`);
      }
    }

    // The writes really happened and were audited: count the units, verify the sealed chain.
    const { created, chain } = await kefu.run('final checks', async () => ({
      created: ((await call(`${kefu.url}/api/org-units`, { session })) as unknown[]).length - 1,
      chain: (await call(`${kefu.url}/api/audit/verify`, { method: 'POST', body: '{}', session })) as { ok: boolean; entries: number; unsealed?: number },
    }));
    if (!chain.ok) throw new Error(`audit chain does not verify: ${JSON.stringify(chain)}`);
    if (created < writesOk) throw new Error(`only ${created} org units exist after ${writesOk} successful creates`);
    if (chain.entries < created) throw new Error(`${created} units created but only ${chain.entries} audit entries sealed`);

    return {
      id: `api-roundtrip/${engine}`,
      markdown: report(engine, ctx, cases, rounds, {
        machine: describeMachine(machine, pgVersion ? [pgVersion.replace(/ on .*/, '')] : []),
        crashes: targets.filter((t) => t.crashes.length > 0).map((t) => ({ name: t.name, crashes: [...t.crashes] })),
        checks: `every response 2xx, warm-ups included; ${created.toLocaleString('en-US')} org units exist for ${writesOk.toLocaleString('en-US')} measured 2xx creates (plus warm-ups and requests in flight when a window closed); audit chain verified: ${chain.entries.toLocaleString('en-US')} entries, ${chain.unsealed ?? 0} unsealed`,
      }),
    };
  } finally {
    for (const t of targets.reverse()) await t.stop().catch((err: unknown) => ctx.log(`  stopping the ${t.name} server failed: ${String(err)}`));
    for (const db of scratch) await db.drop().catch((err: unknown) => ctx.log(`  dropping a scratch database failed: ${String(err)}`));
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(
  engine: Engine,
  ctx: BenchContext,
  cases: Case[],
  rounds: Map<CaseKey, Measurement[]>,
  info: { machine: string; checks: string; crashes: Array<{ name: string; crashes: string[] }> },
): string {
  const runs = (k: CaseKey) => rounds.get(k) ?? [];
  /** Median over rounds of the per-round ratio: each pair was measured minutes apart at most. */
  const ratio = (k: CaseKey, base: CaseKey) => {
    const a = runs(k);
    const b = runs(base);
    if (a.length === 0 || b.length === 0 || k === 'sqliteLoop' || base === 'sqliteLoop') return Number.NaN;
    return median(a.map((m, i) => m.reqPerSec / b[i].reqPerSec));
  };
  const bases: Array<{ key: CaseKey; head: string }> = [
    { key: 'bareGet', head: '÷ bare GET' },
    { key: 'bareSqlite', head: '÷ bare SQLite insert (HTTP)' },
    ...(engine === 'postgres' ? [{ key: 'barePg' as const, head: '÷ bare pg insert (HTTP)' }] : []),
  ];
  const rows = cases.map((c) => {
    const ms = runs(c.key);
    return [
      `**${c.label}**`,
      c.what,
      fmtRate(median(ms.map((m) => m.reqPerSec))),
      fmtMs(median(ms.map((m) => m.p50Ms))),
      fmtMs(median(ms.map((m) => m.p99Ms))),
      ...bases.map((b) => (b.key === c.key ? '1' : fmtRatio(ratio(c.key, b.key)))),
      ms.map((m) => fmtRate(m.reqPerSec)).join(' / '),
    ];
  });
  const table = markdownTable(
    ['Measurement', 'What', 'req/s', 'p50 ms', 'p99 ms', ...bases.map((b) => b.head), 'req/s per round'],
    rows,
    ['left', 'left', 'right', 'right', 'right', ...bases.map(() => 'right' as const), 'right'],
  );
  const read = ratio('kefuRead', 'bareGet');
  const write = ratio('kefuWrite', 'bareSqlite');
  const writePg = ratio('kefuWrite', 'barePg');
  const loop = median(runs('sqliteLoop').map((m) => m.reqPerSec));
  const writeRate = median(runs('kefuWrite').map((m) => m.reqPerSec));
  const per = (x: number) => (Number.isFinite(x) && x > 0 ? ` (each request costs ≈ ${(1 / x).toFixed(1)}× the baseline's)` : '');
  const headline = [
    `- Kefu cheap read ÷ bare Fastify GET: **${fmtRatio(read)}**${per(read)}`,
    `- Kefu audited write ÷ bare better-sqlite3 insert over HTTP: **${fmtRatio(write)}**${per(write)}`,
    ...(engine === 'postgres' ? [`- Kefu audited write ÷ bare pg insert over HTTP: **${fmtRatio(writePg)}**${per(writePg)}`] : []),
    ...(engine === 'sqlite' ? [`- For reference, the bare insert loop without HTTP does ${fmtRate(loop)} inserts/s, ${fmtRate(loop / writeRate)}× Kefu's audited writes/s.`] : []),
  ];
  const s = ctx.load;
  return [
    `## API round-trips — ${engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`,
    '',
    `Run ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} with \`${ctx.command}\`.`,
    '',
    `Machine: ${info.machine}.`,
    '',
    `Load: autocannon, ${s.connections} connections, ${s.seconds} s measured after ${s.warmupSeconds} s of warm-up, ` +
      `${ctx.rounds} interleaved round${ctx.rounds === 1 ? '' : 's'} (medians shown; ratios are the median of per-round ratios). ` +
      (ctx.inProcess
        ? 'Servers ran inside the harness process (`--in-process`).'
        : 'Load generator in the harness process; the bare server and Kefu each in their own Node process, all on 127.0.0.1.'),
    '',
    table,
    '',
    ...headline,
    '',
    `Checks: ${info.checks}.`,
    ...info.crashes.flatMap(({ name, crashes }) => [
      '',
      `**The ${name} server process died ${crashes.length} time${crashes.length === 1 ? '' : 's'} in this run** (${crashes.join('; ')}). ` +
        'Each time the harness started it again on the same data and repeated the step, so every figure above comes from a complete window ' +
        'of a server that stayed up; a server that dies at all is a bug to look into (see "When a server dies" in README.md).',
    ]),
  ].join('\n');
}

export const apiRoundtrip: Suite = {
  name: 'api-roundtrip',
  variants: ['sqlite', 'postgres'],
  needsPostgres: (variant) => variant === 'postgres',
  run: (variant, ctx) => runEngine(variant as Engine, ctx),
};
