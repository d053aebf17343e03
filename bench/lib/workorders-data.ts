// The work-order benchmark's data: an organisation (2 groups × 4 branches × 3 departments × 5
// agents, a manager per branch) and N work orders generated directly in SQL from the Chinese
// corpus /work/shared/data/workorders-zh.jsonl, with the customers, transfers and callbacks that
// the queues join or count. Generated once per (generator version, migration list, row count) and
// cached: SQLite as a file under bench/.cache, PostgreSQL as a template database that each run
// clones (CREATE DATABASE … TEMPLATE, a file copy).
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import pino from 'pino';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import { migrations } from '../../src/db/migrations/index.ts';
import { hashPassword } from '../../src/server/modules/auth/password.ts';
import { systemClock } from '../../src/server/platform/clock.ts';
import { newId } from '../../src/server/platform/ids.ts';
import { prepareDatabase } from '../../src/server/setup.ts';

/** Bump when what is generated changes; old caches are then ignored (and replaced). */
export const GENERATOR_VERSION = 3;
/** Dates are relative to the moment of generation; a cache older than this is regenerated so "recent" and "overdue" stay realistic. */
const MAX_CACHE_AGE_MS = 3 * 86_400_000;

export const STAFF_PASSWORD = 'Bench-staff-password-42';
export const ADMIN_PASSWORD = 'Bench-admin-password-42';
/** Who the benchmark signs in as. */
export const AGENT_USERNAME = 'agent.g1b1.1.1';
export const MANAGER_USERNAME = 'manager.g1b1';

const CORPUS = process.env.KEFU_BENCH_CORPUS ?? '/work/shared/data/workorders-zh.jsonl';
const cacheDir = fileURLToPath(new URL('../.cache/', import.meta.url));

interface Template {
  industry: string;
  type: string;
  channel: string;
  category: string;
  severity: number | null;
  subject: string;
  body: string;
  vip_hint: boolean;
}

export function loadCorpus(): Template[] {
  if (!existsSync(CORPUS)) throw new Error(`work-order corpus not found at ${CORPUS} (set KEFU_BENCH_CORPUS)`);
  return readFileSync(CORPUS, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Template);
}

// ---- fake values (seeded, so a generation is reproducible) ----------------------------------

/** mulberry32: small, fast, seeded. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split('');
const GIVEN = '秀兰 桂英 建华 志强 丽娟 海燕 国庆 晓明 文静 春梅 建国 玉兰 俊杰 婷婷 子涵 浩然 雨轩 欣怡 宇航 思远 淑珍 红梅 立新 卫东 美玲 家豪 凤英 振华 明辉 雪梅'.split(' ');
const STREETS = '幸福路 建设路 人民路 解放路 中州路 南昌路 文化路 花园路 黄河路 长江路 滨河路 开元大道'.split(' ');

export function fakeValues(r: () => number, createdMs: number): Record<string, string> {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');
  const d = new Date(createdMs - Math.floor(r() * 5) * 86_400_000 + 8 * 3_600_000);
  const ymd = d.toISOString().slice(0, 10);
  const phone = `1${pick(['38', '39', '58', '86', '35', '77', '50'])}${digits(8)}`;
  return {
    name: pick(SURNAMES) + pick(GIVEN),
    phone: r() < 0.3 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : phone,
    room: `${1 + Math.floor(r() * 20)}${String(1 + Math.floor(r() * 30)).padStart(2, '0')}`,
    amount: r() < 0.7 ? String(20 + Math.floor(r() * 3000)) : (20 + r() * 3000).toFixed(2),
    date: r() < 0.6 ? `${Number(ymd.slice(5, 7))}月${Number(ymd.slice(8, 10))}日` : ymd,
    time: `${String(7 + Math.floor(r() * 15)).padStart(2, '0')}:${pick(['00', '10', '15', '20', '30', '40', '45', '50'])}`,
    order_no: `DD${ymd.replaceAll('-', '')}${digits(4)}`,
    address: `${pick(STREETS)}${1 + Math.floor(r() * 200)}号院${1 + Math.floor(r() * 12)}号楼${1 + Math.floor(r() * 4)}单元${1 + Math.floor(r() * 20)}0${1 + Math.floor(r() * 4)}`,
    card_no: r() < 0.5 ? `6222${digits(15)}` : `6222****${digits(4)}`,
    staff: r() < 0.5 ? pick(SURNAMES) + pick(GIVEN).slice(0, 1) : String(1 + Math.floor(r() * 60)),
  };
}

/** A template's body with every placeholder replaced by one fake value per record. */
export function expand(body: string, values: Record<string, string>): string {
  return body.replace(/\{(\w+)\}/g, (m, k: string) => values[k] ?? m);
}

