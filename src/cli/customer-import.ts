import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { importFields, type ImportField, type ImportKey } from '../contracts/customer-import.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { systemClock } from '../server/platform/clock.ts';
import type { Config } from '../server/platform/config.ts';
import { AppError } from '../server/platform/errors.ts';
import type { Logger } from '../server/platform/logger.ts';
import { systemCtx } from '../server/setup.ts';
import { importDeps } from '../server/modules/customer-import/customer-import.routes.ts';
import { allImportErrors, executeImport, importLocalFile, startImport } from '../server/modules/customer-import/customer-import.service.ts';
import { orgUnitRepository } from '../server/modules/org/org-unit.repository.ts';
import { progress } from './progress.ts';

/**
 * `kefu customers import <file>`: the same passes as the console (import service), run in this process
 * as the system (the operator of the server's machine, every unit in scope), with a progress bar on
 * stderr and the bad rows on stdout. Exit 0 when the pass found no bad row, or --good-rows imported
 * the good ones; 1 when bad rows stopped it (all-or-nothing) or a dry run found some; 2 on usage errors.
 */
const KEYS: Record<string, ImportKey> = { phone: 'phone', card: 'member_card', member_card: 'member_card', id: 'id_number', id_number: 'id_number' };
const SHOWN = 200;

export async function importCustomersCommand(config: Config, args: string[], withDb: <T>(fn: (h: DatabaseHandle) => Promise<T>) => Promise<T>, log: Logger): Promise<number> {
  const out = (s: string) => process.stdout.write(`${s}\n`);
  const usageError = (s: string) => {
    process.stderr.write(`${s}\n`);
    return 2;
  };
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { unit: { type: 'string' }, key: { type: 'string', default: 'phone' }, 'dry-run': { type: 'boolean' }, 'good-rows': { type: 'boolean' }, map: { type: 'string', multiple: true } },
    });
  } catch (e) {
    return usageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  const file = positionals[0];
  if (!file || positionals.length > 1) return usageError('usage: kefu customers import <file> [--unit <code>] [--key phone|card|id] [--dry-run] [--good-rows] [--map <column>=<field>,…]');
  const key = KEYS[values.key ?? 'phone'];
  if (!key) return usageError(`--key must be phone, card or id (got ${values.key})`);
  if (values['dry-run'] && values['good-rows']) return usageError('--dry-run and --good-rows exclude each other');
  const mode = values['dry-run'] ? 'dry_run' : values['good-rows'] ? 'good_rows' : 'all';

  return withDb(async (h) => {
    const ctx = systemCtx(h, systemClock, log);
    const deps = importDeps({ config });
    let unitId: string;
    if (values.unit) {
      const unit = await orgUnitRepository.byCode(h.db, values.unit);
      if (!unit) return usageError(`no org unit with code ${values.unit}`);
      unitId = unit.id;
    } else {
      unitId = (await orgUnitRepository.listInScope(h.db, ['/'])).find((u) => u.parent_id === null)!.id;
    }
    let run;
    try {
      run = await importLocalFile(ctx, deps, file, basename(file), unitId);
    } catch (e) {
      if (e instanceof AppError) return usageError(`${file}: ${e.fields?.[0]?.message || e.code}`);
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return usageError(`no such file: ${file}`);
      throw e;
    }
    out(`${run.fileName}: ${run.format.toUpperCase()}${run.format === 'csv' ? `, ${run.encoding === 'gb18030' ? 'decoded as GBK 按 GBK 解码' : 'UTF-8'}` : ''}; ${run.headers.length} columns`);
    const mapping: (ImportField | null)[] = [...run.suggested];
    for (const pair of (values.map ?? []).flatMap((m) => m.split(',')).map((m) => m.trim()).filter(Boolean)) {
      const at = pair.lastIndexOf('=');
      const col = pair.slice(0, at).trim();
      const field = pair.slice(at + 1).trim();
      const index = /^\d+$/.test(col) ? Number(col) - 1 : run.headers.indexOf(col);
      if (at < 1 || index < 0 || index >= run.headers.length) return usageError(`--map ${pair}: no column "${col}" (columns: ${run.headers.join(', ')})`);
      if (field !== '' && field !== '-' && !(importFields as readonly string[]).includes(field)) return usageError(`--map ${pair}: unknown field "${field}" (fields: ${importFields.join(', ')}; - to ignore)`);
      mapping[index] = field === '' || field === '-' ? null : (field as ImportField);
    }
    out(`mapping 列映射: ${run.headers.map((hd, i) => `${hd} → ${mapping[i] ?? '-'}`).join(' | ')}`);
    try {
      await startImport(ctx, run.id, { mode, key, mapping }, { queue: false });
    } catch (e) {
      if (e instanceof AppError) return usageError(`${e.fields?.map((f) => `${f.field}: ${f.message}`).join('; ') || e.code}`);
      throw e;
    }
    const bar = progress(mode === 'dry_run' ? 'dry run 试导入' : 'import 导入', 100);
    const done = await executeImport(ctx, deps, run.id, { onProgress: (p) => bar.set(p) });
    bar.set(100);
    bar.end();
    if (done.failure && done.rowsBad === 0) {
      process.stderr.write(`${done.failure}\n`);
      return 1;
    }
    out(`rows 行: ${done.rowsRead} read, ${done.rowsOk} good, ${done.rowsBad} bad, ${done.rowsEmpty} empty lines skipped`);
    const verb = mode === 'dry_run' ? 'would create' : 'created';
    out(`files 档案: ${verb} ${done.created}, ${mode === 'dry_run' ? 'would update' : 'updated'} ${done.updated}, unchanged ${done.unchanged}`);
    if (done.rowsBad > 0) {
      const { errors } = await allImportErrors(ctx, run.id);
      out('bad rows 错误行 (line, column, reason):');
      for (const e of errors.slice(0, SHOWN)) out(`  ${e.line}\t${e.column ?? e.field ?? '-'}\t${e.message}`);
      if (done.errorsTotal > SHOWN) out(`  … ${done.errorsTotal - SHOWN} more errors (GET /api/customer-imports/${run.id}/errors/csv)`);
    }
    if (done.status === 'failed') {
      out(done.failure ?? 'nothing imported');
      return 1;
    }
    out(mode === 'dry_run' ? `dry run finished 试导入完成 (run ${run.id})` : `import finished 导入完成 (run ${run.id})`);
    return mode === 'dry_run' && done.rowsBad > 0 ? 1 : 0;
  });
}
