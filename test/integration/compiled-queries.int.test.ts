import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { compiledShapes, insertRow, runCompiled } from '../../src/db/compiled.ts';
import { createTestDb, type TestDb } from '../utils/db.ts';

// The compiled-query cache of the intake's hot statements (src/db/compiled.ts): a statement compiled once answers
// later calls with their own values, and a caller whose values do not match what Kysely binds still gets the right rows.
describe('compiled-query cache', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
    await sql`create table cq_items (id text primary key, name text not null, n integer)`.execute(t.handle.db);
  });
  afterAll(async () => {
    await t?.drop();
  });

  // The test table is not in the schema types: the builder is reached untyped, as insertRow does.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const untyped = (d: unknown) => d as any;
  const byName = (name: string) =>
    runCompiled<{ id: string }>(t.handle.db, 'test.cq.byName', [name], (d) => untyped(d).selectFrom('cq_items').select('id').where('name', '=', name).orderBy('id'));

  it('binds each call’s own values to the statement compiled the first time', async () => {
    await insertRow(t.handle.db, 'cq_items', { id: 'a', name: '甲', n: 1 });
    await insertRow(t.handle.db, 'cq_items', { id: 'b', name: '乙', n: null });
    await insertRow(t.handle.db, 'cq_items', { id: 'c', name: '乙', n: undefined });
    expect((await byName('甲')).rows.map((r) => r.id)).toEqual(['a']);
    expect((await byName('乙')).rows.map((r) => r.id)).toEqual(['b', 'c']);
    expect((await byName('丙')).rows).toEqual([]);
    const shapes = new Map(compiledShapes().map(([k, ok]) => [k.slice(k.indexOf('|') + 1), ok]));
    expect(shapes.get('test.cq.byName')).toBe(true);
    expect(shapes.get('insert:cq_items:id,name,n')).toBe(true);
    expect(shapes.get('insert:cq_items:id,name')).toBe(true);
  });

  it('never caches a statement whose given values differ from what it binds, and still answers right', async () => {
    const wrong = (name: string) =>
      runCompiled<{ id: string }>(t.handle.db, 'test.cq.wrong', ['not-the-value'], (d) => untyped(d).selectFrom('cq_items').select('id').where('name', '=', name).orderBy('id'));
    expect((await wrong('甲')).rows.map((r) => r.id)).toEqual(['a']);
    expect((await wrong('乙')).rows.map((r) => r.id)).toEqual(['b', 'c']);
    expect(compiledShapes().find(([k]) => k.endsWith('|test.cq.wrong'))?.[1]).toBe(false);
  });
});
