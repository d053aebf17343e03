import { createCipheriv, createDecipheriv, randomBytes, createHash, createSecretKey, type KeyObject } from 'node:crypto';
import { pooledRandomBytes } from '../../platform/ids.ts';

/**
 * Personal values inside audit entries are sealed with a key per data subject (a customer, a
 * staff member). Lawful erasure destroys the key: the entries and their hashes stay intact and
 * the chain still verifies, but the values can no longer be read by anyone.
 */
export interface SealedValue {
  enc: string;
}

export function newSubjectKey(): string {
  return randomBytes(32).toString('base64');
}

/** A subject key ready for several sealValue calls (building the key object once is most of a seal's cost). */
export function subjectKeyObject(keyB64: string): KeyObject {
  return createSecretKey(Buffer.from(keyB64, 'base64'));
}

export function sealValue(key: string | KeyObject, value: unknown): SealedValue {
  const iv = pooledRandomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', typeof key === 'string' ? Buffer.from(key, 'base64') : key, iv);
  const ct = Buffer.concat([cipher.update(JSON.stringify(value ?? null), 'utf8'), cipher.final()]);
  return { enc: Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64') };
}

export function openValue(keyB64: string, sealed: SealedValue): unknown {
  const raw = Buffer.from(sealed.enc, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(keyB64, 'base64'), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  const pt = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
  return JSON.parse(pt.toString('utf8'));
}

export function isSealed(v: unknown): v is SealedValue {
  return typeof v === 'object' && v !== null && typeof (v as SealedValue).enc === 'string' && Object.keys(v).length === 1;
}

/** JSON with sorted keys: the same entry always hashes to the same bytes. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value as object).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

export function linkHash(prevHash: string, payload: unknown): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(payload)).digest('hex');
}
