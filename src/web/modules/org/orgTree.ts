import { useMemo } from 'react';
import type { OrgUnit } from '../../../contracts/api.ts';
import { orgApi, type UnitKind } from '../../endpoints.ts';
import { byName } from '../../ui/format.ts';
import { useLoaded } from '../../ui/useLoaded.ts';

/** The flat unit list as a tree, children in zh-CN name order; units whose parent is out of scope become roots. */
export interface UnitTreeNode {
  unit: OrgUnit;
  children?: UnitTreeNode[];
}

export function buildTree(units: OrgUnit[]): UnitTreeNode[] {
  const ids = new Set(units.map((u) => u.id));
  const kids = new Map<string | null, OrgUnit[]>();
  for (const u of units) {
    const parent = u.parentId && ids.has(u.parentId) ? u.parentId : null;
    kids.set(parent, [...(kids.get(parent) ?? []), u]);
  }
  const walk = (parent: string | null): UnitTreeNode[] =>
    (kids.get(parent) ?? [])
      .sort((a, b) => byName(a.name, b.name))
      .map((unit) => {
        const children = walk(unit.id);
        return children.length ? { unit, children } : { unit };
      });
  return walk(null);
}

export const kindRank: Record<UnitKind, number> = { group: 0, company: 1, department: 2, team: 3 };
export const unitKinds = Object.keys(kindRank) as UnitKind[];

/** The kinds a unit may have under a parent of this kind (or at the top). */
export function kindsUnder(parent: UnitKind | null): UnitKind[] {
  if (parent === null) return ['group', 'company'];
  return unitKinds.filter((k) => kindRank[k] > kindRank[parent]);
}

export interface UnitOption {
  value: string;
  title: string;
  disabled?: boolean;
  children?: UnitOption[];
}

/** Tree data for an antd TreeSelect, with some units not selectable. */
export function unitOptions(tree: UnitTreeNode[], disabled: (u: OrgUnit) => boolean = () => false): UnitOption[] {
  return tree.map((n) => ({
    value: n.unit.id,
    title: n.unit.name,
    disabled: disabled(n.unit),
    ...(n.children ? { children: unitOptions(n.children, disabled) } : {}),
  }));
}

/** The units in the person's org:read scope, with the tree and a lookup by id. */
export function useOrgUnits(enabled = true) {
  const { data: units, loading, error, reload } = useLoaded(orgApi.list, [], enabled);
  const tree = useMemo(() => buildTree(units), [units]);
  const byId = useMemo(() => new Map(units.map((u) => [u.id, u])), [units]);
  return { units, tree, byId, loading, error, reload };
}
