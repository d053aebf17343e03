import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import { IMPORT_MAX_COLUMNS, type ImportError, type ImportField, type ImportKey, type ImportMode, type ImportRun, type importRunRequest } from '../../../contracts/customer-import.ts';
import type { ErrorCode } from '../../../contracts/errors.ts';
import type { Tx } from '../../../db/database.ts';
import { holdsAnywhere, type Actor } from '../../platform/actor.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError, forbidden, invalid, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { loadGrants } from '../auth/auth.service.ts';
import { enqueue } from '../jobs/jobs.ts';
import { orgUnitRepository } from '../org/org-unit.repository.ts';
import { companyOf, unitChain } from '../tickets/org-chain.ts';
import { actingUnitId } from '../users/user.service.ts';
import { userRepository } from '../users/user.repository.ts';
import { nearScope } from '../customers/customer.scope.ts';
import type { DataCipher } from '../customers/customer.crypto.ts';
import { customerImportRepository as repo, importStaging, type ImportErrorRow, type ImportView } from './customer-import.repository.ts';
import { countColumns, pass, type PassCounts } from './customer-import.pass.ts';
import { mayImport, stagingSink } from './customer-import.rows.ts';
import { suggestMapping } from './import.mapping.ts';
import { detectEncoding, ImportFileError, readHeader, sniffFormat, type ImportEncoding, type ImportFormat } from './import.reader.ts';

/**
 * Import of customer files 客户档案导入. Upload stores the bytes in a temp file and reads only the
 * header (format and encoding told by the content, a mapping suggested). A pass — dry run 试导入,
 * import all-or-nothing 全部导入, or only the good rows 只导入正确的行 — runs in the durable job
 * `customer.import` with the importer's current grants: every row is checked by the customer-file
 * contract and the file's rules (phone unique per company, a protected file only by its level's
 * holders, the unit in the importer's customer:manage scope), and matched by the chosen key, so a
 * second import of the same file changes nothing. All-or-nothing checks the whole file while staging the
 * writes in temporary tables, and applies them only when no row is bad, in ONE short transaction; good
 * rows commit batch by batch.
 */
export interface ImportDeps {
  cipher: DataCipher;
  /** Where uploaded files wait for their passes. */
  dir: string;
  maxBytes: number;
}

export const IMPORT_JOB = 'customer.import';

const failure = (code: ErrorCode, status = 422) => new AppError(code, status);


function toRun(r: ImportView, lang: 'zh' | 'en'): ImportRun {
  const fail = r.failure ? (JSON.parse(r.failure) as { zh: string; en: string }) : null;
  return {
    id: r.id,
    orgUnitId: r.org_unit_id,
    orgUnitName: r.unit_name,
    userName: r.user_name,
    fileName: r.file_name,
    format: r.format,
    encoding: r.encoding,
    headers: JSON.parse(r.headers) as string[],
    suggested: JSON.parse(r.suggested) as (ImportField | null)[],
    mapping: JSON.parse(r.mapping) as (ImportField | null)[],
    key: r.import_key as ImportKey,
    mode: r.mode as ImportMode | null,
    status: r.status as ImportRun['status'],
    progress: Number(r.progress),
    rowsRead: Number(r.rows_read),
    rowsEmpty: Number(r.rows_empty),
    rowsOk: Number(r.rows_ok),
    rowsBad: Number(r.rows_bad),
    created: Number(r.created),
    updated: Number(r.updated),
    unchanged: Number(r.unchanged),
    errorsTotal: Number(r.errors_total),
    errorsStored: Math.min(Number(r.errors_total), 10_000),
    failure: fail ? fail[lang] : null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
  };
}

async function companyFor(trx: Tx, ctx: Ctx, unitId: string | undefined) {
  const unit = await orgUnitRepository.byId(trx, await actingUnitId(trx, ctx, unitId));
  if (!unit) throw notFound();
  const company = companyOf(await unitChain(trx, unit.path));
  if (!mayImport(ctx.actor, company.path)) throw notFound();
  return company;
}

const fileError = (e: ImportFileError, lang: 'zh' | 'en') => new AppError(e.code as ErrorCode, 422, { fields: [{ field: 'file', message: lang === 'zh' ? e.zh : e.en }] });

/**
 * Stores an uploaded file (streamed to disk, at most `maxBytes`), tells its format and encoding,
 * reads its header and suggests a mapping; the run waits for a pass (status uploaded).
 */
