// Where a work-order create spends its time: N creates through the real app (app.inject, in this
// process) on a copy of the cached work-order data, one at a time (time per create, SQL statements
// and SQL time per create, the statements themselves) and then with C in flight (throughput).
//
//   node bin/run-ts.js bench/profile-intake.ts [sqlite|postgres]            PROFILE_N=300 PROFILE_CONCURRENCY=10
//   node --cpu-prof --cpu-prof-dir=/tmp/prof bin/run-ts.js bench/profile-intake.ts sqlite
//
// Uses the same cached data as the `workorders` suite (BENCH_WO_ROWS, default 1,000,000; a
// different row count makes a new cache — on PostgreSQL that replaces the suite's cache).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import pg from 'pg';
import { compiledShapes } from '../src/db/compiled.ts';
import { openDatabase } from '../src/db/database.ts';
import { buildApp } from '../src/server/http/app.ts';
import type { Kefu } from '../src/server/http/kefu.ts';
import { AuditSealer } from '../src/server/modules/audit/audit.sealer.ts';
import { systemClock } from '../src/server/platform/clock.ts';
import { loadConfig } from '../src/server/platform/config.ts';
import { prepareDatabase } from '../src/server/setup.ts';
import { ADMIN_PASSWORD, STAFF_PASSWORD, expand, fakeValues, loadCorpus, preparePostgres, prepareSqlite, rng } from './lib/workorders-data.ts';

const engine = (process.argv[2] ?? 'sqlite') as 'sqlite' | 'postgres';
const N = Number(process.env.PROFILE_N ?? 300);
const C = Number(process.env.PROFILE_CONCURRENCY ?? 10);
const ROWS = Number(process.env.BENCH_WO_ROWS ?? 1_000_000);
const pgAdmin = process.env.KEFU_BENCH_PG_URL ?? process.env.KEFU_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const log = (l: string) => console.log(l);

const dir = mkdtempSync(join(tmpdir(), 'kefu-profile-'));
const dataDir = join(dir, 'kefu');
mkdirSync(dataDir);
let dbName: string | undefined;
let databaseUrl: string | undefined;
const prepared =
  engine === 'sqlite'
    ? await prepareSqlite(join(dataDir, 'kefu.sqlite'), ROWS, log)
    : await (async () => {
        dbName = `kefu_bench_prof_${Date.now().toString(36)}`;
        const p = await preparePostgres(pgAdmin, dbName, ROWS, log);
        databaseUrl = p.url;
        return p;
      })();
const { world } = prepared;

let counting = false;
let statements = 0;
let sqlMs = 0;
const texts = new Map<string, [number, number]>();
const handle = openDatabase({
  dataDir,
  databaseUrl,
  log: (e) => {
    if (!counting) return;
    statements++;
    sqlMs += e.queryDurationMillis;
    const t = e.query.sql.slice(0, 110);
    const seen = texts.get(t) ?? [0, 0];
    texts.set(t, [seen[0] + 1, seen[1] + e.queryDurationMillis]);
  },
});
const silent = pino({ level: 'silent' });
await prepareDatabase(handle, systemClock, silent, ADMIN_PASSWORD);
const config = loadConfig({ KEFU_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, KEFU_ADMIN_PASSWORD: ADMIN_PASSWORD, LOG_LEVEL: 'silent' });
const sealer = new AuditSealer(handle.db, handle.dialect, silent);
const kefu: Kefu = { db: handle.db, dialect: handle.dialect, clock: systemClock, log: silent, config, sessionPolicy: { idleMinutes: config.sessionIdleMinutes, maxHours: config.sessionMaxHours }, sealer };
const { app } = await buildApp(kefu);
sealer.start();

const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: world.agent.username, password: STAFF_PASSWORD } });
if (login.statusCode !== 200) throw new Error(`login: ${login.statusCode} ${login.body}`);
const cookie = login.cookies.find((c) => c.name === 'kefu_session')!.value;
const csrf = (login.json() as { csrfToken: string }).csrfToken;

const corpus = loadCorpus();
const r = rng(1);
const body = () => {
  const t = corpus[Math.floor(r() * corpus.length)];
  const v = fakeValues(r, Date.now());
  return {
    type: t.type,
    channel: t.channel,
    subject: t.subject,
    description: expand(t.body, v),
    customerName: v.name,
    customerPhone: v.phone.replaceAll('*', '0'),
    priority: t.severity === 1 ? 'urgent' : 'normal',
    severity: t.severity,
    tags: t.vip_hint ? ['VIP'] : [],
  };
};
const create = async () => {
  const res = await app.inject({ method: 'POST', url: '/api/tickets', headers: { cookie: `kefu_session=${cookie}`, 'x-csrf-token': csrf, 'content-type': 'application/json' }, payload: JSON.stringify(body()) });
  if (res.statusCode !== 201 && res.statusCode !== 200) throw new Error(`create: ${res.statusCode} ${res.body.slice(0, 300)}`);
};

try {
  for (let i = 0; i < 30; i++) await create(); // warm-up
  await sealer.flush();
  counting = true;
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    await create();
    times.push(performance.now() - t0);
  }
  counting = false;
  const cpu = process.cpuUsage(cpu0);
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / N;
  log(`\n${engine}: ${N} creates one at a time: mean ${mean.toFixed(2)} ms, p50 ${times[Math.floor(N / 2)].toFixed(2)} ms, p95 ${times[Math.floor(N * 0.95)].toFixed(2)} ms`);
  log(`  CPU of this process (server, SQLite, the audit sealer) per create: ${((cpu.user + cpu.system) / 1000 / N).toFixed(2)} ms (user ${(cpu.user / 1000 / N).toFixed(2)})`);
  log(`  SQL (incl. the audit sealer's, which runs after commit): ${(statements / N).toFixed(1)} statements and ${(sqlMs / N).toFixed(2)} ms per create`);
  log('  per create: statements, ms, SQL');
  for (const [t, [n, ms]] of [...texts].sort((a, b) => b[1][1] - a[1][1])) log(`  ${(n / N).toFixed(2).padStart(6)} ${(ms / N).toFixed(3).padStart(7)}  ${t}`);
  const shapes = compiledShapes();
  log(`  compiled-query cache (src/db/compiled.ts): ${shapes.filter(([, ok]) => ok).length} shapes cached${shapes.some(([, ok]) => !ok) ? `; NOT cacheable (params differ): ${shapes.filter(([, ok]) => !ok).map(([k]) => k).join(', ')}` : ''}`);

  await sealer.flush();
  const t0 = performance.now();
  let left = N;
  await Promise.all(
    Array.from({ length: C }, async () => {
      while (left-- > 0) await create();
    }),
  );
  const s = (performance.now() - t0) / 1000;
  log(`  ${N} creates with ${C} in flight: ${(N / s).toFixed(1)} creates/s`);
} finally {
  await app.close();
  await sealer.stop();
  await handle.close();
  if (dbName) {
    const c = new pg.Client({ connectionString: pgAdmin });
    await c.connect();
    await c.query(`drop database if exists ${dbName} with (force)`).finally(() => c.end());
  }
  rmSync(dir, { recursive: true, force: true });
}
