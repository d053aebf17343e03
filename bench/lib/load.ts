import autocannon from 'autocannon';

/** The same for every HTTP measurement of a run, baselines included. */
export interface LoadSettings {
  /** Measured seconds per measurement. */
  seconds: number;
  /** Unrecorded seconds of the same load just before each measurement. */
  warmupSeconds: number;
  /** Concurrent keep-alive connections (each has one request in flight). */
  connections: number;
}

/** One kind of request, fired over and over. */
export interface HttpLoad {
  /** Base URL of the server under load, e.g. http://127.0.0.1:3000 — only loopback is accepted. */
  url: string;
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  /** A fresh JSON body for every request (e.g. with a unique code). */
  body?: () => unknown;
}

export interface Measurement {
  /** Mean of autocannon's per-second samples. */
  reqPerSec: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** 2xx responses counted in the measured window. */
  ok: number;
  seconds: number;
}

export class LoadFailure extends Error {}

interface Fired {
  result: autocannon.Result;
  /** Every response time, ms (autocannon's own histogram rounds to whole milliseconds). */
  latencies: Float64Array;
  firstFailure: string | null;
}

function fire(load: HttpLoad, seconds: number, connections: number): Promise<Fired> {
  const target = new URL(load.url);
  if (target.hostname !== '127.0.0.1' && target.hostname !== 'localhost' && target.hostname !== '[::1]') {
    throw new LoadFailure(`refusing to load ${load.url}: the harness only targets loopback`);
  }
  let latencies = new Float64Array(1 << 16);
  let n = 0;
  let firstFailure: string | null = null;
  const headers: Record<string, string> = { ...load.headers };
  const bodyOf = load.body;
  if (bodyOf) headers['content-type'] = 'application/json';
  const request: autocannon.Request = {
    method: load.method,
    path: load.path,
    headers,
    onResponse: (status, body) => {
      if ((status < 200 || status >= 300) && firstFailure === null) firstFailure = `${status} ${body.slice(0, 300)}`;
    },
  };
  // Called for every request autocannon sends, the first one included.
  if (bodyOf) request.setupRequest = (req) => ({ ...req, body: JSON.stringify(bodyOf()) });
  return new Promise<Fired>((resolve, reject) => {
    const instance = autocannon({ url: load.url, connections, duration: seconds, requests: [request] }, (err, result) => {
      if (err) reject(err);
      else resolve({ result, latencies: latencies.subarray(0, n), firstFailure });
    });
    instance.on('response', (_client, _status, _bytes, ms) => {
      if (n === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[n++] = ms;
    });
  });
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

function check(label: string, phase: string, f: Fired): void {
  const r = f.result;
  if (r.non2xx > 0 || r.errors > 0 || r.timeouts > 0) {
    const codes = Object.entries(r.statusCodeStats)
      .map(([code, { count }]) => `${code}×${count}`)
      .join(', ');
    throw new LoadFailure(
      `${label} (${phase}): ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts [${codes}]` +
        (f.firstFailure ? `; first failure: ${f.firstFailure}` : ''),
    );
  }
  if (r['2xx'] === 0) throw new LoadFailure(`${label} (${phase}): no response at all`);
}

/** Warm-up, then the measured window; any non-2xx, socket error or timeout fails the run. */
export async function measure(label: string, load: HttpLoad, settings: LoadSettings): Promise<Measurement> {
  if (settings.warmupSeconds > 0) check(label, 'warm-up', await fire(load, settings.warmupSeconds, settings.connections));
  const fired = await fire(load, settings.seconds, settings.connections);
  check(label, 'measurement', fired);
  const sorted = fired.latencies.slice().sort();
  return {
    reqPerSec: fired.result.requests.average,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
    ok: fired.result['2xx'],
    seconds: fired.result.duration,
  };
}

/** Counts how often `op` completes in `seconds`, timing each call; for baselines without HTTP. */
export function measureLoop(seconds: number, op: () => void): Measurement {
  const deadline = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  let times = new Float64Array(1 << 20);
  let n = 0;
  const start = process.hrtime.bigint();
  let now = start;
  while (now < deadline) {
    op();
    const after = process.hrtime.bigint();
    if (n === times.length) {
      const grown = new Float64Array(times.length * 2);
      grown.set(times);
      times = grown;
    }
    times[n++] = Number(after - now) / 1e6;
    now = after;
  }
  const elapsed = Number(now - start) / 1e9;
  const sorted = times.subarray(0, n).slice().sort();
  return { reqPerSec: n / elapsed, p50Ms: percentile(sorted, 50), p95Ms: percentile(sorted, 95), p99Ms: percentile(sorted, 99), ok: n, seconds: elapsed };
}
