import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Encryption of customer-file secrets at rest (ID numbers 身份证号).
 *
 * The master key is 32 bytes: `KEFU_DATA_KEY` (base64) when set — required when several instances share
 * one PostgreSQL database — else `<data dir>/data.key`, created on first start (mode 0600, exclusive
 * create, so two starts never make two keys). Losing the key loses the ID numbers; back it up with the
 * database, but not in the same place. It is never logged or returned. Two keys are derived (HKDF-SHA256):
 * one for AES-256-GCM (random 96-bit IV per value, `v1.<base64 iv‖tag‖ciphertext>`), one for the
 * HMAC-SHA256 that makes exact lookup possible without decrypting (the stored `lookup`).
 */
export interface DataCipher {
  seal(plain: string): string;
  open(sealed: string): string;
  hash(plain: string): string;
}

export function loadDataKey(cfg: { value?: string; file: string }): Buffer {
  if (cfg.value) return checked(Buffer.from(cfg.value, 'base64'));
  try {
    return checked(Buffer.from(readFileSync(cfg.file, 'utf8').trim(), 'base64'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dirname(cfg.file), { recursive: true });
  try {
    writeFileSync(cfg.file, `${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return checked(Buffer.from(readFileSync(cfg.file, 'utf8').trim(), 'base64'));
}

function checked(key: Buffer): Buffer {
  if (key.length !== 32) throw new Error('The customer data key must be 32 bytes (base64) 客户数据密钥须为 32 字节');
  return key;
}

export function dataCipher(master: Buffer): DataCipher {
  const enc = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'kefu customer-file aes-256-gcm v1', 32));
  const mac = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'kefu customer-file hmac v1', 32));
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', enc, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return `v1.${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')}`;
    },
    open(sealed) {
      if (!sealed.startsWith('v1.')) throw new Error('unknown sealed format');
      const raw = Buffer.from(sealed.slice(3), 'base64');
      const d = createDecipheriv('aes-256-gcm', enc, raw.subarray(0, 12));
      d.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
    },
    hash(plain) {
      return createHmac('sha256', mac).update(plain, 'utf8').digest('hex');
    },
  };
}
