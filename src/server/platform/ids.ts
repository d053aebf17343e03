import { randomBytes, createHash } from 'node:crypto';

// A few small randomBytes calls per request cost more than the request's SQL (bench/README.md):
// draw from a 4 KiB buffer of the same CSPRNG instead, as Node's own randomUUID does.
const POOL = 4096;
let pool = Buffer.alloc(0);
let offset = POOL;

/** `n` (≤ 256) fresh bytes from the CSPRNG, in a buffer of their own, drawn from a pool refilled 4 KiB at a time. */
export function pooledRandomBytes(n: number): Buffer {
  if (n > 256) return randomBytes(n);
  if (offset + n > pool.length) {
    pool = randomBytes(POOL);
    offset = 0;
  }
  const out = Buffer.from(pool.subarray(offset, offset + n));
  pool.fill(0, offset, offset + n); // handed out once: not kept in the pool
  offset += n;
  return out;
}

/**
 * UUIDv7: time-ordered (good index locality on both engines) and 74 random bits, so an id
 * cannot be guessed from another (the Zammad upload-id lesson).
 */
export function newId(now: number = Date.now()): string {
  const b = pooledRandomBytes(16);
  b[0] = Math.floor(now / 2 ** 40) & 0xff;
  b[1] = Math.floor(now / 2 ** 32) & 0xff;
  b[2] = (now >>> 24) & 0xff;
  b[3] = (now >>> 16) & 0xff;
  b[4] = (now >>> 8) & 0xff;
  b[5] = now & 0xff;
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A secret for a cookie or a token: 32 random bytes, base64url. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
