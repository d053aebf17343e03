import { describe, expect, it } from 'vitest';
import type { Actor } from './actor.ts';
import { holdsAnywhere, holdsAtRoot, holdsIn, scopePaths } from './actor.ts';
import { ConfigError, loadConfig } from './config.ts';
import { langOf } from './i18n.ts';
import { newId } from './ids.ts';

const grant = (roleKey: string, permissions: string[], unitPath: string, atRoot = false) => ({ roleKey, permissions: new Set(permissions), unitId: unitPath, unitPath, atRoot });
const actor = (grants: ReturnType<typeof grant>[]): Actor => ({ kind: 'user', userId: 'u', username: 'u', displayName: 'u', mustChangePassword: false, grants });

describe('ids', () => {
  it('are time-ordered UUIDv7 whose random part cannot be guessed from a neighbour (Zammad CVE-2024-33668)', () => {
    const a = newId(1_780_000_000_000);
    const b = newId(1_780_000_000_000);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.slice(0, 13)).toBe(b.slice(0, 13));
    expect(a.slice(14)).not.toBe(b.slice(14));
    expect(newId(1_780_000_000_001) > newId(1_780_000_000_000)).toBe(true);
  });
});

describe('scope', () => {
  const branchManager = actor([grant('manager', ['user:read', 'user:manage'], '/g/a/')]);
  it('covers the subtree of the unit a role is held in, nothing beside it', () => {
    expect(holdsIn(branchManager, 'user:read', '/g/a/kf/')).toBe(true);
    expect(holdsIn(branchManager, 'user:read', '/g/b/kf/')).toBe(false);
    expect(holdsIn(branchManager, 'user:read', '/g/')).toBe(false);
    expect(holdsIn(branchManager, 'audit:read', '/g/a/')).toBe(false);
  });
  it('folds nested grants into their ancestor and gives nothing without a grant', () => {
    const a = actor([grant('x', ['user:read'], '/g/a/kf/'), grant('y', ['user:read'], '/g/a/'), grant('z', ['user:read'], '/g/b/')]);
    expect(scopePaths(a, 'user:read')).toEqual(['/g/a/', '/g/b/']);
    expect(scopePaths(a, 'org:manage')).toEqual([]);
  });
  it('counts a global permission only at the root', () => {
    expect(holdsAnywhere(actor([grant('admin', ['role:manage'], '/g/a/')]), 'role:manage')).toBe(false);
    expect(holdsAnywhere(actor([grant('admin', ['role:manage'], '/g/', true)]), 'role:manage')).toBe(true);
    expect(holdsAtRoot(branchManager, 'user:read')).toBe(false);
  });
});

describe('language', () => {
  it('is Chinese unless English is preferred', () => {
    expect(langOf(undefined)).toBe('zh');
    expect(langOf('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh');
    expect(langOf('en-US,en;q=0.9')).toBe('en');
    expect(langOf('fr-FR, en;q=0.5')).toBe('en');
    expect(langOf('de')).toBe('zh');
  });
});

describe('configuration', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir.endsWith('/data')).toBe(true);
  });
  it('stops with a message naming each bad value', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ KEFU_SQLITE_SYNCHRONOUS: 'OFF' })).toThrow(/KEFU_SQLITE_SYNCHRONOUS/);
  });
});
