// `npm run bench`: runs the benchmark suites and writes their sections of bench/RESULTS.md.
//   npm run bench                          every suite, every variant
//   npm run bench -- --only sqlite         only what matches (suite name, variant, or suite/variant; repeatable, comma-separated)
//   BENCH_SECONDS=10 npm run bench         longer windows (also BENCH_WARMUP_SECONDS, BENCH_CONNECTIONS, BENCH_ROUNDS)
//   npm run bench -- --no-write            print, do not touch RESULTS.md
//   npm run bench -- --in-process          servers in the harness process instead of child processes
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { apiRoundtrip } from './api-roundtrip.bench.ts';
import { workorders } from './workorders.bench.ts';
import { slaSweep } from './sla-sweep.bench.ts';
import { customerImport } from './customer-import.bench.ts';
import { customerLookup } from './customer-lookup.bench.ts';
import { pgAdminUrl } from './lib/postgres.ts';
import { writeSections } from './lib/results.ts';
import type { BenchContext, Section, Suite } from './lib/suite.ts';

const suites: Suite[] = [apiRoundtrip, workorders, slaSweep, customerImport, customerLookup];
const resultsFile = fileURLToPath(new URL('./RESULTS.md', import.meta.url));

const USAGE = 'usage: npm run bench [-- --only <suite|variant|suite/variant>[,…]] [--no-write] [--in-process]   (see bench/README.md)';

/** A usage error: said plainly, without a stack. */
function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

function envNumber(name: string, fallback: number, integer: boolean): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) fail(`${name}=${raw}: expected a non-negative ${integer ? 'integer' : 'number'}`);
  return n;
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      only: { type: 'string', multiple: true },
      'no-write': { type: 'boolean', default: false },
      'in-process': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (err) {
  fail(`${(err as Error).message}\n${USAGE}`);
}
const { values } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const seconds = envNumber('BENCH_SECONDS', 5, false);
const rounds = envNumber('BENCH_ROUNDS', 3, true);
const connections = envNumber('BENCH_CONNECTIONS', 10, true);
if (seconds <= 0 || rounds < 1 || connections < 1) fail('BENCH_SECONDS, BENCH_ROUNDS and BENCH_CONNECTIONS must be positive');

const only = (values.only ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
const selected = suites.flatMap((suite) =>
  suite.variants
    .filter((variant) => only.length === 0 || only.some((o) => o === suite.name || o === variant || o === `${suite.name}/${variant}`))
    .map((variant) => ({ suite, variant })),
);
if (selected.length === 0) {
  const known = suites.flatMap((s) => [s.name, ...s.variants.map((v) => `${s.name}/${v}`)]);
  fail(`--only ${only.join(',')} matches nothing; known: ${[...new Set([...known, ...suites.flatMap((s) => s.variants)])].join(', ')}`);
}

const overrides = ['BENCH_SECONDS', 'BENCH_WARMUP_SECONDS', 'BENCH_CONNECTIONS', 'BENCH_ROUNDS']
  .filter((k) => process.env[k])
  .map((k) => `${k}=${process.env[k]}`);
const args = process.argv.slice(2);
const ctx: BenchContext = {
  load: { seconds, warmupSeconds: envNumber('BENCH_WARMUP_SECONDS', 1, false), connections },
  rounds,
  inProcess: values['in-process'],
  pgAdminUrl: pgAdminUrl(),
  command: [...overrides, 'npm run bench', ...(args.length ? ['--', ...args] : [])].join(' '),
  log: (line) => console.log(line),
};

if (selected.some(({ suite, variant }) => suite.needsPostgres?.(variant))) {
  const client = new pg.Client({ connectionString: ctx.pgAdminUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.end();
  } catch (err) {
    console.error(`PostgreSQL at ${ctx.pgAdminUrl} is not reachable (${(err as Error).message}).`);
    console.error('Start it, point KEFU_BENCH_PG_URL at one, or run `npm run bench -- --only sqlite`.');
    process.exit(1);
  }
}

const sections: Section[] = [];
for (const { suite, variant } of selected) {
  console.log(`\n${suite.name} / ${variant}`);
  const section = await suite.run(variant, ctx);
  sections.push(section);
  console.log(`\n${section.markdown}\n`);
  // Written as each part finishes, so a later failure keeps what was measured.
  if (!values['no-write']) writeSections(resultsFile, [section]);
}
if (!values['no-write']) console.log(`wrote ${sections.length} section(s) to ${resultsFile}`);
