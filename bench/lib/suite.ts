import type { LoadSettings } from './load.ts';

/** What every suite gets from bench/run.ts. */
export interface BenchContext {
  load: LoadSettings;
  /** Interleaved rounds of every measurement; the medians are reported. */
  rounds: number;
  /** Run the servers inside the harness process instead of child processes. */
  inProcess: boolean;
  pgAdminUrl: string;
  /** How this run was started, to print under the results. */
  command: string;
  log(line: string): void;
}

/** One replaceable part of bench/RESULTS.md. */
export interface Section {
  /** Stable key, `<suite>/<variant>`; a later run of the same key replaces the section. */
  id: string;
  markdown: string;
}

/**
 * A benchmark file exports one Suite. Variants (e.g. database engines) run and are written
 * separately, so `--only sqlite` refreshes the SQLite section and leaves the others as they were.
 */
export interface Suite {
  name: string;
  variants: readonly string[];
  /** Variants that need PostgreSQL; run.ts checks the server is reachable first. */
  needsPostgres?: (variant: string) => boolean;
  run(variant: string, ctx: BenchContext): Promise<Section>;
}