export async function uploadImport(ctx: Ctx, deps: ImportDeps, fileName: string, body: Readable, unitId?: string): Promise<ImportRun> {
  if (!holdsAnywhere(ctx.actor, 'customer:manage') && ctx.actor.kind !== 'system') throw forbidden();
  const company = await companyFor(ctx.db, ctx, unitId);
  await mkdir(deps.dir, { recursive: true, mode: 0o700 });
  await sweepStaleFiles(ctx, deps).catch((err: unknown) => ctx.log.warn({ err }, 'sweeping old import files failed'));
  const id = newId();
  const key = `${id}.upload`;
  const path = join(deps.dir, key);
  let size = 0;
  try {
    // Past the limit the rest is read and dropped (not destroyed: the client must still get its 413).
    const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > deps.maxBytes) continue;
        if (!out.write(chunk)) await once(out, 'drain');
      }
    } finally {
      out.end();
      await finished(out);
    }
    if (size > deps.maxBytes) throw new AppError('IMPORT_TOO_LARGE', 413);
    return await registerFile(ctx, path, key, id, fileName, company);
  } catch (err) {
    await rm(path, { force: true });
    if (err instanceof ImportFileError) throw fileError(err, ctx.lang);
    throw err;
  }
}

/** The CLI's way in: copies a local file into the import directory and registers it like an upload. */
export async function importLocalFile(ctx: Ctx, deps: ImportDeps, source: string, fileName: string, unitId?: string): Promise<ImportRun> {
  const company = await companyFor(ctx.db, ctx, unitId);
  await mkdir(deps.dir, { recursive: true, mode: 0o700 });
  const id = newId();
  const key = `${id}.upload`;
  const path = join(deps.dir, key);
  try {
    await copyFile(source, path);
    return await registerFile(ctx, path, key, id, fileName, company);
  } catch (err) {
    await rm(path, { force: true });
    if (err instanceof ImportFileError) throw fileError(err, ctx.lang);
    throw err;
  }
}

/** Uploaded files wait a day for their passes; then they are removed (they hold personal data) and the run can no longer start. */
const FILE_KEPT_MS = 24 * 3600_000;
async function sweepStaleFiles(ctx: Ctx, deps: ImportDeps): Promise<void> {
  const before = iso(new Date(ctx.clock.now().getTime() - FILE_KEPT_MS));
  for (const r of await repo.staleFiles(ctx.db, before, 50)) {
    await rm(join(deps.dir, r.file_key), { force: true });
    await repo.update(ctx.db, r.id, { file_key: null });
  }
}

async function registerFile(ctx: Ctx, path: string, key: string, id: string, fileName: string, company: { id: string }): Promise<ImportRun> {
  const format: ImportFormat = await sniffFormat(path);
  const encoding: ImportEncoding = format === 'csv' ? await detectEncoding(path) : 'utf-8';
  const { headers } = await readHeader(path, format, encoding, IMPORT_MAX_COLUMNS);
  const suggested = suggestMapping(headers);
  const now = iso(ctx.clock.now());
  await repo.insert(ctx.db, {
    id,
    org_unit_id: company.id,
    user_id: ctx.actor.userId,
    user_name: ctx.actor.displayName,
    file_name: (fileName || 'import').slice(0, 200),
    file_key: key,
    format,
    encoding,
    headers: JSON.stringify(headers),
    suggested: JSON.stringify(suggested),
    mapping: JSON.stringify(suggested),
    import_key: 'phone',
    mode: null,
    status: 'uploaded',
    progress: 0,
    rows_read: 0,
    rows_empty: 0,
    rows_ok: 0,
    rows_bad: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    errors_total: 0,
    failure: null,
    created_at: now,
    updated_at: now,
    finished_at: null,
  });
  return toRun((await repo.byId(ctx.db, id))!, ctx.lang);
}

async function readableRun(ctx: Ctx, id: string): Promise<ImportView> {
  const r = ctx.actor.kind === 'system' ? await repo.byId(ctx.db, id) : await repo.byIdInScope(ctx.db, id, nearScope(ctx.actor, 'customer:manage'));
  if (!r) throw notFound();
  return r;
}

export async function getImport(ctx: Ctx, id: string): Promise<ImportRun> {
  return toRun(await readableRun(ctx, id), ctx.lang);
}

export async function listImports(ctx: Ctx): Promise<ImportRun[]> {
  return (await repo.list(ctx.db, nearScope(ctx.actor, 'customer:manage'), 20)).map((r) => toRun(r, ctx.lang));
}

export async function importErrors(ctx: Ctx, id: string, offset: number, limit: number): Promise<{ items: ImportError[]; total: number; stored: number }> {
  const run = await readableRun(ctx, id);
  const rows = await repo.errors(ctx.db, id, offset, limit);
  return { items: rows.map((e) => toError(e, ctx.lang)), total: Number(run.errors_total), stored: await repo.errorCount(ctx.db, id) };
}

const toError = (e: ImportErrorRow, lang: 'zh' | 'en'): ImportError => ({ line: Number(e.line), column: e.column_name, field: e.field, code: e.code, message: lang === 'zh' ? e.message_zh : e.message_en });