// ---- the organisation ---------------------------------------------------------------------------

export interface World {
  agent: { id: string; username: string; unitId: string; departmentId: string };
  manager: { id: string; username: string; unitId: string };
  /** The agent's company code, for number-prefix searches. */
  companyCode: string;
  generatedAt: string;
  rows: number;
}

interface Dept {
  id: string;
  companyId: string;
  agents: string[];
}
interface Company {
  id: string;
  code: string;
  depts: Dept[];
  customers: Array<{ id: string; name: string; phone: string }>;
}

const GROUPS = 2;
const BRANCHES_PER_GROUP = 4;
const DEPTS_PER_BRANCH = 3;
const AGENTS_PER_DEPT = 5;
const CUSTOMERS = 100_000;
const DAY = 86_400_000;
const SPAN_DAYS = 730;
const DEPT_NAMES = ['客服部', '前厅部', '工程部'];
const CITY = ['洛阳', '郑州', '开封', '新乡', '南阳', '安阳', '许昌', '信阳'];

export interface Sink {
  /** Rows of `table` with these columns, in batches. */
  insert(table: string, columns: string[], rows: unknown[][]): Promise<void>;
}

/** Bulk rows for one table: flushed to the sink every `size` rows. */
function batcher(sink: Sink, table: string, columns: string[], size: number) {
  let rows: unknown[][] = [];
  return {
    async add(row: unknown[]) {
      rows.push(row);
      if (rows.length >= size) {
        const r = rows;
        rows = [];
        await sink.insert(table, columns, r);
      }
    },
    async flush() {
      if (rows.length) await sink.insert(table, columns, rows);
      rows = [];
    },
  };
}

