import argon2 from 'argon2';
import { randomInt } from 'node:crypto';
import type { Lang } from '../../../contracts/errors.ts';
import { AppError } from '../../platform/errors.ts';

/** argon2id at OWASP's recommended floor (19 MiB, t=2, p=1): ~20 ms here, and it does not starve a 2-core server. */
const params = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => argon2.hash(password, params);

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
/** Spends the same time as a real check, so a wrong username is not told apart by timing. */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummy ??= hashPassword('kefu-timing-equaliser');
  await verifyPassword(await dummy, password);
}

const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
export function generatePassword(length = 16): string {
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[randomInt(alphabet.length)];
  return s;
}

export const PASSWORD_MIN = 12;
const common = new Set(['123456789012', '1234567890ab', 'password1234', 'qwertyuiop12', 'admin1234567', 'kefu12345678', 'aaaaaaaaaaaa', 'abc123456789', 'woaini123456', 'a1234567890b']);
const reasons = {
  short: { zh: `至少 ${PASSWORD_MIN} 个字符`, en: `at least ${PASSWORD_MIN} characters` },
  username: { zh: '不能包含用户名', en: 'must not contain the username' },
  common: { zh: '过于常见，请换一个', en: 'too common; choose another' },
  repeat: { zh: '不能是同一字符的重复', en: 'must not repeat one character' },
} as const;

/** ASVS 2.1: length over composition rules, no common or username-derived passwords. */
export function checkPasswordPolicy(password: string, username: string, field: string, lang: Lang): void {
  let reason: keyof typeof reasons | undefined;
  if ([...password].length < PASSWORD_MIN) reason = 'short';
  else if (username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) reason = 'username';
  else if (common.has(password.toLowerCase())) reason = 'common';
  else if (new Set(password).size === 1) reason = 'repeat';
  if (reason) throw new AppError('PASSWORD_POLICY', 400, { fields: [{ field, message: reasons[reason][lang] }] });
}
