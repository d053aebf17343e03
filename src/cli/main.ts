import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { openDatabase } from '../db/database.ts';
import { startServer } from '../server/main.ts';
import { ConfigError, loadConfig, type Config } from '../server/platform/config.ts';
import { systemClock } from '../server/platform/clock.ts';
import { createLogger } from '../server/platform/logger.ts';
import { systemCtx, prepareDatabase } from '../server/setup.ts';
import { sealAuditChain, verifyAuditChain } from '../server/modules/audit/audit.service.ts';
import { createUser, resetPassword, updateUser } from '../server/modules/users/user.service.ts';
import { userRepository } from '../server/modules/users/user.repository.ts';
import { orgUnitRepository } from '../server/modules/org/org-unit.repository.ts';
import { roleRepository } from '../server/modules/users/role.repository.ts';
import { loadDemo } from './demo.ts';
import { ensureWebBuilt } from './web-build.ts';
import { progress } from './progress.ts';
import { importCustomersCommand } from './customer-import.ts';

const usage = `kefu — 客服 customer service management

  kefu serve [--build-web]        serve the API and the console (PORT, KEFU_DATA_DIR, DATABASE_URL)
  kefu migrate                    apply database migrations
  kefu user create <username> --name <姓名> --unit <unit code> [--role <key>]... [--password <p>]
  kefu user reset-password <username> [--password <p>]
  kefu user disable <username>
  kefu audit verify               check the audit hash chain; names the first broken entry
  kefu backup <file>              online backup of the SQLite database
  kefu restore <file>             replace the SQLite database with a backup (server stopped)
  kefu demo                       load a demo hotel group (洛阳, 郑州) with 20 staff
  kefu customers import <file> [--unit <code>] [--key phone|card|id] [--dry-run] [--good-rows] [--map <column>=<field>,…]
                                  import customer files from CSV / XLSX (all-or-nothing unless --good-rows)
`;

function fail(msg: string, code = 1): never {
  process.stderr.write(`${msg}\n`);
  process.exit(code);
}

async function withDb<T>(config: Config, fn: (h: ReturnType<typeof openDatabase>) => Promise<T>): Promise<T> {
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const h = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, sqliteSynchronous: config.sqliteSynchronous });
  try {
    const prepared = await prepareDatabase(h, systemClock, log, config.adminPassword);
    if (prepared.admin?.generated) process.stdout.write(`administrator created: admin / ${prepared.admin.password} (one-time)\n`);
    return await fn(h);
  } finally {
    await sealAuditChain(h.db, h.dialect).catch(() => {});
    await h.close();
  }
}

