import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** Runs the real `kefu` command (bin/kefu.js) as child processes, the way an operator would. */

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/kefu.js', import.meta.url));

/** Every child still alive, so a failing test cannot leave one behind (see killAll). */
const live = new Set<ChildProcess>();

/**
 * Preloaded into a served child: when this test process dies without cleaning up (a crashed
 * worker), the child's stdin pipe closes and the server stops itself instead of living on.
 * The unref'd stdin does not keep the process alive on its own.
 */
const orphanGuard = `data:text/javascript,${encodeURIComponent('process.stdin.on("end", () => process.kill(process.pid, "SIGTERM")).resume().unref();')}`;

export interface Target {
  dataDir: string;
  databaseUrl?: string;
}

/**
 * The environment of a child: the caller's, minus every Kefu setting it may carry, plus the
 * database under test. `extra` values of undefined remove a key.
 */
export function kefuEnv(target: Target, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('KEFU_') || ['DATABASE_URL', 'PORT', 'HOST', 'LOG_LEVEL'].includes(k)) continue;
    env[k] = v;
  }
  env.KEFU_DATA_DIR = target.dataDir;
  if (target.databaseUrl) env.DATABASE_URL = target.databaseUrl;
  env.LOG_LEVEL = 'warn';
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `node bin/kefu.js …args`; resolves when it exits, rejects (after SIGKILL) if it outlives the timeout. */
export function runKefu(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kefu ${args.join(' ')} timed out after ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      live.delete(child);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** A port nobody listens on right now (the OS picks it; a small race with other processes is accepted). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface Served {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the server wrote so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves on the first stdout chunk for which `test(stdout so far)` holds, or rejects after timeoutMs. */
  waitForStdout(test: (stdout: string) => boolean, timeoutMs?: number): Promise<void>;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends a signal and waits for the exit (SIGKILL after timeoutMs). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * `kefu serve` on a free port of 127.0.0.1, resolved once GET /api/health answers 200.
 * Readiness is polled a bounded number of times; an early exit fails at once with the server's output.
 */
export async function startServe(env: NodeJS.ProcessEnv, opts: { tries?: number; intervalMs?: number } = {}): Promise<Served> {
  const port = await freePort();
  const child = spawn(process.execPath, [`--import=${orphanGuard}`, bin, 'serve'], {
    cwd: root,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  live.add(child);
  let stdout = '';
  let stderr = '';
  const watchers = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    for (const w of watchers) w();
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      live.delete(child);
      exitInfo = { code, signal };
      for (const w of watchers) w();
      resolve(exitInfo);
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const served: Served = {
    url,
    port,
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitForStdout(test, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (test(stdout)) done(null);
          else if (exitInfo) done(new Error(`server exited (${JSON.stringify(exitInfo)}) while waiting\nstderr: ${stderr}`));
        };
        const timer = setTimeout(() => done(new Error(`timed out waiting for server output\nstdout tail: ${stdout.slice(-2000)}`)), timeoutMs);
        const done = (err: Error | null) => {
          clearTimeout(timer);
          watchers.delete(check);
          if (err) reject(err);
          else resolve();
        };
        watchers.add(check);
        check();
      });
    },
    async stop(signal = 'SIGTERM', timeoutMs = 15_000) {
      if (exitInfo) return exitInfo;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };

  const tries = opts.tries ?? 200;
  const intervalMs = opts.intervalMs ?? 100;
  for (let i = 0; i < tries; i++) {
    if (exitInfo) throw new Error(`kefu serve exited before it was ready (${JSON.stringify(exitInfo)})\nstdout: ${stdout}\nstderr: ${stderr}`);
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) {
        await res.arrayBuffer();
        return served;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  child.kill('SIGKILL');
  await exited;
  throw new Error(`kefu serve did not answer /api/health after ${tries} tries\nstdout: ${stdout}\nstderr: ${stderr}`);
}

/** SIGKILLs every child this module started that is still running (test clean-up). */
export async function killAll(): Promise<void> {
  const waits = [...live].map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('close', () => resolve());
        child.kill('SIGKILL');
      }),
  );
  live.clear();
  await Promise.all(waits);
}

/** A signed-in API client against a served instance: the session cookie and the CSRF token of the login. */
export interface ApiSession {
  cookie: string;
  csrf: string;
  me: { user: { id: string; username: string; displayName: string; mustChangePassword: boolean; orgUnitId: string; grants: { roleKey?: string }[] } };
  request(method: string, path: string, body?: unknown): Promise<Response>;
}

export async function loginRaw(url: string, username: string, password: string): Promise<Response> {
  return fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': 'en' },
    body: JSON.stringify({ username, password }),
  });
}

export async function login(url: string, username: string, password: string): Promise<ApiSession> {
  const res = await loginRaw(url, username, password);
  const body = await res.text();
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${body}`);
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('kefu_session='));
  if (!setCookie) throw new Error('login: no kefu_session cookie');
  const cookie = setCookie.split(';')[0];
  const me = JSON.parse(body);
  return {
    cookie,
    csrf: me.csrfToken,
    me,
    request: (method, path, payload) =>
      fetch(`${url}${path}`, {
        method,
        headers: {
          cookie,
          'x-csrf-token': me.csrfToken,
          'accept-language': 'en',
          ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: payload !== undefined ? JSON.stringify(payload) : undefined,
      }),
  };
}
