import { CompiledQuery, type Compilable, type QueryResult } from 'kysely';
import type { Tx } from './database.ts';

/**
 * Compiled-query cache for hot statements (work-order intake, sessions, audit). Building and
 * compiling a Kysely query costs about as much as SQLite executing it (≈ 0.1 ms for a wide insert;
 * ≈ 1.2 ms per work-order create before this, bench/README.md). A statement whose SQL text depends
 * only on `shape` is built and compiled once per engine; later calls bind their own `params`.
 *
 * The caller's `params` must be exactly what Kysely would bind, in its order: on a cache miss the
 * compiled parameters are compared with them, and a statement that does not match is executed as
 * compiled and never cached (so a wrong `params` costs speed, never correctness).
 */
const texts = new Map<string, string | null>();

function engineOf(db: Tx): string {
  // The adapter is per dialect (SqliteAdapter / PostgresAdapter): the SQL text differs by engine.
  return db.getExecutor().adapter.constructor.name;
}

const same = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

export async function runCompiled<R>(db: Tx, shape: string, params: readonly unknown[], build: (db: Tx) => Compilable<R>): Promise<QueryResult<R>> {
  const key = `${engineOf(db)}|${shape}`;
  const text = texts.get(key);
  if (text) return db.executeQuery<R>(CompiledQuery.raw(text, params as unknown[]));
  const compiled = build(db).compile();
  if (text === undefined && texts.size < 500) texts.set(key, same(compiled.parameters, params) ? compiled.sql : null);
  return db.executeQuery<R>(compiled);
}

/** A single-row INSERT of plain values (no expressions), cached by table and column list. */
export async function insertRow(db: Tx, table: string, row: Record<string, unknown>): Promise<void> {
  const columns = Object.keys(row).filter((c) => row[c] !== undefined);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the caller's typed repository checked the row
  await runCompiled(db, `insert:${table}:${columns.join(',')}`, columns.map((c) => row[c]), (d) => (d as any).insertInto(table).values(row));
}

/** Shapes seen so far and whether their text is cached (false: the caller's params did not match; profiling). */
export function compiledShapes(): [string, boolean][] {
  return [...texts].map(([k, v]) => [k, v !== null]);
}
