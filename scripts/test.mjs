#!/usr/bin/env node
// `npm test`: the whole suite. Unit, integration on SQLite and on PostgreSQL, and the console in Chromium.
// Where PostgreSQL or Chromium is missing it says so and skips that half — except under CI, where both are required.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const ci = process.env.CI === 'true' || process.env.CI === '1';
const pgUrl = process.env.KEFU_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const chromium = process.env.KEFU_CHROMIUM ?? '/usr/bin/chromium';
const projects = ['unit', 'sqlite'];
const skipped = [];

const client = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 3000 });
try {
  await client.connect();
  await client.end();
  projects.push('postgres');
} catch (err) {
  if (ci) {
    console.error(`PostgreSQL is required under CI but ${pgUrl} is not reachable: ${err.message}`);
    process.exit(1);
  }
  skipped.push(`PostgreSQL (${pgUrl} not reachable: ${err.message}) — the PostgreSQL half of the integration tests was SKIPPED`);
}

if (existsSync(chromium)) {
  const build = spawnSync(process.execPath, ['bin/kefu.js', 'build-web'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  projects.push('e2e');
} else if (ci) {
  console.error(`Chromium is required under CI but ${chromium} is missing`);
  process.exit(1);
} else {
  skipped.push(`Chromium (${chromium} missing; apt-get install -y chromium) — the end-to-end tests were SKIPPED`);
}

for (const s of skipped) console.warn(`\n!! ${s}\n`);
// Two runs: the server-side projects first, then the console in Chromium on its own. Together on two
// shared cores the integration files starve the browser and its served instance (a toast waited for
// longer than 15 s on a loaded CI machine); one after the other, each run has the machine to itself.
const extra = process.argv.slice(2);
const runs = [projects.filter((p) => p !== 'e2e'), projects.filter((p) => p === 'e2e')].filter((r) => r.length > 0);
const dir = mkdtempSync(join(tmpdir(), 'kefu-test-'));
let status = 0;
const totals = { passed: 0, failed: 0, skipped: 0 };
for (const [i, run] of runs.entries()) {
  const report = join(dir, `report-${i}.json`);
  const args = [
    'node_modules/vitest/vitest.mjs',
    'run',
    ...run.flatMap((p) => ['--project', p]),
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    // A file filter given to `npm test` may match files of one run only.
    ...(extra.length > 0 ? ['--passWithNoTests'] : []),
    ...extra,
  ];
  const r = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...process.env, KEFU_TEST_PG_URL: pgUrl } });
  if (r.status !== 0) status = r.status ?? 1;
  if (existsSync(report)) {
    const j = JSON.parse(readFileSync(report, 'utf8'));
    totals.passed += j.numPassedTests;
    totals.failed += j.numFailedTests;
    totals.skipped += j.numPendingTests + j.numTodoTests;
  } else if (status === 0) status = 1;
}
for (const s of skipped) console.warn(`!! ${s}`);
// One plain closing line that any CI can read.
console.log(`\nprojects: ${projects.join(', ')}`);
console.log(`Tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(status);
