import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRunner } from '../../src/server/modules/jobs/job.runner.ts';
import { createTestApp, seedWorld, type Client, type TestApp, type World } from '../utils/app.ts';

/**
 * Import of customer files (issue #5 §7): upload → dry run reporting every bad row → import all or
 * only the good rows, idempotent by the chosen key, through the durable job, on both engines.
 */

let t: TestApp;
let w: World;
let manager: Client;
const tmp = mkdtempSync(join(tmpdir(), 'kefu-import-'));

beforeAll(async () => {
  t = await createTestApp();
  w = await seedWorld(t);
  manager = await t.login(w.users.managerA.username);
}, 60_000);
afterAll(async () => {
  await t.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** Raw bytes through the real upload route, as the console sends them. */
async function upload(c: Client, bytes: Buffer, name: string, query = '') {
  return t.app.inject({
    method: 'POST',
    url: `/api/customer-imports${query}`,
    headers: {
      'content-type': 'application/octet-stream',
      'x-file-name': encodeURIComponent(name),
      'accept-language': 'zh-CN',
      ...(c.cookie ? { cookie: `kefu_session=${c.cookie}` } : {}),
      ...(c.csrf ? { 'x-csrf-token': c.csrf } : {}),
    },
    payload: bytes,
  });
}

const runner = () => new JobRunner({ db: t.kefu.db, dialect: t.kefu.dialect, clock: t.clock, log: t.kefu.log, workerId: 'test', random: () => 0 });

/** Starts a pass and runs the queued job to its end (as the server's runner would). */
async function pass(c: Client, id: string, body: Record<string, unknown>) {
  const started = await c.post(`/api/customer-imports/${id}/run`, body);
  expect(started.statusCode, started.body).toBe(202);
  expect(started.json().status).toBe('queued');
  const r = await runner().runOnce();
  expect(r.done, JSON.stringify(r)).toBe(1);
  const run = (await c.get(`/api/customer-imports/${id}`)).json();
  const errors = (await c.get(`/api/customer-imports/${id}/errors?limit=500`)).json();
  return { run, errors: errors.items as { line: number; column: string | null; field: string | null; code: string; message: string }[] };
}

const customers = async () => Number((await sql<{ n: number }>`select count(*) as n from customers`.execute(t.kefu.db)).rows[0].n);

/** GBK bytes of a text (a table built from the platform's own GB18030 decoder). */
function gbk(text: string): Buffer {
  const table = new Map<string, number[]>();
  const d = new TextDecoder('gb18030');
  for (let a = 0x81; a <= 0xfe; a++) for (let b = 0x40; b <= 0xfe; b++) if (b !== 0x7f) table.set(d.decode(Uint8Array.of(a, b)), [a, b]);
  const out: number[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) out.push(ch.charCodeAt(0));
    else out.push(...(table.get(ch) ?? [0x3f]));
  }
  return Buffer.from(out);
}

const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const given = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂兰玉萍红玲华飞鹏斌辉宇浩凯健俊帆';
const nameOf = (i: number) => `${surnames[i % surnames.length]}${given[Math.floor(i / surnames.length) % given.length]}${given[Math.floor(i / 7) % given.length]}`;
const phoneOf = (i: number) => `13${String(100_000_000 + i).slice(0, 9)}`;

describe('customer import: the 100,000-row XLSX (Done-when)', () => {
  it('a dry run of 100,000 rows with 50 bad rows at known lines reports exactly those 50 and writes nothing', async () => {
    const file = join(tmp, 'customers-100k.xlsx');
    const bad = new Map<number, string>();
    // Ten each of bad phone, missing name, unknown tier, duplicate key; five formulas, five values too long.
    for (let k = 0; k < 10; k++) bad.set(1_000 + k * 9_001, 'phone');
    for (let k = 0; k < 10; k++) bad.set(2_003 + k * 9_013, 'name');
    for (let k = 0; k < 10; k++) bad.set(3_007 + k * 9_029, 'tier');
    for (let k = 0; k < 10; k++) bad.set(4_011 + k * 9_041, 'duplicate');
    for (let k = 0; k < 5; k++) bad.set(5_021 + k * 17_011, 'formula');
    for (let k = 0; k < 5; k++) bad.set(6_029 + k * 17_021, 'long');
    expect(bad.size).toBe(50);
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
    const ws = writer.addWorksheet('客户');
    ws.addRow(['姓名', '手机', '客户等级', '性别', '地址', '备注']).commit();
    for (let i = 0; i < 100_000; i++) {
      const kind = bad.get(i);
      const row: unknown[] = [nameOf(i), phoneOf(i), i % 3 === 0 ? '重点' : '普通', i % 2 ? '男' : '女', `洛阳市西工区${i % 500}号`, ''];
      if (kind === 'phone') row[1] = '138-abc-0000';
      if (kind === 'name') row[0] = '';
      if (kind === 'tier') row[2] = '钻石';
      if (kind === 'duplicate') row[1] = phoneOf(i - 500);
      if (kind === 'formula') row[5] = { formula: 'A2&"x"', result: 'x' };
      if (kind === 'long') row[4] = '长'.repeat(201);
      ws.addRow(row).commit();
    }
    ws.commit();
    await writer.commit();
    expect(statSync(file).size).toBeGreaterThan(1_000_000);

    const up = await upload(manager, readFileSync(file), '客户档案.xlsx');
    expect(up.statusCode, up.body).toBe(201);
    const created = up.json();
    expect(created).toMatchObject({ format: 'xlsx', headers: ['姓名', '手机', '客户等级', '性别', '地址', '备注'], suggested: ['name', 'phone', 'tier', 'gender', 'address', 'notes'] });

    const { run, errors } = await pass(manager, created.id, { mode: 'dry_run', key: 'phone' });
    expect(run).toMatchObject({ status: 'validated', progress: 100, rowsRead: 100_000, rowsBad: 50, rowsOk: 99_950, created: 99_950, updated: 0 });
    const lines = [...new Set(errors.map((e) => e.line))].sort((a, b) => a - b);
    expect(lines).toEqual([...bad.keys()].map((i) => i + 2).sort((a, b) => a - b));
    expect(errors).toHaveLength(50);
    const at = (i: number) => errors.find((e) => e.line === i + 2)!;
    expect(at(1_000)).toMatchObject({ field: 'phone', column: '手机' });
    expect(at(2_003)).toMatchObject({ field: 'name', column: '姓名', code: 'REQUIRED', message: '必填，不能为空' });
    expect(at(3_007)).toMatchObject({ field: 'tier', column: '客户等级', message: '客户等级须为 战略、重点 或 普通' });
    expect(at(4_011)).toMatchObject({ field: 'phone', code: 'DUPLICATE_KEY', message: `匹配键与第 ${4_011 - 500 + 2} 行重复` });
    expect(at(5_021)).toMatchObject({ field: 'notes', code: 'FORMULA', column: '备注' });
    expect(at(6_029)).toMatchObject({ field: 'address', column: '地址' });
    expect(await customers()).toBe(0);
  }, 600_000);
});

describe('customer import: CSV', () => {
  it('reads a GBK CSV (Excel’s default for Chinese), says so, skips empty lines, handles quotes and line breaks in quotes', async () => {
    const text = '姓名,电话,客户等级,备注\r\n张三,13800000001,重点,"第一行\r\n第二行，含""引号"""\r\n\r\n李四,13800000002,普通,\r\n,,,\r\n王五,13800000003,战略客户,=1+1\r\n';
    const up = await upload(manager, gbk(text), '客户.csv');
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json()).toMatchObject({ format: 'csv', encoding: 'gb18030', headers: ['姓名', '电话', '客户等级', '备注'], suggested: ['name', 'phone', 'tier', 'notes'] });
    const { run, errors } = await pass(manager, up.json().id, { mode: 'good_rows', key: 'phone' });
    expect(run).toMatchObject({ status: 'done', rowsRead: 3, rowsEmpty: 2, rowsOk: 2, rowsBad: 1, created: 2 });
    // The formula-like text on line 7 is refused, not stored.
    expect(errors).toEqual([expect.objectContaining({ line: 7, field: 'notes', code: 'FORMULA' })]);
    const list = (await manager.get('/api/customers?q=138000000')).json().items as { name: string }[];
    expect(list.map((c) => c.name).sort()).toEqual(['张三', '李四']);
    const zhang = (await manager.get(`/api/customers/${(await manager.get('/api/customers?q=张三')).json().items[0].id}`)).json();
    expect(zhang).toMatchObject({ tier: 'key', notes: '第一行\n第二行，含"引号"' });
  });

  it('refuses a file in neither UTF-8 nor GBK, and a file that is no spreadsheet, with a clear error; nothing is kept', async () => {
    const bad = await upload(manager, Buffer.from([0x4e, 0x61, 0x6d, 0x65, 0x0a, 0xff, 0xfe, 0xff, 0x0a]), 'x.csv');
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({ code: 'IMPORT_ENCODING', title: '无法识别文件编码：请另存为 UTF-8 或 GBK 编码的 CSV' });
    const png = await upload(manager, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]), 'x.csv');
    expect(png.statusCode).toBe(422);
    expect(png.json().code).toBe('IMPORT_FILE_TYPE');
  });

  it('all-or-nothing imports nothing while a row is bad; a second import of the same file changes nothing; a changed row updates its file', async () => {
    const csv = (rows: string[]) => Buffer.from(`\uFEFF姓名,手机,会员卡号,VIP\n${rows.join('\n')}\n`);
    const file = csv(['赵一,13900000001,M-001,是', '钱二,13900000002,M-002,否', '孙三,13900000003,M-003,也许']);
    const up = (await upload(manager, file, 'a.csv')).json();
    expect(up.encoding).toBe('utf-8');
    const before = await customers();
    const all = await pass(manager, up.id, { mode: 'all', key: 'member_card' });
    expect(all.run).toMatchObject({ status: 'failed', rowsBad: 1, rowsOk: 2, created: 0, failure: '有 1 行错误，未导入任何数据' });
    expect(all.errors).toEqual([expect.objectContaining({ line: 4, field: 'vip', column: 'VIP' })]);
    expect(await customers()).toBe(before);

    const fixed = csv(['赵一,13900000001,M-001,是', '钱二,13900000002,M-002,否', '孙三,13900000003,M-003,否']);
    const first = await pass(manager, (await upload(manager, fixed, 'a.csv')).json().id, { mode: 'all', key: 'member_card' });
    expect(first.run).toMatchObject({ status: 'done', created: 3, updated: 0, unchanged: 0 });
    // Kept as a file made in the console is: duplicate detection's name key, the first re-verification a quarter on.
    const zhao = (await sql<{ name_key: string | null; next_verification_on: string | null }>`select name_key, next_verification_on from customers where name = '赵一'`.execute(t.kefu.db)).rows[0];
    expect(zhao.name_key).toBe('赵一');
    expect(zhao.next_verification_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await customers()).toBe(before + 3);
    const again = await pass(manager, (await upload(manager, fixed, 'a.csv')).json().id, { mode: 'all', key: 'member_card' });
    expect(again.run).toMatchObject({ status: 'done', created: 0, updated: 0, unchanged: 3 });
    const changed = csv(['赵一,13900000001,M-001,是', '钱二,13900000002,M-002,是', '孙三,13900000003,M-003,否']);
    const third = await pass(manager, (await upload(manager, changed, 'a.csv')).json().id, { mode: 'all', key: 'member_card' });
    expect(third.run).toMatchObject({ status: 'done', created: 0, updated: 1, unchanged: 2 });
    expect(await customers()).toBe(before + 3);
    const qian = (await manager.get('/api/customers?q=钱二')).json().items[0];
    expect(qian).toMatchObject({ vip: true, version: 2 });
    // Audited: one entry per created or changed file, one per import run.
    const audit = await sql<{ action: string; n: number }>`select action, count(*) as n from audit_entries where action in ('customer.create', 'customer.update', 'customer.import') group by action`.execute(t.kefu.db);
    const n = Object.fromEntries(audit.rows.map((r) => [r.action, Number(r.n)]));
    expect(n['customer.import']).toBeGreaterThanOrEqual(3);
    expect(n['customer.update']).toBeGreaterThanOrEqual(1);
  });

  it('unit codes outside the importer’s scope are unknown; another branch’s runs are not found; agents may not import', async () => {
    const file = Buffer.from(`姓名,手机,单位编码\n周一,13700000001,A\n吴二,13700000002,B\n郑三,13700000003,ZZ\n`);
    const up = (await upload(manager, file, 'u.csv')).json();
    const { run, errors } = await pass(manager, up.id, { mode: 'dry_run', key: 'phone' });
    expect(run).toMatchObject({ rowsOk: 1, rowsBad: 2 });
    expect(errors.map((e) => [e.line, e.code])).toEqual([[3, 'UNKNOWN_UNIT'], [4, 'UNKNOWN_UNIT']]);
    const other = await t.login(w.users.managerB.username);
    expect((await other.get(`/api/customer-imports/${up.id}`)).statusCode).toBe(404);
    expect((await other.post(`/api/customer-imports/${up.id}/run`, { mode: 'good_rows' })).statusCode).toBe(404);
    const agent = await t.login(w.users.agentA.username);
    expect((await upload(agent, file, 'u.csv')).statusCode).toBe(403);
    // The errors as CSV, cells made safe.
    const csv = await manager.get(`/api/customer-imports/${up.id}/errors/csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('行号,列,字段,代码,原因');
    expect(csv.body).toContain('3,单位编码,unit,UNKNOWN_UNIT,');
  });

  it('matches by ID number (kept only as a keyed hash); a protected file is not changed by an importer below its level', async () => {
    const director = await t.login(w.users.director.username);
    const secret = (await director.post('/api/customers', { orgUnitId: w.units.branchA.id, name: '冯总', confidentiality: 'top_secret', identifiers: [{ kind: 'id_number', value: '410302198001011234' }] })).json();
    expect(secret.id).toBeTruthy();
    const file = Buffer.from('姓名,身份证号,备注\n冯总,410302198001011234,改一下\n褚八,41030219900202123X,\n');
    const { run, errors } = await pass(manager, (await upload(manager, file, 'id.csv')).json().id, { mode: 'good_rows', key: 'id_number' });
    expect(run).toMatchObject({ status: 'done', created: 1, rowsBad: 1 });
    expect(errors).toEqual([expect.objectContaining({ line: 2, code: 'PROTECTED' })]);
    const after = (await director.get(`/api/customers/${secret.id}`)).json();
    expect(after.version).toBe(secret.version);
    // The director may: the same row now updates the file.
    const again = await pass(director, (await upload(director, file, 'id.csv', `?unitId=${w.units.branchA.id}`)).json().id, { mode: 'good_rows', key: 'id_number' });
    expect(again.run).toMatchObject({ status: 'done', created: 0, updated: 1, unchanged: 1 });
    expect(JSON.stringify(await sql`select * from customer_identifiers`.execute(t.kefu.db))).not.toContain('41030219900202123X');
  });

  it('refuses a file over the size limit while it streams, keeping nothing', async () => {
    const big = Buffer.alloc(t.kefu.config.importMaxBytes + 1, 0x41);
    const res = await upload(manager, big, 'big.csv');
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('IMPORT_TOO_LARGE');
    // Sent in chunks without a length: stopped while streaming, the stored part removed.
    const stored = () => (existsSync(join(t.kefu.config.dataDir, 'imports')) ? readdirSync(join(t.kefu.config.dataDir, 'imports')).length : 0);
    const before = stored();
    const chunked = await t.app.inject({
      method: 'POST',
      url: '/api/customer-imports',
      headers: { 'content-type': 'application/octet-stream', 'accept-language': 'zh-CN', cookie: `kefu_session=${manager.cookie}`, 'x-csrf-token': manager.csrf! },
      payload: Readable.from((function* () {
        for (let i = 0; i <= big.length / 65536; i++) yield big.subarray(i * 65536, (i + 1) * 65536);
      })()),
    });
    expect(chunked.statusCode).toBe(413);
    expect(stored()).toBe(before);
  }, 60_000);

  it('a mapping that leaves out the name or the key is refused before anything runs', async () => {
    const up = (await upload(manager, Buffer.from('客户,联系方式\n甲,13600000001\n'), 'm.csv')).json();
    expect(up.suggested).toEqual(['name', null]);
    const noKey = await manager.post(`/api/customer-imports/${up.id}/run`, { mode: 'dry_run', key: 'phone' });
    expect(noKey.statusCode).toBe(400);
    const ok = await pass(manager, up.id, { mode: 'dry_run', key: 'phone', mapping: ['name', 'phone'] });
    expect(ok.run).toMatchObject({ status: 'validated', rowsOk: 1, created: 1 });
  });
});

describe('customer import: grants of now', () => {
  it('a pass queued by someone who then lost customer:manage over the unit fails and writes nothing', async () => {
    const up = (await upload(manager, Buffer.from('姓名,手机\n蒋九,13300000009\n'), 'late.csv')).json();
    expect((await manager.post(`/api/customer-imports/${up.id}/run`, { mode: 'good_rows', key: 'phone' })).statusCode).toBe(202);
    const director = await t.login(w.users.director.username);
    const me = (await director.get(`/api/users/${w.users.managerA.id}`)).json();
    expect((await director.put(`/api/users/${w.users.managerA.id}/grants`, { version: me.version, grants: [] })).statusCode).toBe(200);
    expect((await runner().runOnce()).done).toBe(1);
    const run = (await director.get(`/api/customer-imports/${up.id}`)).json();
    expect(run).toMatchObject({ status: 'failed', created: 0, failure: '您已无权向该单位导入客户档案' });
    expect((await director.get('/api/customers?q=蒋九')).json().items).toEqual([]);
  });
});