async function main() {
  const [cmd, ...rest] = process.argv.slice(2);
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message, 2);
    throw e;
  }
  const log = createLogger(config.logLevel);

  switch (cmd) {
    case 'serve': {
      const { values } = parseArgs({ args: rest, options: { 'build-web': { type: 'boolean' } } });
      if (values['build-web']) await ensureWebBuilt();
      const server = await startServer(config, { log });
      process.stdout.write(`Kefu 客服 is serving on ${server.url} (${server.kefu.dialect})\n`);
      const shutdown = (signal: string) => {
        log.info({ signal }, 'shutting down');
        server.stop().then(
          () => process.exit(0),
          (err) => {
            log.error({ err }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
      return;
    }
    case 'build-web': {
      await ensureWebBuilt();
      return;
    }
    case 'migrate': {
      await withDb(config, async () => {});
      process.stdout.write('migrations up to date\n');
      return;
    }
    case 'user': {
      const [sub, username, ...more] = rest;
      if (!sub || !username) fail(usage, 2);
      const { values } = parseArgs({
        args: more,
        options: { name: { type: 'string' }, unit: { type: 'string' }, role: { type: 'string', multiple: true }, password: { type: 'string' } },
      });
      await withDb(config, async (h) => {
        const ctx = systemCtx(h, systemClock, log);
        if (sub === 'create') {
          if (!values.name || !values.unit) fail('user create needs --name and --unit', 2);
          const unit = await orgUnitRepository.byCode(h.db, values.unit!);
          if (!unit) fail(`no org unit with code ${values.unit}`, 2);
          const grants = [];
          for (const key of values.role ?? []) {
            const role = await roleRepository.byKey(h.db, key);
            if (!role) fail(`no role ${key}`, 2);
            grants.push({ roleId: role!.id, orgUnitId: unit!.id });
          }
          const r = await createUser(ctx, { username: username.toLowerCase(), displayName: values.name!, orgUnitId: unit!.id, password: values.password, grants });
          process.stdout.write(`created ${r.user.username}${r.initialPassword ? `; one-time password: ${r.initialPassword}` : ''}\n`);
        } else {
          const user = await userRepository.byUsername(h.db, username);
          if (!user) fail(`no user ${username}`, 2);
          if (sub === 'reset-password') {
            const r = await resetPassword(ctx, user!.id, values.password);
            process.stdout.write(`password reset for ${username}${r.initialPassword ? `; one-time password: ${r.initialPassword}` : ''}\n`);
          } else if (sub === 'disable') {
            await updateUser(ctx, user!.id, { version: Number(user!.version), status: 'disabled' });
            process.stdout.write(`disabled ${username}\n`);
          } else fail(usage, 2);
        }
      });
      return;
    }
    case 'audit': {
      if (rest[0] !== 'verify') fail(usage, 2);
      const result = await withDb(config, async (h) => {
        await sealAuditChain(h.db, h.dialect);
        return verifyAuditChain(h.db);
      });
      if (result.ok) {
        process.stdout.write(`audit chain intact: ${result.entries} entries verified\n`);
        return;
      }
      fail(`audit chain BROKEN at entry #${result.brokenAt.seq}${result.brokenAt.id ? ` (id ${result.brokenAt.id})` : ''}: ${result.brokenAt.reason}`, 3);
    }
    case 'backup': {
      const file = rest[0] ?? fail('usage: kefu backup <file>', 2);
      if (config.databaseUrl) fail('PostgreSQL: use pg_dump -Fc "$DATABASE_URL" > kefu.dump (see docs/operations.md)', 2);
      const h = openDatabase({ dataDir: config.dataDir });
      const bar = progress('backup', 100);
      // The online backup copies page by page while the server keeps writing.
      await h.sqlite!.backup(file, {
        progress: ({ totalPages, remainingPages }) => {
          bar.set(totalPages ? Math.floor(((totalPages - remainingPages) / totalPages) * 100) : 100);
          return 100;
        },
      });
      bar.end();
      await h.close();
      process.stdout.write(`backup written to ${file}\n`);
      return;
    }
    case 'restore': {
      const file = rest[0] ?? fail('usage: kefu restore <file>', 2);
      if (config.databaseUrl) fail('PostgreSQL: use pg_restore --clean -d "$DATABASE_URL" kefu.dump (see docs/operations.md)', 2);
      if (!existsSync(file)) fail(`no such file: ${file}`, 2);
      const check = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
      const ok = (() => { try { return check.prepare("select 1 from sqlite_master where type = 'table' and name = 'kefu_migrations'").get() ? check.pragma('integrity_check', { simple: true }) : 'no Kefu schema'; } catch { return 'unreadable'; } })();
      check.close();
      if (ok !== 'ok') fail(`not a sound Kefu SQLite database (${ok}): ${file}`, 2);
      const h = openDatabase({ dataDir: config.dataDir });
      const target = h.file!;
      await h.close();
      for (const suffix of ['-wal', '-shm']) rmSync(target + suffix, { force: true });
      copyFileSync(file, target);
      process.stdout.write(`restored ${target} from ${file}\n`);
      return;
    }
    case 'customers': {
      if (rest[0] !== 'import' || !rest[1]) fail(usage, 2);
      const code = await importCustomersCommand(config, rest.slice(1), (fn) => withDb(config, fn), log);
      if (code !== 0) process.exit(code);
      return;
    }
    case 'demo': {
      await withDb(config, async (h) => {
        const summary = await loadDemo(h, systemClock, log);
        process.stdout.write(summary);
      });
      return;
    }
    default:
      process.stdout.write(usage);
      if (cmd && cmd !== 'help' && cmd !== '--help') process.exit(2);
  }
}

await main();
