import { apiSession } from './harness.ts';

/** API set-up the console stories share (quicker than clicking it together; the stories test the console). */

/** A signed-in API caller, as apiSession returns it. */
export type Api = Awaited<ReturnType<typeof apiSession>>;

/** Someone the story creates: signs in first with `initial` (one-time), then uses `password`. */
export interface Person {
  username: string;
  name: string;
  initial: string;
  password: string;
}

/** Adds a company (`branch`) under the group's root and the given departments beneath it; answers their ids. */
export async function addBranch(api: Api, branch: { name: string; code: string }, departments: { name: string; code: string }[]) {
  const root = (await api<{ id: string; kind: string }[]>('GET', '/api/org-units')).find((u) => u.kind === 'group')!;
  const unit = (parentId: string, kind: string, name: string, code: string) => api<{ id: string }>('POST', '/api/org-units', { parentId, kind, name, code });
  const company = await unit(root.id, 'company', branch.name, branch.code);
  const made: { id: string }[] = [];
  for (const d of departments) made.push(await unit(company.id, 'department', d.name, d.code));
  return { rootId: root.id, branchId: company.id, departmentIds: made.map((d) => d.id) };
}

/** Creates a staff member of `orgUnitId` holding role `roleKey` at `grantAt` (default: the same unit); answers the new user. */
export async function addStaff(api: Api, p: Person, roleKey: string, orgUnitId: string, grantAt = orgUnitId) {
  const role = (await api<{ id: string; key: string }[]>('GET', '/api/roles')).find((r) => r.key === roleKey)!;
  return api<{ user: { id: string } }>('POST', '/api/users', {
    username: p.username,
    displayName: p.name,
    orgUnitId,
    password: p.initial,
    grants: [{ roleId: role.id, orgUnitId: grantAt }],
  });
}
