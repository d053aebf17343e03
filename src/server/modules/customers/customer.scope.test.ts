import { describe, expect, it } from 'vitest';
import type { Actor } from '../../platform/actor.ts';
import { holdsNear, nearScope } from './customer.scope.ts';

const actor = (...grants: [string, string[]][]): Actor => ({
  kind: 'user',
  userId: 'u',
  username: 'u',
  displayName: 'u',
  mustChangePassword: false,
  grants: grants.map(([unitPath, p]) => ({ roleKey: 'r', permissions: new Set(p), unitId: unitPath, unitPath, atRoot: unitPath === '/g/' })),
});

describe('customer visibility: the whole company of a grant, never the group above it', () => {
  it('adds the companies above a department grant, not the root', () => {
    expect(nearScope(actor(['/g/a/kf/', ['customer:read']]), 'customer:read')).toEqual({ under: ['/g/a/kf/'], above: ['/g/a/'] });
    expect(nearScope(actor(['/g/a/kf/t1/', ['customer:read']]), 'customer:read').above.sort()).toEqual(['/g/a/', '/g/a/kf/']);
    expect(nearScope(actor(['/g/a/', ['customer:read']]), 'customer:read')).toEqual({ under: ['/g/a/'], above: [] });
    expect(nearScope(actor(['/g/a/kf/', ['ticket:read']]), 'customer:read')).toEqual({ under: [], above: [] });
  });
  it('holds near a company from a department in it, but not near another company or the group', () => {
    const agent = actor(['/g/a/kf/', ['ticket:create']]);
    expect(holdsNear(agent, 'ticket:create', '/g/a/')).toBe(true);
    expect(holdsNear(agent, 'ticket:create', '/g/a/kf/t1/')).toBe(true);
    expect(holdsNear(agent, 'ticket:create', '/g/b/')).toBe(false);
    expect(holdsNear(agent, 'ticket:create', '/g/')).toBe(false);
    expect(holdsNear(agent, 'customer:manage', '/g/a/')).toBe(false);
  });
});
