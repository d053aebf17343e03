import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../utils/db.ts';
import { kefuEnv, runKefu, type RunResult } from './run.ts';

/** `kefu customers import <file>` as an operator runs it: a real child process against a fresh database of the engine under test. */

let db: TestDb;
let env: NodeJS.ProcessEnv;
const show = (r: RunResult) => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
const customers = async () => Number((await sql<{ n: number }>`select count(*) as n from customers`.execute(db.handle.db)).rows[0].n);

beforeAll(async () => {
  db = await createTestDb();
  env = kefuEnv(db);
  const migrated = await runKefu(['migrate'], env, 60_000);
  expect(migrated.code, show(migrated)).toBe(0);
}, 90_000);
afterAll(() => db.drop());

describe('kefu customers import', () => {
  it('all-or-nothing refuses a file with a bad row (exit 1, the row printed), --good-rows imports the rest, a second run changes nothing', async () => {
    const file = join(db.dataDir, '客户.csv');
    writeFileSync(file, '\uFEFF姓名,手机,客户等级\n张三,13800000001,重点\n李四,13800000002,普通\n王五,138-abc,普通\n');

    const all = await runKefu(['customers', 'import', file], env, 60_000);
    expect(all.code, show(all)).toBe(1);
    expect(all.stdout).toContain('客户.csv: CSV, UTF-8; 3 columns');
    expect(all.stdout).toContain('姓名 → name | 手机 → phone | 客户等级 → tier');
    expect(all.stdout).toContain('rows 行: 3 read, 2 good, 1 bad');
    expect(all.stdout).toMatch(/^ {2}4\t手机\t/m);
    expect(all.stdout).toContain('有 1 行错误，未导入任何数据');
    expect(await customers()).toBe(0);

    const dry = await runKefu(['customers', 'import', file, '--dry-run'], env, 60_000);
    expect(dry.code, show(dry)).toBe(1);
    expect(dry.stdout).toContain('would create 2');
    expect(await customers()).toBe(0);

    const good = await runKefu(['customers', 'import', file, '--good-rows'], env, 60_000);
    expect(good.code, show(good)).toBe(0);
    expect(good.stdout).toContain('created 2, updated 0, unchanged 0');
    expect(good.stdout).toContain('import finished 导入完成');
    expect(await customers()).toBe(2);

    const again = await runKefu(['customers', 'import', file, '--good-rows'], env, 60_000);
    expect(again.code, show(again)).toBe(0);
    expect(again.stdout).toContain('created 0, updated 0, unchanged 2');
    expect(await customers()).toBe(2);
  }, 120_000);

  it('maps columns given by --map, matches by --key card; usage errors exit 2', async () => {
    const file = join(db.dataDir, 'cards.csv');
    writeFileSync(file, '客户,会员,联系方式\n赵六,C-001,13900000001\n钱七,C-002,13900000002\n');
    const r = await runKefu(['customers', 'import', file, '--key', 'card', '--map', '客户=name,会员=memberCard', '--map', '3=phone'], env, 60_000);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain('客户 → name | 会员 → memberCard | 联系方式 → phone');
    expect(r.stdout).toContain('created 2');
    const cards = await sql<{ lookup: string }>`select lookup from customer_identifiers where kind = 'member_card' order by lookup`.execute(db.handle.db);
    expect(cards.rows.map((x) => x.lookup)).toEqual(['C-001', 'C-002']);

    const [badKey, badMap, missing] = await Promise.all([
      runKefu(['customers', 'import', file, '--key', 'email'], env, 60_000),
      runKefu(['customers', 'import', file, '--map', '客户=nickname'], env, 60_000),
      runKefu(['customers', 'import', join(db.dataDir, 'nope.csv')], env, 60_000),
    ]);
    expect(badKey.code, show(badKey)).toBe(2);
    expect(badKey.stderr).toContain('--key must be phone, card or id');
    expect(badMap.code, show(badMap)).toBe(2);
    expect(badMap.stderr).toContain('unknown field "nickname"');
    expect(missing.code, show(missing)).toBe(2);
    expect(missing.stderr).toContain('no such file');
  }, 120_000);
});
