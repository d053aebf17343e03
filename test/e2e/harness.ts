import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import { kefuEnv, killAll, startServe } from '../cli/run.ts';

/**
 * The real thing for end-to-end tests: `kefu serve` as a child process on a free port with a
 * fresh SQLite data directory (and no preset admin password, so it prints a one-time one), and
 * Chromium driven by playwright-core. Nothing is built here: `npm test` builds dist/web first.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
export const CHROMIUM = process.env.KEFU_CHROMIUM ?? '/usr/bin/chromium';

export interface Harness {
  baseUrl: string;
  adminPassword: string;
  browser: Browser;
  /** A fresh browser profile (no cookies, no localStorage) at the console. */
  newContext(): Promise<BrowserContext>;
  newPage(): Promise<{ context: BrowserContext; page: Page }>;
  /** Server output so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      if (!address || typeof address === 'string') return reject(new Error('no port'));
      srv.close(() => resolve(address.port));
    });
  });
}

/** Resolves with the first match of `re` in the child's stdout; rejects when the child exits first or after `ms`. */
function waitForOutput(child: ChildProcess, log: { text: string }, re: RegExp, ms: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = log.text.match(re);
      if (!m) return false;
      cleanup();
      resolve(m);
      return true;
    };
    const onData = () => void check();
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`kefu serve exited (${code}) before printing ${re}:\n${log.text}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`kefu serve did not print ${re} within ${ms} ms:\n${log.text}`));
    }, ms);
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    check();
  });
}

interface Started {
  child: ChildProcess;
  log: { text: string };
  exited: Promise<void>;
  dataDir: string;
  adminPassword: string;
}

async function startServer(port: number, extraEnv: Record<string, string> = {}): Promise<Started> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kefu-e2e-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', KEFU_DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...extraEnv };
  delete env.KEFU_ADMIN_PASSWORD;
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, [join(root, 'bin/kefu.js'), 'serve'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = { text: '' };
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (log.text += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (log.text += s));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const [, adminPassword] = await waitForOutput(child, log, /one-time password 一次性密码: (\S+)/, 30_000);
    await waitForOutput(child, log, /is serving on/, 30_000);
    return { child, log, exited, dataDir, adminPassword };
  } catch (err) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/** `env`: extra server settings, e.g. KEFU_TEST_CLOCK=true for stories that move time. */
export async function startHarness(opts: { env?: Record<string, string> } = {}): Promise<Harness> {
  if (!existsSync(join(root, 'dist/web/index.html'))) {
    throw new Error('dist/web/index.html is missing: build the console first (npm run build:web, or npm test which builds it)');
  }
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install -y chromium, or set KEFU_CHROMIUM)`);

  const port = await freePort();
  const { child, log, exited, dataDir, adminPassword } = await startServer(port, opts.env);
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close().catch(() => {});
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const baseUrl = `http://127.0.0.1:${port}`;
    const health = await fetch(`${baseUrl}/api/health`);
    if (!health.ok) throw new Error(`GET /api/health answered ${health.status}`);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    });
    const b = browser;
    const newContext = async () => {
      const context = await b.newContext({ baseURL: baseUrl, locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
      context.setDefaultTimeout(15_000);
      return context;
    };
    return {
      baseUrl,
      adminPassword,
      browser: b,
      newContext,
      async newPage() {
        const context = await newContext();
        return { context, page: await context.newPage() };
      },
      output: () => log.text,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * A signed-in API caller (cookie session + CSRF token), for setting a story up quickly or for making a
 * change behind the console's back; with `newPassword` it replaces a one-time password first.
 */
export async function apiSession(baseUrl: string, username: string, password: string, newPassword?: string) {
  let cookie = '';
  let csrf = '';
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = { accept: 'application/json', 'accept-language': 'zh-CN' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (cookie) headers.cookie = cookie;
    if (csrf && method !== 'GET') headers['x-csrf-token'] = csrf;
    const res = await fetch(baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const set = res.headers.getSetCookie();
    if (set.length) cookie = set.map((c) => c.split(';')[0]).join('; ');
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
    return (res.status === 204 ? undefined : await res.json()) as T;
  };
  csrf = (await call<{ csrfToken: string }>('POST', '/api/auth/login', { username, password })).csrfToken;
  if (newPassword) {
    await call('POST', '/api/auth/password', { currentPassword: password, newPassword });
    csrf = (await call<{ csrfToken: string }>('GET', '/api/auth/me')).csrfToken;
  }
  return call;
}

/** What startServed answers: the server's address, its database opened alongside, and a zh-CN console page maker. */
export interface ServedConsole {
  url: string;
  db: DatabaseHandle;
  newPage(): Promise<{ context: BrowserContext; page: Page }>;
  stop(): Promise<void>;
}

/** `kefu serve` with a preset admin password in a fresh data directory (`name` labels it), its database, and Chromium. */
export async function startServed(name: string, adminPassword: string): Promise<ServedConsole> {
  const dataDir = mkdtempSync(join(tmpdir(), `kefu-e2e-${name}-`));
  let db: DatabaseHandle | undefined;
  let browser: Browser | undefined;
  let server: Awaited<ReturnType<typeof startServe>> | undefined;
  const stop = async () => {
    await browser?.close().catch(() => {});
    await db?.close();
    await server?.stop();
    await killAll();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    server = await startServe(kefuEnv({ dataDir }, { KEFU_ADMIN_PASSWORD: adminPassword }));
    db = openDatabase({ dataDir });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  } catch (err) {
    await stop();
    throw err;
  }
  const [url, b] = [server.url, browser];
  return {
    url,
    db,
    async newPage() {
      const context = await b.newContext({ baseURL: url, locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
      context.setDefaultTimeout(15_000);
      return { context, page: await context.newPage() };
    },
    stop,
  };
}
