import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy, generatePassword, hashPassword, verifyPassword } from './password.ts';

describe('passwords', () => {
  it('are stored as argon2id and verified', async () => {
    const hash = await hashPassword('Correct-horse-42');
    expect(hash.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(hash, 'Correct-horse-42')).toBe(true);
    expect(await verifyPassword(hash, 'correct-horse-42')).toBe(false);
    expect(await verifyPassword('not-a-hash', 'x')).toBe(false);
  });
  it('follow the policy', () => {
    const check = (p: string) => () => checkPasswordPolicy(p, 'liu.yang', 'password', 'en');
    expect(check('short')).toThrow();
    expect(check('my-liu.yang-pass')).toThrow();
    expect(check('aaaaaaaaaaaaaaa')).toThrow();
    expect(check('123456789012')).toThrow();
    expect(check('长城饭店客服中心二〇二六年')).not.toThrow();
    expect(check('Correct-horse-42')).not.toThrow();
  });
  it('generates one-time passwords that pass the policy', () => {
    const p = generatePassword();
    expect(p).toHaveLength(16);
    expect(() => checkPasswordPolicy(p, 'admin', 'password', 'zh')).not.toThrow();
    expect(generatePassword()).not.toBe(p);
  });
});
