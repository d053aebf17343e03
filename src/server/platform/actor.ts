import { sql, type Expression, type SqlBool } from 'kysely';
import { permissionCatalog, type Permission } from '../../contracts/permissions.ts';

/** A role held in an org unit; it covers the unit's subtree. */
export interface Grant {
  roleKey: string;
  permissions: ReadonlySet<string>;
  unitId: string;
  unitPath: string;
  /** The unit is a root of the tree (a group). */
  atRoot: boolean;
}

export interface Actor {
  kind: 'user' | 'token' | 'system';
  userId: string | null;
  username: string;
  displayName: string;
  /** The person's own unit, as read with their grants for this request (absent for the system and the anonymous). */
  orgUnitId?: string;
  tokenId?: string;
  sessionId?: string;
  mustChangePassword: boolean;
  grants: readonly Grant[];
}

export const systemActor = (name = 'system'): Actor => ({
  kind: 'system',
  userId: null,
  username: name,
  displayName: name,
  mustChangePassword: false,
  grants: [],
});

/** True when the actor holds the permission anywhere (the route-level gate). */
export function holdsAnywhere(actor: Actor, permission: Permission): boolean {
  if (actor.kind === 'system') return true;
  const global = permissionCatalog[permission].global;
  return actor.grants.some((g) => g.permissions.has(permission) && (!global || g.atRoot));
}

/** True when the actor holds the permission over the unit at `unitPath`. */
export function holdsIn(actor: Actor, permission: Permission, unitPath: string): boolean {
  if (actor.kind === 'system') return true;
  return actor.grants.some((g) => g.permissions.has(permission) && unitPath.startsWith(g.unitPath));
}

/** True when the actor holds the permission at a root unit: it sees the whole tree, and unit-less records. */
export function holdsAtRoot(actor: Actor, permission: Permission): boolean {
  if (actor.kind === 'system') return true;
  return actor.grants.some((g) => g.permissions.has(permission) && g.atRoot);
}

/** The subtree prefixes where the actor holds the permission, with nested ones folded into their ancestor. */
export function scopePaths(actor: Actor, permission: Permission): string[] {
  if (actor.kind === 'system') return ['/'];
  const paths = [...new Set(actor.grants.filter((g) => g.permissions.has(permission)).map((g) => g.unitPath))].sort();
  return paths.filter((p, i) => !paths.slice(0, i).some((q) => p.startsWith(q)));
}

/**
 * The SQL scope for a list or read: the path column must lie under one of the actor's subtrees.
 * With no grant it is `1 = 0`: nothing is visible unless a grant says so (deny by default).
 */
export function inScope(pathColumn: Expression<string>, paths: string[]): Expression<SqlBool> {
  if (paths.length === 0) return sql<SqlBool>`1 = 0`;
  if (paths.includes('/')) return sql<SqlBool>`1 = 1`;
  const parts = paths.map((p) => sql`${pathColumn} like ${p + '%'}`);
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}