/** Org units, staff (one password hash for all), roles granted; through Kysely on a migrated database. */
async function buildOrganisation(h: DatabaseHandle, now: string): Promise<{ companies: Company[]; categories: Map<string, string> }> {
  const db = h.db;
  const root = await db.selectFrom('org_units').selectAll().where('code', '=', 'HQ').executeTakeFirstOrThrow();
  const roles = new Map((await db.selectFrom('roles').select(['id', 'key']).execute()).map((r) => [r.key, r.id]));
  const hash = await hashPassword(STAFF_PASSWORD);
  const companies: Company[] = [];
  const unit = async (parent: { id: string; path: string } | null, kind: 'group' | 'company' | 'department', name: string, code: string) => {
    const id = newId();
    const path = `${parent ? parent.path : '/'}${id}/`;
    await db.insertInto('org_units').values({ id, parent_id: parent?.id ?? null, path, kind, name, code, time_zone: 'Asia/Shanghai', created_at: now, updated_at: now, version: 1 }).execute();
    return { id, path };
  };
  const user = async (username: string, displayName: string, unitId: string, roleKey: string, grantUnit: string) => {
    const id = newId();
    await db
      .insertInto('users')
      .values({
        id, username, display_name: displayName, phone: null, email: null, employee_no: null, org_unit_id: unitId, status: 'active',
        password_hash: hash, must_change_password: 0, password_changed_at: now, failed_logins: 0, locked_until: null, last_login_at: null,
        created_at: now, updated_at: now, version: 1,
      })
      .execute();
    await db.insertInto('role_grants').values({ id: newId(), user_id: id, role_id: roles.get(roleKey)!, org_unit_id: grantUnit, created_at: now }).execute();
    return id;
  };
  let city = 0;
  for (let g = 1; g <= GROUPS; g++) {
    const group = g === 1 ? { id: root.id, path: root.path } : await unit(null, 'group', `第${g}集团`, `G${g}`);
    if (g > 1) await user(`director.g${g}`, `集团${g}总监`, group.id, 'director', group.id);
    for (let b = 1; b <= BRANCHES_PER_GROUP; b++) {
      const code = `G${g}B${b}`;
      const name = `${CITY[city++ % CITY.length]}分店`;
      const branch = await unit(group, 'company', name, code);
      const company: Company = { id: branch.id, code, depts: [], customers: [] };
      await user(`manager.${code.toLowerCase()}`, `${name}经理`, branch.id, 'manager', branch.id);
      for (let d = 1; d <= DEPTS_PER_BRANCH; d++) {
        const dept = await unit(branch, 'department', DEPT_NAMES[d - 1], `${code}-D${d}`);
        const agents: string[] = [];
        for (let a = 1; a <= AGENTS_PER_DEPT; a++) {
          agents.push(await user(`agent.${code.toLowerCase()}.${d}.${a}`, `${name}${DEPT_NAMES[d - 1]}客服${a}`, dept.id, 'agent', dept.id));
        }
        company.depts.push({ id: dept.id, companyId: branch.id, agents });
      }
      companies.push(company);
    }
  }
  const categories = new Map((await db.selectFrom('ticket_categories').select(['id', 'name']).execute()).map((c) => [c.name, c.id]));
  return { companies, categories };
}

type Status = 'new' | 'assigned' | 'in_progress' | 'waiting_customer' | 'waiting_department' | 'resolved' | 'awaiting_callback' | 'closed';
const working: Status[] = ['new', 'assigned', 'in_progress', 'waiting_customer', 'waiting_department'];

/** Status by age: the young are still being worked on, the old are closed, a few stragglers remain. */
function statusFor(r: () => number, ageDays: number): Status {
  const table: Array<[Status, number]> =
    ageDays < 2
      ? [['new', 25], ['assigned', 20], ['in_progress', 30], ['waiting_customer', 8], ['waiting_department', 7], ['resolved', 5], ['awaiting_callback', 5]]
      : ageDays < 14
        ? [['new', 3], ['assigned', 5], ['in_progress', 12], ['waiting_customer', 3], ['waiting_department', 2], ['resolved', 5], ['awaiting_callback', 15], ['closed', 55]]
        : ageDays < 60
          ? [['in_progress', 1.5], ['waiting_customer', 0.5], ['waiting_department', 0.5], ['awaiting_callback', 3], ['closed', 94.5]]
          : [['new', 0.02], ['in_progress', 0.1], ['awaiting_callback', 0.3], ['closed', 99.58]];
  let x = r() * table.reduce((s, [, w]) => s + w, 0);
  for (const [s, w] of table) {
    x -= w;
    if (x <= 0) return s;
  }
  return 'closed';
}

const TICKET_COLUMNS = [
  'id', 'number', 'type', 'channel', 'subject', 'description', 'customer_id', 'customer_name', 'customer_phone', 'category_id',
  'priority', 'severity', 'tags', 'org_unit_id', 'department_id', 'assignee_id', 'status', 'due_at', 'first_response_at',
  'resolved_at', 'closed_at', 'close_reason', 'reopen_count', 'created_by', 'created_at', 'updated_at', 'version',
] as const;
const SLA_HOURS = [120, 72, 24, 4];