/** Every stored error of the run (≤ 10,000), for the CSV download. */
export async function allImportErrors(ctx: Ctx, id: string): Promise<{ run: ImportRun; errors: ImportError[] }> {
  const run = await readableRun(ctx, id);
  return { run: toRun(run, ctx.lang), errors: (await repo.errors(ctx.db, id, 0, 10_000)).map((e) => toError(e, ctx.lang)) };
}

/** Checks the mapping against the header and the key. */
function checkMapping(ctx: Ctx, headers: string[], mapping: (ImportField | null)[], key: ImportKey) {
  const zh = ctx.lang === 'zh';
  if (mapping.length !== headers.length) throw invalid('mapping', zh ? `映射须有 ${headers.length} 项（每列一项）` : `the mapping needs ${headers.length} entries, one per column`);
  const used = mapping.filter((f): f is ImportField => f !== null);
  const dup = used.find((f, i) => used.indexOf(f) !== i);
  if (dup) throw invalid('mapping', zh ? `字段 ${dup} 被映射了多次` : `the field ${dup} is mapped more than once`);
  if (!used.includes('name')) throw invalid('mapping', zh ? '须有一列映射为姓名' : 'one column must map to name');
  const keyField: ImportField = key === 'phone' ? 'phone' : key === 'member_card' ? 'memberCard' : 'idNumber';
  if (!used.includes(keyField)) throw invalid('key', zh ? '匹配键所在的列未映射' : 'no column maps to the matching key');
}

/**
 * Starts a pass: stores the options and queues the job; the run answers at once (status queued).
 * The CLI passes `queue: false` and runs the pass itself (executeImport).
 */
export async function startImport(ctx: Ctx, id: string, input: z.infer<typeof importRunRequest>, opts: { queue?: boolean } = {}): Promise<ImportRun> {
  await ctx.db.transaction().execute(async (trx) => {
    const run = ctx.actor.kind === 'system' ? await repo.byId(trx, id) : await repo.byIdInScope(trx, id, nearScope(ctx.actor, 'customer:manage'));
    if (!run) throw notFound();
    if (!run.file_key || !['uploaded', 'validated', 'failed'].includes(run.status)) throw failure('IMPORT_NOT_READY', 409);
    const unitId = input.unitId ? (await companyFor(trx, ctx, input.unitId)).id : run.org_unit_id;
    const mapping = input.mapping ?? (JSON.parse(run.mapping) as (ImportField | null)[]);
    checkMapping(ctx, JSON.parse(run.headers) as string[], mapping, input.key);
    const ok = await repo.transition(trx, id, ['uploaded', 'validated', 'failed'], {
      org_unit_id: unitId,
      mapping: JSON.stringify(mapping),
      import_key: input.key,
      mode: input.mode,
      status: 'queued',
      progress: 0,
      failure: null,
      updated_at: iso(ctx.clock.now()),
      finished_at: null,
    });
    if (!ok) throw failure('IMPORT_NOT_READY', 409);
    if (opts.queue !== false) await enqueue(trx, ctx, { kind: IMPORT_JOB, payload: { importId: id, userId: ctx.actor.userId }, maxAttempts: 3 });
  });
  return getImport(ctx, id);
}

/** The importer as the job acts: their current grants (a disabled person imports nothing). */
export async function importerActor(trx: Tx, userId: string | null): Promise<Actor | null> {
  if (!userId) return null;
  const u = await userRepository.byId(trx, userId);
  if (!u || u.status !== 'active') return null;
  return { kind: 'user', userId: u.id, username: u.username, displayName: u.display_name, orgUnitId: u.org_unit_id, mustChangePassword: false, grants: await loadGrants(trx, u.id) };
}

/**
 * Runs the queued pass of a run as `ctx.actor` (the job's importer, or the CLI's system actor).
 * `complete` is called in the transaction that records the outcome (the job's lease check).
 */
