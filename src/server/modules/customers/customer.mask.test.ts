import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataCipher, loadDataKey } from './customer.crypto.ts';
import { dayIn, effectiveLevel, maskEmail, maskIdentifier, maskPhone, sectionsOf } from './customer.mask.ts';

describe('masking of protected values', () => {
  it('keeps only the ends of phones, e-mails and numbers', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone('+8613812341234')).toBe('+861****1234');
    expect(maskPhone('12345')).toBe('1***5');
    expect(maskEmail('wang.xiulan@example.com')).toBe('w***@example.com');
    expect(maskIdentifier('id_number', '41030219800101123X')).toBe('4103**********123X');
    expect(maskIdentifier('member_card', 'MD-880001')).toBe('*****0001');
  });
  it('declassifies from the day the period ends, in the company’s time zone', () => {
    expect(dayIn(new Date('2026-11-25T16:30:00Z'), 'Asia/Shanghai')).toBe('2026-11-26');
    expect(effectiveLevel('confidential', '2026-11-26', '2026-11-25')).toBe('confidential');
    expect(effectiveLevel('confidential', '2026-11-26', '2026-11-26')).toBe('ordinary');
    expect(effectiveLevel('secret', null, '2099-01-01')).toBe('secret');
    expect(effectiveLevel('bogus', null, '2026-01-01')).toBe('top_secret');
  });
  it('protects every section when the stored list is empty or unreadable', () => {
    expect(sectionsOf('["contact"]')).toEqual(['contact']);
    expect(sectionsOf('[]')).toEqual(['identifiers', 'contact', 'finance', 'notes']);
    expect(sectionsOf('nonsense')).toEqual(['identifiers', 'contact', 'finance', 'notes']);
  });
});

describe('the data key and cipher', () => {
  it('creates the key file once (0600) and reuses it; seals with a fresh IV; hashes stably', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-key-'));
    try {
      const file = join(dir, 'sub', 'data.key');
      const k1 = loadDataKey({ file });
      expect(k1).toHaveLength(32);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(loadDataKey({ file }).equals(k1)).toBe(true);
      expect(readFileSync(file, 'utf8').trim()).toBe(k1.toString('base64'));
      const c = dataCipher(k1);
      const a = c.seal('410302198001011234');
      expect(a).not.toBe(c.seal('410302198001011234'));
      expect(a).not.toContain('410302198001011234');
      expect(c.open(a)).toBe('410302198001011234');
      expect(c.hash('410302198001011234')).toBe(c.hash('410302198001011234'));
      expect(() => dataCipher(Buffer.alloc(32, 1)).open(a)).toThrow();
      const given = Buffer.alloc(32, 7).toString('base64');
      expect(loadDataKey({ value: given, file }).equals(Buffer.alloc(32, 7))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
