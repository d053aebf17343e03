import { ApartmentOutlined, BranchesOutlined, SwapOutlined, AuditOutlined, FileAddOutlined, PhoneOutlined, ProfileOutlined, SafetyCertificateOutlined, TeamOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { Permission } from '../../contracts/permissions.ts';

/** The console's pages by module; each is shown only to those holding its permission. */
export interface NavItem {
  key: 'tickets' | 'intake' | 'callbacks' | 'transfers' | 'routing' | 'org' | 'users' | 'roles' | 'audit';
  path: string;
  permission: Permission;
  icon: ReactNode;
}
export interface NavModule {
  key: 'moduleService' | 'moduleOrg' | 'moduleAudit';
  items: NavItem[];
}

export const navigation: NavModule[] = [
  {
    key: 'moduleService',
    items: [
      { key: 'tickets', path: '/tickets', permission: 'ticket:read', icon: <ProfileOutlined /> },
      { key: 'intake', path: '/tickets/new', permission: 'ticket:create', icon: <FileAddOutlined /> },
      { key: 'callbacks', path: '/callbacks', permission: 'callback:perform', icon: <PhoneOutlined /> },
      { key: 'transfers', path: '/transfers', permission: 'ticket:update', icon: <SwapOutlined /> },
      { key: 'routing', path: '/routing-rules', permission: 'routing:manage', icon: <BranchesOutlined /> },
    ],
  },
  {
    key: 'moduleOrg',
    items: [
      { key: 'org', path: '/org', permission: 'org:read', icon: <ApartmentOutlined /> },
      { key: 'users', path: '/users', permission: 'user:read', icon: <TeamOutlined /> },
      { key: 'roles', path: '/roles', permission: 'role:read', icon: <SafetyCertificateOutlined /> },
    ],
  },
  {
    key: 'moduleAudit',
    items: [{ key: 'audit', path: '/audit', permission: 'audit:read', icon: <AuditOutlined /> }],
  },
];

/** The modules with only the items the person may use; empty modules are left out. */
export function visibleNavigation(can: (p: Permission) => boolean): NavModule[] {
  return navigation.map((m) => ({ ...m, items: m.items.filter((i) => can(i.permission)) })).filter((m) => m.items.length > 0);
}
