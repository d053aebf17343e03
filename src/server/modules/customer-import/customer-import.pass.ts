import { join } from 'node:path';
import type { ImportField, ImportKey } from '../../../contracts/customer-import.ts';
import type { Tx } from '../../../db/database.ts';
import type { Ctx } from '../../platform/context.ts';
import { orgUnitRepository } from '../org/org-unit.repository.ts';
import type { ImportErrorRow, ImportView } from './customer-import.repository.ts';
import { applyBatch, directSink, mayImport, validateBatch, type BatchState, type ImportSink, type Prepared } from './customer-import.rows.ts';
import type { ImportDeps } from './customer-import.service.ts';
import { mapRow } from './import.mapping.ts';
import { cellText, ImportFileError, readRows, type ByteCounter, type ImportEncoding } from './import.reader.ts';

/**
 * One pass of an import over its file (customer-import.service.ts decides which passes run, and where
 * their writes go): rows streamed, empty lines counted and skipped, batches of 500 checked and — when
 * writing — applied, row errors handed on (the first 10,000), progress reported after each batch.
 */

const BATCH = 500;

export interface PassCounts {
  rowsRead: number;
  rowsEmpty: number;
  rowsOk: number;
  rowsBad: number;
  created: number;
  updated: number;
  unchanged: number;
  errorsTotal: number;
}

export interface PassOptions {
  ctx: Ctx;
  deps: ImportDeps;
  run: ImportView;
  write: boolean;
  /** Runs the writes of one batch: in the one transaction of an all-or-nothing import, or a transaction of its own. */
  inTx: <T>(fn: (trx: Tx) => Promise<T>) => Promise<T>;
  /** Where the writes of a batch go (default: straight into the tables, in inTx's transaction). */
  sink?: (trx: Tx) => ImportSink;
  /** All-or-nothing: after the first bad row nothing more is written (the run will fail), only checked. */
  stopWritingOnError?: boolean;
  /** Reads of a dry run go here (the database, or the transaction of an all-or-nothing import). */
  db: Tx;
  /** Row errors: kept, or (all-or-nothing's second pass) not expected at all. */
  onErrors: (rows: ImportErrorRow[]) => Promise<void>;
  onProgress?: (fraction: number, counts: PassCounts) => Promise<void>;
}

/** One pass over the file: reads, maps, validates in batches, and (write) creates or updates the files. */
export async function pass(o: PassOptions): Promise<PassCounts> {
  const { ctx, deps, run } = o;
  const mapping = JSON.parse(run.mapping) as (ImportField | null)[];
  const headers = JSON.parse(run.headers) as string[];
  const counts: PassCounts = { rowsRead: 0, rowsEmpty: 0, rowsOk: 0, rowsBad: 0, created: 0, updated: 0, unchanged: 0, errorsTotal: 0 };
  const defaultCompany = (await orgUnitRepository.byId(o.db, run.org_unit_id))!;
  // The grants of now, not of when the pass was queued.
  if (!mayImport(ctx.actor, defaultCompany.path)) throw new ImportFileError('IMPORT_FILE_INVALID', '您已无权向该单位导入客户档案', 'you may no longer import customer files into this unit');
  const state: BatchState = {
    ctx,
    cipher: deps.cipher,
    key: run.import_key as ImportKey,
    importId: run.id,
    headers,
    mapping,
    defaultCompany: { id: defaultCompany.id, path: defaultCompany.path, timeZone: defaultCompany.time_zone },
    units: new Map(),
    keysSeen: new Map(),
    phonesSeen: new Map(),
    errorSeq: 0,
  };
  const counter: ByteCounter = { bytes: 0, total: 0 };
  let headerSeen = false;
  let batch: Prepared[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    const writing = o.write && !(o.stopWritingOnError && counts.rowsBad > 0);
    const done = async (trx: Tx) => {
      await validateBatch(trx, state, rows);
      if (writing) await applyBatch(o.sink ? o.sink(trx) : directSink(trx, ctx), state, rows, counts);
      else for (const r of rows) if (r.errors.length === 0) counts[r.existing ? (r.patchEmpty ? 'unchanged' : 'updated') : 'created']++;
    };
    if (writing) await o.inTx(done);
    else await done(o.db);
    const errs: ImportErrorRow[] = [];
    for (const r of rows) {
      if (r.errors.length === 0) counts.rowsOk++;
      else {
        counts.rowsBad++;
        for (const e of r.errors) {
          counts.errorsTotal++;
          if (state.errorSeq < 10_000) errs.push({ import_id: run.id, seq: ++state.errorSeq, line: r.line, column_name: e.column === undefined ? null : (headers[e.column] ?? null), field: e.field, code: e.code, message_zh: e.zh, message_en: e.en });
        }
      }
    }
    if (errs.length) await o.onErrors(errs);
    await o.onProgress?.(counter.total ? counter.bytes / counter.total : 0, counts);
  };
  for await (const raw of readRows(join(deps.dir, run.file_key!), run.format, run.encoding as ImportEncoding, counter)) {
    if (!headerSeen) {
      // The first non-empty row is the header (as read at upload).
      if (raw.cells.every((c) => cellText(c) === '')) continue;
      headerSeen = true;
      continue;
    }
    const mapped = mapRow(raw.cells, mapping);
    if (mapped.empty) {
      counts.rowsEmpty++;
      continue;
    }
    counts.rowsRead++;
    batch.push({ line: raw.line, mapped, errors: [], existing: null, patchEmpty: true });
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return counts;
}

export const countColumns = (c: PassCounts) => ({
  rows_read: c.rowsRead,
  rows_empty: c.rowsEmpty,
  rows_ok: c.rowsOk,
  rows_bad: c.rowsBad,
  created: c.created,
  updated: c.updated,
  unchanged: c.unchanged,
  errors_total: c.errorsTotal,
});