/** Customers, work orders, transfers, callbacks and numbering counters, streamed to the sink in time order. */
async function generateRows(sink: Sink, org: { companies: Company[]; categories: Map<string, string> }, n: number, nowMs: number, log: (l: string) => void): Promise<void> {
  const corpus = loadCorpus();
  const r = rng(20261125);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const iso = (ms: number) => new Date(ms).toISOString();
  const genAt = iso(nowMs);

  const customers = batcher(sink, 'customers', ['id', 'org_unit_id', 'name', 'phone', 'email', 'vip', 'tier', 'created_at', 'updated_at', 'version'], 5000);
  for (let i = 0; i < CUSTOMERS; i++) {
    const c = org.companies[i % org.companies.length];
    const v = fakeValues(r, nowMs);
    const vip = r() < 0.07 ? 1 : 0;
    const cust = { id: newId(nowMs - SPAN_DAYS * DAY + Math.floor((i / CUSTOMERS) * SPAN_DAYS * DAY)), name: v.name, phone: `1${pick(['38', '39', '58', '86'])}${String(Math.floor(r() * 1e8)).padStart(8, '0')}` };
    c.customers.push(cust);
    await customers.add([cust.id, c.id, cust.name, cust.phone, null, vip, vip ? 'key' : 'ordinary', genAt, genAt, 1]);
  }
  await customers.flush();

  const tickets = batcher(sink, 'tickets', [...TICKET_COLUMNS], 2000);
  const transfers = batcher(
    sink,
    'ticket_transfers',
    ['id', 'ticket_id', 'from_unit_id', 'to_department_id', 'reason', 'time_limit_minutes', 'due_at', 'status', 'answer', 'answered_by', 'answered_at', 'created_by', 'created_at'],
    5000,
  );
  const callbacks = batcher(sink, 'callbacks', ['id', 'ticket_id', 'due_at', 'attempts', 'max_attempts', 'status', 'outcome', 'performed_by', 'performed_at', 'created_at', 'updated_at', 'version'], 5000);
  const counters = new Map<string, number>();
  const start = nowMs - SPAN_DAYS * DAY;
  const step = (SPAN_DAYS * DAY) / n;
  const companyWeights = org.companies.map((_, i) => 1 + (i % 3));
  const totalWeight = companyWeights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < n; i++) {
    const created = Math.floor(start + (i + r()) * step);
    const ageDays = (nowMs - created) / DAY;
    let w = r() * totalWeight;
    let ci = 0;
    while ((w -= companyWeights[ci]) > 0) ci++;
    const company = org.companies[ci];
    const dept = pick(company.depts);
    const t = pick(corpus);
    const v = fakeValues(r, created);
    const status = statusFor(r, ageDays);
    const day = new Date(created + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
    const key = `${company.id}|${day}`;
    const seq = (counters.get(key) ?? 0) + 1;
    counters.set(key, seq);
    const number = `${company.code}-${day}-${String(seq).padStart(4, '0')}`;
    const priority = t.severity === 1 ? 3 : ((x) => (x < 0.1 ? 0 : x < 0.8 ? 1 : x < 0.95 ? 2 : 3))(r());
    const linked = r() < 0.4 ? pick(company.customers) : null;
    const anonymous = !linked && r() < 0.15;
    const assignee = status === 'new' ? null : pick(dept.agents);
    const creator = pick(dept.agents);
    const firstResponse = status === 'new' ? null : Math.min(nowMs, created + Math.floor(r() * 4 * 3_600_000));
    const resolved = status === 'resolved' || status === 'awaiting_callback' || status === 'closed' ? Math.min(nowMs, created + Math.floor((0.1 + r() * 3) * DAY)) : null;
    const closed = status === 'closed' && resolved !== null ? Math.min(nowMs, resolved + Math.floor(r() * 2 * DAY)) : null;
    const due = working.includes(status)
      ? created + SLA_HOURS[priority] * 3_600_000
      : status === 'awaiting_callback' && resolved !== null
        ? resolved + 2 * DAY
        : null;
    const updated = closed ?? (status === 'new' ? created : Math.min(nowMs, Math.max(firstResponse ?? created, resolved ?? created) + Math.floor(r() * Math.max(0, nowMs - created) * 0.2)));
    const id = newId(created);
    const tags = t.vip_hint ? '["VIP"]' : r() < 0.05 ? '["重复来电"]' : '[]';
    await tickets.add([
      id, number, t.type, t.channel, t.subject, expand(t.body, v), linked?.id ?? null,
      linked ? linked.name : anonymous ? null : v.name, linked ? linked.phone : anonymous ? null : v.phone.replaceAll('*', '0'),
      org.categories.get(t.category) ?? null, priority, t.severity, tags,
      r() < 0.85 ? dept.id : company.id, dept.id, assignee, status, due === null ? null : iso(due), firstResponse === null ? null : iso(firstResponse),
      resolved === null ? null : iso(resolved), closed === null ? null : iso(closed), closed === null ? null : '已回访，客户满意',
      r() < 0.02 ? 1 : 0, creator, iso(created), iso(updated), 1 + (status === 'new' ? 0 : 2 + Math.floor(r() * 4)),
    ]);
    // Transfers (转派) to another department of the same company: every order waiting for a department has an open one; some others answered.
    if (status === 'waiting_department' || r() < 0.03) {
      const to = pick(company.depts.filter((d) => d.id !== dept.id));
      const at = created + Math.floor(r() * 3_600_000);
      const open = status === 'waiting_department';
      await transfers.add([
        newId(at), id, dept.id, to.id, '请协助核实处理', 240, iso(at + 4 * 3_600_000), open ? 'open' : 'answered',
        open ? null : '已核实，已处理完毕', open ? null : pick(to.agents), open ? null : iso(Math.min(nowMs, at + 3_600_000)), creator, iso(at),
      ]);
    }
    // Callbacks (回访): pending for those awaiting one; done for orders closed in the last 60 days.
    if ((status === 'awaiting_callback' || (status === 'closed' && ageDays < 60)) && resolved !== null) {
      const pending = status === 'awaiting_callback';
      await callbacks.add([
        newId(resolved), id, iso(resolved + 2 * DAY), pending ? 0 : 1, 3, pending ? 'pending' : 'done', pending ? '{}' : '{"satisfied":true}',
        pending ? null : assignee, pending || closed === null ? null : iso(closed), iso(resolved), iso(closed ?? resolved), 1,
      ]);
    }
    if ((i + 1) % 100_000 === 0) log(`    ${(i + 1).toLocaleString('en-US')} work orders`);
  }
  await tickets.flush();
  await transfers.flush();
  await callbacks.flush();
  const ctr = batcher(sink, 'ticket_counters', ['scope', 'day', 'last'], 5000);
  for (const [key, last] of counters) {
    const [scope, day] = key.split('|');
    await ctr.add([scope, day, last]);
  }
  await ctr.flush();
}

