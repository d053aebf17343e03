import { useMemo } from 'react';
import type { Role, User } from '../../../contracts/api.ts';
import { builtInRoles } from '../../../contracts/permissions.ts';
import { rolesApi } from '../../endpoints.ts';
import { pick, type Language } from '../../i18n/index.ts';
import { byName } from '../../ui/format.ts';
import { useLoaded } from '../../ui/useLoaded.ts';

export const roleName = (r: Pick<Role, 'nameZh' | 'nameEn'>, lang: Language) => pick(r.nameZh, r.nameEn, lang);

/** A grant's role in the UI language: from the role list when readable, else the built-in catalog, else its key. */
export function grantRoleName(g: User['grants'][number], roles: Map<string, Role>, lang: Language): string {
  const r = roles.get(g.roleId);
  if (r) return roleName(r, lang);
  const b = builtInRoles.find((x) => x.key === g.roleKey);
  return b ? pick(b.zh, b.en, lang) : g.roleKey;
}

/** The roles (when the person may read them), sorted built-in first, then by name. */
export function useRoles(enabled: boolean, lang: Language) {
  const { data: roles, loading, error, reload } = useLoaded(rolesApi.list, [], enabled);
  const sorted = useMemo(
    () => [...roles].sort((a, b) => Number(b.builtIn) - Number(a.builtIn) || byName(roleName(a, lang), roleName(b, lang))),
    [roles, lang],
  );
  const byId = useMemo(() => new Map(roles.map((r) => [r.id, r])), [roles]);
  return { roles: sorted, byId, loading, error, reload };
}
