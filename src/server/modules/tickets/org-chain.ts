import type { Tx } from '../../../db/database.ts';
import type { OrgUnitRow } from '../org/org-unit.repository.ts';
import { ticketRepository } from './ticket.repository.ts';

/**
 * Walking up the org tree from a unit, for the rules of this module: a work order's company (its
 * number and time zone), a person's department (the department queue), the escalation chain.
 * Customers use it too; it belongs in the org module and lives here only because this change
 * did not touch that module.
 */
export const pathIds = (path: string) => path.split('/').filter(Boolean);

/** The unit at `path` and all its ancestors, root first. */
export async function unitChain(db: Tx, path: string): Promise<OrgUnitRow[]> {
  const ids = pathIds(path);
  const byId = new Map((await ticketRepository.unitsByIds(db, ids)).map((u) => [u.id, u]));
  return ids.map((id) => byId.get(id)).filter((u): u is OrgUnitRow => !!u);
}

/** The company (分公司/分店) of a chain: the nearest company at or above its last unit; the root when there is none. */
export function companyOf(chain: OrgUnitRow[]): OrgUnitRow {
  return [...chain].reverse().find((u) => u.kind === 'company') ?? chain[0];
}

/** The nearest department at or above the last unit of a chain. */
export function departmentOf(chain: OrgUnitRow[]): OrgUnitRow | undefined {
  return [...chain].reverse().find((u) => u.kind === 'department');
}

/** From the last unit of a chain up to and including its company: where escalations look for supervisors. */
export function upToCompany(chain: OrgUnitRow[]): OrgUnitRow[] {
  const company = companyOf(chain);
  return chain.slice(chain.indexOf(company)).reverse();
}