// ---- engines ---------------------------------------------------------------------------------

const silent = pino({ level: 'silent' });

/** Cache key: generator version and row count. Migrations added since are applied to each copy (migrateCopy). */
function cacheKey(rows: number): string {
  const h = createHash('sha256').update(JSON.stringify({ v: GENERATOR_VERSION, rows })).digest('hex').slice(0, 10);
  return `v${GENERATOR_VERSION}_${rows}_${h}`;
}

/**
 * Brings a copy of the cache to the current schema: migrations that landed after the cache was made
 * are applied, even when their numbers sort before ones already applied (several engineers add
 * migrations at once). The recorded times are then made equal, so that Kysely orders the applied
 * migrations by name and Kefu's own start-up (strict order) accepts the database. Returns what ran.
 */
async function migrateCopy(h: DatabaseHandle): Promise<string[]> {
  const migrator = new Migrator({
    db: h.db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'kefu_migrations',
    migrationLockTableName: 'kefu_migrations_lock',
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  await sql`update kefu_migrations set timestamp = ${'2000-01-01T00:00:00.000Z'}`.execute(h.db);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

async function worldOf(h: DatabaseHandle, meta: { generatedAt: string; rows: number }): Promise<World> {
  const u = async (username: string) => h.db.selectFrom('users').select(['id', 'org_unit_id']).where('username', '=', username).executeTakeFirstOrThrow();
  const agent = await u(AGENT_USERNAME);
  const manager = await u(MANAGER_USERNAME);
  return {
    agent: { id: agent.id, username: AGENT_USERNAME, unitId: agent.org_unit_id, departmentId: agent.org_unit_id },
    manager: { id: manager.id, username: MANAGER_USERNAME, unitId: manager.org_unit_id },
    companyCode: 'G1B1',
    ...meta,
  };
}

/** Tables whose secondary indexes (not primary keys or unique constraints) are dropped for the bulk load and built again after. */
const TABLES_WITH_DROPPED_INDEXES = ['tickets', 'customers', 'callbacks', 'ticket_transfers'];

export interface Prepared {
  world: World;
  /** Where the generated data came from, for the report. */
  source: string;
  /** Seconds the generation took (0 when the cache was used). */
  generationSeconds: number;
}

/** SQLite: a copy of the cached, generated file at `target` (kefu.sqlite in Kefu's data dir). */
export async function prepareSqlite(target: string, rows: number, log: (l: string) => void, retry = true): Promise<Prepared> {
  mkdirSync(cacheDir, { recursive: true });
  const key = cacheKey(rows);
  const file = join(cacheDir, `workorders_${key}.sqlite`);
  const metaFile = `${file}.json`;
  let generationSeconds = 0;
  let meta = existsSync(file) && existsSync(metaFile) ? (JSON.parse(readFileSync(metaFile, 'utf8')) as { generatedAt: string; rows: number }) : null;
  if (meta && Date.now() - Date.parse(meta.generatedAt) > MAX_CACHE_AGE_MS) {
    log(`  cached SQLite data is from ${meta.generatedAt}, older than ${MAX_CACHE_AGE_MS / DAY} days: generating again`);
    meta = null;
  }
  if (!meta) {
    const t0 = performance.now();
    for (const f of [file, metaFile, `${file}.tmp`, `${file}.tmp-wal`, `${file}.tmp-shm`]) rmSync(f, { force: true });
    const tmpDir = dirname(file);
    const tmpName = `workorders_${key}.sqlite.tmp`;
    const nowMs = Date.now();
    const h = openDatabase({ dataDir: tmpDir, fileName: tmpName });
    await prepareDatabase(h, systemClock, silent, ADMIN_PASSWORD);
    const org = await buildOrganisation(h, new Date(nowMs).toISOString());
    await h.close();
    const raw = new BetterSqlite3(join(tmpDir, tmpName));
    raw.pragma('journal_mode = OFF');
    raw.pragma('synchronous = OFF');
    raw.pragma('foreign_keys = OFF');
    raw.pragma('cache_size = -262144');
    const indexes = raw
      .prepare(`select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${TABLES_WITH_DROPPED_INDEXES.map(() => '?').join(',')})`)
      .all(...TABLES_WITH_DROPPED_INDEXES) as Array<{ name: string; sql: string }>;
    for (const i of indexes) raw.exec(`drop index ${i.name}`);
    const stmts = new Map<string, BetterSqlite3.Statement>();
    raw.exec('begin');
    let pending = 0;
    const sink: Sink = {
      async insert(table, columns, batch) {
        // SQLite binds at most 32766 values per statement: big batches are split.
        if (batch.length * columns.length > 30_000) {
          const half = Math.ceil(batch.length / 2);
          await this.insert(table, columns, batch.slice(0, half));
          await this.insert(table, columns, batch.slice(half));
          return;
        }
        const k = `${table}:${batch.length}`;
        let s = stmts.get(k);
        if (!s) {
          const one = `(${columns.map(() => '?').join(',')})`;
          s = raw.prepare(`insert into ${table} (${columns.join(',')}) values ${Array.from({ length: batch.length }, () => one).join(',')}`);
          stmts.set(k, s);
        }
        s.run(batch.flat());
        pending += batch.length;
        if (pending >= 100_000) {
          raw.exec('commit; begin');
          pending = 0;
        }
      },
    };
    log(`  generating ${rows.toLocaleString('en-US')} work orders into SQLite (cache ${key})`);
    await generateRows(sink, org, rows, nowMs, log);
    raw.exec('commit');
    log(`  building ${indexes.length} indexes`);
    for (const i of indexes) raw.exec(i.sql);
    raw.pragma('journal_mode = DELETE');
    raw.close();
    renameSync(join(tmpDir, tmpName), file);
    meta = { generatedAt: new Date(nowMs).toISOString(), rows };
    writeFileSync(metaFile, JSON.stringify(meta));
    generationSeconds = (performance.now() - t0) / 1000;
    log(`  generated in ${generationSeconds.toFixed(0)} s (${(statSync(file).size / 2 ** 20).toFixed(0)} MiB)`);
  }
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(file, target);
  const h = openDatabase({ dataDir: dirname(target), fileName: target.slice(dirname(target).length + 1) });
  try {
    let applied: string[];
    try {
      applied = await migrateCopy(h);
    } catch (err) {
      // The cache no longer fits the migrations (one was edited after it was made): make it again, once.
      if (!retry || generationSeconds) throw err;
      log(`  the cached data does not take today's migrations (${(err as Error).message}): generating again`);
      await h.close();
      rmSync(file, { force: true });
      rmSync(metaFile, { force: true });
      for (const f of [target, `${target}-wal`, `${target}-shm`]) rmSync(f, { force: true });
      return prepareSqlite(target, rows, log, false);
    }
    if (applied.length) log(`  applied to the copy: ${applied.join(', ')}`);
    const source = (generationSeconds ? `generated in this run in ${generationSeconds.toFixed(0)} s` : `cached file generated ${meta.generatedAt}`) + (applied.length ? `; migrations applied to the copy: ${applied.join(', ')}` : '');
    return { world: await worldOf(h, meta), source, generationSeconds };
  } finally {
    await h.close().catch(() => {});
  }
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const PG_CACHE_PREFIX = 'kefu_benchcache_wo_';

/**
 * PostgreSQL: the data is generated once into a cache database `kefu_benchcache_wo_<key>`, which
 * each run clones as a fresh scratch database (`create database … template …`).
 */
export async function preparePostgres(adminUrl: string, targetName: string, rows: number, log: (l: string) => void, retry = true): Promise<Prepared & { url: string }> {
  const key = cacheKey(rows);
  const cacheName = `${PG_CACHE_PREFIX}${key}`.toLowerCase();
  if (!/^[a-z0-9_]+$/.test(cacheName) || !/^[a-z0-9_]+$/.test(targetName)) throw new Error('bad database name');
  const urlOf = (name: string) => {
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    return u.toString();
  };
  let generationSeconds = 0;
  let meta = await withClient(adminUrl, async (c) => {
    const r = await c.query<{ comment: string | null }>(`select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1`, [cacheName]);
    const comment = r.rows[0]?.comment;
    return comment?.startsWith('{') ? (JSON.parse(comment) as { generatedAt: string; rows: number }) : null;
  });
  if (meta && Date.now() - Date.parse(meta.generatedAt) > MAX_CACHE_AGE_MS) {
    log(`  cached PostgreSQL data is from ${meta.generatedAt}, older than ${MAX_CACHE_AGE_MS / DAY} days: generating again`);
    meta = null;
  }
  if (!meta) {
    const t0 = performance.now();
    // Old caches (other versions, or an unfinished generation) are dropped: one cache at a time.
    await withClient(adminUrl, async (c) => {
      const old = await c.query<{ datname: string }>(`select datname from pg_database where datname like '${PG_CACHE_PREFIX}%'`);
      for (const { datname } of old.rows) if (/^[a-z0-9_]+$/.test(datname)) await c.query(`drop database if exists ${datname} with (force)`);
      await c.query(`create database ${cacheName}`);
    });
    const nowMs = Date.now();
    const h = openDatabase({ databaseUrl: urlOf(cacheName), dataDir: '/nonexistent' });
    await prepareDatabase(h, systemClock, silent, ADMIN_PASSWORD);
    const org = await buildOrganisation(h, new Date(nowMs).toISOString());
    await h.close();
    await withClient(urlOf(cacheName), async (c) => {
      await c.query('set session_replication_role = replica'); // no FK triggers during the bulk load (superuser)
      await c.query('set synchronous_commit = off');
      const idx = await c.query<{ indexname: string; indexdef: string }>(
        `select i.indexname, i.indexdef from pg_indexes i where i.schemaname = 'public' and i.tablename = any($1)
           and not exists (select 1 from pg_constraint k where k.conname = i.indexname)`,
        [TABLES_WITH_DROPPED_INDEXES],
      );
      for (const i of idx.rows) await c.query(`drop index ${i.indexname}`);
      const types = new Map<string, string>();
      for (const t of [...TABLES_WITH_DROPPED_INDEXES, 'ticket_counters']) {
        const cols = await c.query<{ column_name: string; data_type: string }>(`select column_name, data_type from information_schema.columns where table_schema = 'public' and table_name = $1`, [t]);
        for (const col of cols.rows) types.set(`${t}.${col.column_name}`, col.data_type === 'integer' ? 'int4' : col.data_type === 'bigint' ? 'int8' : 'text');
      }
      await c.query('begin');
      const sink: Sink = {
        async insert(table, columns, batch) {
          // One parameter per column (an array), however many rows: unnest turns them back into rows.
          const arrays = columns.map((_, j) => batch.map((row) => row[j]));
          const casts = columns.map((col, j) => `$${j + 1}::${types.get(`${table}.${col}`) ?? 'text'}[]`);
          await c.query(`insert into ${table} (${columns.join(',')}) select * from unnest(${casts.join(',')})`, arrays);
        },
      };
      log(`  generating ${rows.toLocaleString('en-US')} work orders into PostgreSQL (cache database ${cacheName})`);
      await generateRows(sink, org, rows, nowMs, log);
      await c.query('commit');
      log(`  building ${idx.rows.length} indexes`);
      await c.query('set maintenance_work_mem = \'256MB\'');
      for (const i of idx.rows) await c.query(i.indexdef);
      await c.query('vacuum analyze');
    });
    meta = { generatedAt: new Date(nowMs).toISOString(), rows };
    await withClient(adminUrl, (c) => c.query(`comment on database ${cacheName} is '${JSON.stringify(meta)}'`));
    generationSeconds = (performance.now() - t0) / 1000;
    log(`  generated in ${generationSeconds.toFixed(0)} s`);
  }
  // A template must have no other sessions (autovacuum may still be looking at a fresh one): retry briefly.
  for (let tries = 1; ; tries++) {
    try {
      await withClient(adminUrl, (c) => c.query(`create database ${targetName} template ${cacheName}`));
      break;
    } catch (err) {
      if (tries >= 10 || !/being accessed by other users/.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  const url = urlOf(targetName);
  const h = openDatabase({ databaseUrl: url, dataDir: '/nonexistent' });
  try {
    let applied: string[];
    try {
      applied = await migrateCopy(h);
    } catch (err) {
      // The cache no longer fits the migrations (one was edited after it was made): make it again, once.
      if (!retry || generationSeconds) throw err;
      log(`  the cached data does not take today's migrations (${(err as Error).message}): generating again`);
      await h.close();
      await withClient(adminUrl, async (c) => {
        await c.query(`drop database if exists ${targetName} with (force)`);
        await c.query(`drop database if exists ${cacheName} with (force)`);
      });
      return preparePostgres(adminUrl, targetName, rows, log, false);
    }
    if (applied.length) log(`  applied to the copy: ${applied.join(', ')}`);
    return {
      url,
      world: await worldOf(h, meta),
      source:
        (generationSeconds ? `generated in this run in ${generationSeconds.toFixed(0)} s` : `cached template database generated ${meta.generatedAt}`) +
        (applied.length ? `; migrations applied to the copy: ${applied.join(', ')}` : ''),
      generationSeconds,
    };
  } finally {
    await h.close().catch(() => {});
  }
}