export async function executeImport(
  ctx: Ctx,
  deps: ImportDeps,
  id: string,
  opts: { complete?: (trx: Tx) => Promise<void>; onProgress?: (percent: number, counts: PassCounts) => void } = {},
): Promise<ImportRun> {
  const run = await repo.byId(ctx.db, id);
  if (!run || !run.file_key || !['queued', 'running'].includes(run.status)) {
    if (opts.complete) await ctx.db.transaction().execute((trx) => opts.complete!(trx));
    return toRun(run ?? (await repo.byId(ctx.db, id))!, ctx.lang);
  }
  const mode = run.mode as ImportMode;
  const now = () => iso(ctx.clock.now());
  await repo.clearErrors(ctx.db, id);
  await repo.update(ctx.db, id, { status: 'running', progress: 0, ...countColumns({ rowsRead: 0, rowsEmpty: 0, rowsOk: 0, rowsBad: 0, created: 0, updated: 0, unchanged: 0, errorsTotal: 0 }), updated_at: now() });
  const finish = async (patch: Parameters<typeof repo.update>[2], audit: boolean, trxIn?: Tx) => {
    const write = async (trx: Tx) => {
      await repo.update(trx, id, { ...patch, updated_at: now(), finished_at: now() });
      if (audit) {
        await recordAudit(trx, ctx, {
          action: 'customer.import',
          entityType: 'customer_import',
          entityId: id,
          orgUnitId: run.org_unit_id,
          after: {
            fileName: run.file_name,
            mode,
            key: run.import_key,
            status: patch.status,
            rowsRead: patch.rows_read,
            rowsOk: patch.rows_ok,
            rowsBad: patch.rows_bad,
            created: patch.created,
            updated: patch.updated,
            unchanged: patch.unchanged,
          },
        });
      }
      if (opts.complete) await opts.complete(trx);
    };
    if (trxIn) await write(trxIn);
    else await ctx.db.transaction().execute(write);
  };
  const progress = (from: number, span: number) => async (f: number, c: PassCounts) => {
    const p = Math.min(99, Math.floor(from + f * span));
    opts.onProgress?.(p, c);
    await repo.update(ctx.db, id, { progress: p, ...countColumns(c), updated_at: now() });
  };
  const storeErrors = (rows: ImportErrorRow[]) => repo.insertErrors(ctx.db, rows);
  try {
    if (mode === 'dry_run') {
      const c = await pass({ ctx, deps, run, write: false, db: ctx.db, inTx: (fn) => fn(ctx.db), onErrors: storeErrors, onProgress: progress(0, 100) });
      await finish({ status: 'validated', progress: 100, ...countColumns(c) }, false);
    } else if (mode === 'good_rows') {
      const c = await pass({ ctx, deps, run, write: true, db: ctx.db, inTx: (fn) => ctx.db.transaction().execute(fn), onErrors: storeErrors, onProgress: progress(0, 100) });
      await finish({ status: 'done', progress: 100, ...countColumns(c), file_key: null }, true);
      await rm(join(deps.dir, run.file_key), { force: true });
    } else {
      // All or nothing: ONE pass checks every row and stages the good ones in temporary tables, outside any
      // long transaction (the server's other writers go on); a clean file is then checked against what
      // changed meanwhile and applied by a few set-based statements in ONE short transaction.
      const staged = async (db: Tx) => {
        const st = await importStaging.create(db, id);
        try {
          const c = await pass({ ctx, deps, run, write: true, db, inTx: (fn) => fn(db), sink: () => stagingSink(db, ctx, st), stopWritingOnError: true, onErrors: storeErrors, onProgress: progress(0, 95) });
          if (c.rowsBad > 0) {
            await finish({ status: 'failed', progress: 100, ...countColumns({ ...c, created: 0, updated: 0, unchanged: 0 }), failure: JSON.stringify({ zh: `有 ${c.rowsBad} 行错误，未导入任何数据`, en: `${c.rowsBad} rows are bad: nothing was imported` }) }, false);
            return;
          }
          await db.transaction().execute(async (trx) => {
            if (await importStaging.conflicts(trx, st, run.import_key)) {
              throw new ImportFileError('IMPORT_FILE_INVALID', '导入期间档案被他人修改，已全部撤销，请重新试导入', 'files changed during the import: everything was rolled back; run the dry run again');
            }
            await importStaging.apply(trx, st, now());
            await finish({ status: 'done', progress: 100, ...countColumns(c), file_key: null }, true, trx);
          });
          await rm(join(deps.dir, run.file_key!), { force: true });
        } finally {
          await importStaging.drop(db, st).catch((err: unknown) => ctx.log.warn({ err }, 'dropping the staging tables of an import failed'));
        }
      };
      // PostgreSQL: temporary tables live in one session, so the pass keeps one connection of the pool.
      // SQLite has one connection anyway; holding it (Kysely's mutex) would stop the whole server.
      if (importStaging.isPostgres(ctx.db)) await ctx.db.connection().execute(staged);
      else await staged(ctx.db);
    }
  } catch (err) {
    if (!(err instanceof ImportFileError)) throw err;
    await finish({ status: 'failed', progress: 100, failure: JSON.stringify({ zh: err.zh, en: err.en }) }, false);
  }
  return toRun((await repo.byId(ctx.db, id))!, ctx.lang);
}

/** The pass cannot run (the importer was disabled, or its last attempt failed): the run ends as failed. */
export async function abandonImport(trx: Tx, ctx: Ctx, id: string, why: { zh: string; en: string } = { zh: '导入人已停用', en: 'the importer is no longer active' }): Promise<void> {
  await repo.update(trx, id, { status: 'failed', progress: 100, failure: JSON.stringify(why), updated_at: iso(ctx.clock.now()), finished_at: iso(ctx.clock.now()) });
}
