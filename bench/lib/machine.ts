import { readFileSync } from 'node:fs';
import os from 'node:os';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';

/** What a figure was measured on; written next to every result. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  sqlite: string;
  betterSqlite3: string;
  loadAverage: [number, number, number];
}

function packageVersion(name: string): string {
  try {
    const url = new URL(`../../node_modules/${name}/package.json`, import.meta.url);
    return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

export function machineInfo(): MachineInfo {
  const db = new BetterSqlite3(':memory:');
  const { v } = db.prepare('select sqlite_version() as v').get() as { v: string };
  db.close();
  const cpus = os.cpus();
  const [a, b, c] = os.loadavg();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    memoryGiB: os.totalmem() / 2 ** 30,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    sqlite: v,
    betterSqlite3: packageVersion('better-sqlite3'),
    loadAverage: [a, b, c],
  };
}

/** `select version()` of the PostgreSQL server at `url`. */
export async function postgresVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const r = await client.query<{ version: string }>('select version()');
    return r.rows[0].version;
  } finally {
    await client.end();
  }
}

export function describeMachine(m: MachineInfo, extra: string[] = []): string {
  const parts = [
    `${m.cpuModel}, ${m.cores} cores`,
    `${m.memoryGiB.toFixed(1)} GiB RAM`,
    m.os,
    `Node ${m.node}`,
    `SQLite ${m.sqlite} (better-sqlite3 ${m.betterSqlite3})`,
    ...extra,
  ];
  return `${parts.join(' · ')} · load average at start ${m.loadAverage.map((x) => x.toFixed(2)).join(' / ')}`;
}
