import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startTarget, type RunningTarget, type TargetSpec } from './targets.ts';

const runTs = fileURLToPath(new URL('../../bin/run-ts.js', import.meta.url));
const entry = fileURLToPath(new URL('./target-process.ts', import.meta.url));

type Hello = { url: string } | { error: string };

/** The line of a dying process's stderr that says why, to name it in the report. */
const FATAL_LINE = /^.*(Assertion failed|FATAL ERROR|Segmentation fault|Uncaught|Error:).*$/m;

interface Child extends RunningTarget {
  /** Why the process ended before stop() was called, or null while it is up. */
  ended(): string | null;
}

/** The child was killed by a signal (e.g. SIGABRT) rather than failing cleanly: worth another start. */
class ChildDied extends Error {}

async function startChild(spec: TargetSpec, name: string): Promise<Child> {
  // BENCH_TARGET_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", goes to the servers' Node only.
  const extra = (process.env.BENCH_TARGET_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child = fork(runTs, [entry, JSON.stringify(spec)], { stdio: ['ignore', 'inherit', 'pipe', 'ipc'], execArgv: [...process.execArgv, ...extra] });
  // Passed through, and the tail kept to say why the process died.
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-8192);
  });
  let stopping = false;
  let ended: string | null = null;
  let bySignal = false;
  const exited = new Promise<void>((resolve) =>
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      bySignal = signal !== null;
      ended = signal ? `killed by ${signal}` : `exit code ${code}`;
      const why = FATAL_LINE.exec(stderrTail)?.[0].replace(/^[\s#]+/, '').trim();
      if (why) ended += ` (${why.slice(0, 160)})`;
      if (!stopping) console.error(`  !! ${name} server (pid ${child.pid}) ended unexpectedly: ${ended}`);
      resolve();
    }),
  );
  const hello = await new Promise<Hello>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Hello));
    child.once('error', reject);
    // Killed (e.g. SIGABRT): worth another start. Exited on its own: a plain start-up failure.
    void exited.then(() => reject(bySignal ? new ChildDied(`${ended} during start-up`) : new Error(`${name} server ${ended} during start-up`)));
  });
  if ('error' in hello) {
    await exited;
    throw new Error(`${name} server failed to start:\n${hello.error}`);
  }
  return {
    url: hello.url,
    ended: () => (stopping ? null : ended),
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send('stop');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * A server under load, in its own Node process (so its event loop does not share a thread with
 * the load generator), or in the harness process with `inProcess`.
 *
 * A child process that dies (rather than failing cleanly) is started again on the same data and
 * the step that was running is repeated, up to `attempts` times in a row; every such death is
 * recorded in `crashes` for the report, so a crash neither ends the run nor goes unnoticed.
 */
export class Target {
  readonly crashes: string[] = [];
  private current: Child | null = null;
  private readonly spec: TargetSpec;
  readonly name: string;
  private readonly inProcess: boolean;
  private readonly attempts: number;

  private constructor(spec: TargetSpec, name: string, opts: { inProcess?: boolean; attempts?: number }) {
    this.spec = spec;
    this.name = name;
    this.inProcess = opts.inProcess ?? false;
    this.attempts = opts.attempts ?? 5;
  }

  static async start(spec: TargetSpec, name: string, opts: { inProcess?: boolean; attempts?: number } = {}): Promise<Target> {
    const t = new Target(spec, name, opts);
    await t.ensureUp('start-up');
    return t;
  }

  get url(): string {
    if (!this.current) throw new Error(`${this.name} server is not running`);
    return this.current.url;
  }

  private async ensureUp(step: string): Promise<void> {
    const died = this.current?.ended();
    if (died) {
      this.crashes.push(`${died}, found before ${step}`);
      this.current = null;
    }
    for (let tries = 1; !this.current; tries++) {
      try {
        if (this.inProcess) {
          const t = await startTarget(this.spec);
          this.current = { ...t, ended: () => null };
        } else {
          this.current = await startChild(this.spec, this.name);
        }
      } catch (err) {
        if (!(err instanceof ChildDied) || tries >= this.attempts) throw err;
        this.crashes.push(step === 'start-up' ? err.message : `${err.message}, restarting before ${step}`);
      }
    }
  }

  /** Runs `op` against the live server; if the server died meanwhile, restarts it and runs `op` again. */
  async run<T>(step: string, op: () => Promise<T>): Promise<T> {
    for (let tries = 1; ; tries++) {
      await this.ensureUp(step);
      try {
        return await op();
      } catch (err) {
        const died = this.current?.ended();
        if (!died) throw err;
        this.crashes.push(`${died} during ${step}`);
        this.current = null;
        if (tries >= this.attempts) throw new Error(`${this.name} server died ${tries} times during ${step}`, { cause: err });
        console.error(`  !! repeating ${step} on a restarted ${this.name} server`);
      }
    }
  }

  async stop(): Promise<void> {
    const c = this.current;
    this.current = null;
    await c?.stop();
  }
}
