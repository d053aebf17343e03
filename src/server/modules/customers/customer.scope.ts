import type { Permission } from '../../../contracts/permissions.ts';
import { holdsIn, scopePaths, type Actor } from '../../platform/actor.ts';
import { pathIds } from '../tickets/org-chain.ts';
import type { NearScope } from './customer.repository.ts';

/**
 * A customer belongs to a company (branch) and is visible to everyone whose grant lies in that
 * company, whether the grant is at the company or in one of its departments or teams.
 */

/** The grant subtrees, plus the units above each grant short of the root (see NearScope). */
export function nearScope(actor: Actor, permission: Permission): NearScope {
  const under = scopePaths(actor, permission);
  const above = new Set<string>();
  for (const p of under) {
    const ids = pathIds(p);
    for (let k = 2; k < ids.length; k++) above.add(`/${ids.slice(0, k).join('/')}/`);
  }
  return { under, above: [...above] };
}

/** True when the actor holds the permission over the unit or in a unit below it (the root excepted). */
export function holdsNear(actor: Actor, permission: Permission, unitPath: string): boolean {
  if (holdsIn(actor, permission, unitPath)) return true;
  return pathIds(unitPath).length >= 2 && actor.grants.some((g) => g.permissions.has(permission) && g.unitPath.startsWith(unitPath));
}
