import { describe, expect, it } from 'vitest';
import { canonicalJson, linkHash, newSubjectKey, openValue, sealValue } from './audit.crypto.ts';

describe('audit crypto', () => {
  it('hashes the same entry to the same value whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 2], c: null } })).toBe('{"a":{"c":null,"d":[1,2]},"b":1}');
    expect(linkHash('p', { a: 1, b: 2 })).toBe(linkHash('p', { b: 2, a: 1 }));
    expect(linkHash('p', { a: 1 })).not.toBe(linkHash('q', { a: 1 }));
  });
  it('opens a sealed value only with its own subject key', () => {
    const key = newSubjectKey();
    const sealed = sealValue(key, '13812345678');
    expect(sealed.enc).not.toContain('1381234');
    expect(openValue(key, sealed)).toBe('13812345678');
    expect(() => openValue(newSubjectKey(), sealed)).toThrow();
  });
});
