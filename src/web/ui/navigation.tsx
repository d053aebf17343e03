import { SettingOutlined, ScheduleOutlined, ApartmentOutlined, BranchesOutlined, SwapOutlined, AuditOutlined, AccountBookOutlined, ToolOutlined, FileAddOutlined, PhoneOutlined, ProfileOutlined, SafetyCertificateOutlined, TeamOutlined } from '@ant-design/icons';
import { BarChartOutlined, CalendarOutlined, FieldTimeOutlined } from '@ant-design/icons';
import { IdcardOutlined, ReadOutlined } from '@ant-design/icons';
import { GiftOutlined } from '@ant-design/icons';
import { FileDoneOutlined, KeyOutlined } from '@ant-design/icons';
import { DeleteOutlined } from '@ant-design/icons';
import { SmileOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { Permission } from '../../contracts/permissions.ts';

/** The console's pages by module; each is shown only to those holding its permission. */
export interface NavItem {
  key: 'customers' | 'customerReadingLog' | 'customerAccess' | 'customerDestruction' | 'care' | 'customerVerification' | 'slaPolicies' | 'calendars' | 'tickets' | 'intake' | 'callbacks' | 'transfers' | 'routing' | 'org' | 'users' | 'roles' | 'audit' | 'compensations' | 'capas' | 'jobs' | 'ticketSettings' | 'slaReport' | 'surveys';
  path: string;
  /** The menu label's i18n key when not `nav.<key>` (a module's own namespace). */
  label?: string;
  /** The home page's description of it (i18n key) when not listed there. */
  description?: string;
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
      { key: 'customers', path: '/customers', permission: 'customer:read', icon: <IdcardOutlined />, label: 'customerFiles.menu', description: 'customerFiles.homeDesc' },
      { key: 'customerReadingLog', path: '/customer-reading-log', permission: 'customer:manage', icon: <ReadOutlined />, label: 'customerFiles.readingLogMenu', description: 'customerFiles.readingLogDesc' },
      { key: 'customerAccess', path: '/customer-access', permission: 'customer:read', icon: <KeyOutlined />, label: 'customerAccess.menu', description: 'customerAccess.homeDesc' },
      { key: 'care', path: '/care', permission: 'customer:manage', icon: <GiftOutlined />, label: 'care.menu', description: 'care.homeDesc' },
      { key: 'customerVerification', path: '/customer-verification', permission: 'customer:manage', icon: <FileDoneOutlined />, label: 'verification.menu', description: 'verification.homeDesc' },
      { key: 'customerDestruction', path: '/customer-destruction', permission: 'customer:manage', icon: <DeleteOutlined />, label: 'destruction.menu', description: 'destruction.homeDesc' },
      { key: 'transfers', path: '/transfers', permission: 'ticket:update', icon: <SwapOutlined /> },
      { key: 'compensations', path: '/compensations', permission: 'ticket:approve_compensation', icon: <AccountBookOutlined />, label: 'compensations.menu', description: 'compensations.homeDesc' },
      { key: 'capas', path: '/capas', permission: 'ticket:assign', icon: <ToolOutlined />, label: 'capa.menu', description: 'capa.homeDesc' },
      { key: 'routing', path: '/routing-rules', permission: 'routing:manage', icon: <BranchesOutlined /> },
      { key: 'slaPolicies', path: '/sla-policies', permission: 'sla:manage', icon: <FieldTimeOutlined />, label: 'sla.menu', description: 'sla.homeDesc' },
      { key: 'calendars', path: '/calendars', permission: 'sla:manage', icon: <CalendarOutlined />, label: 'calendar.menu', description: 'calendar.homeDesc' },
      { key: 'slaReport', path: '/reports/sla', permission: 'report:read', icon: <BarChartOutlined />, label: 'slaReport.menu', description: 'slaReport.homeDesc' },
      { key: 'surveys', path: '/surveys', permission: 'customer:manage', icon: <SmileOutlined />, label: 'surveys.menu', description: 'surveys.homeDesc' },
      { key: 'ticketSettings', path: '/ticket-settings', permission: 'ticket:configure', icon: <SettingOutlined />, label: 'ticketSettings.menu', description: 'ticketSettings.homeDesc' },
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
    items: [
      { key: 'audit', path: '/audit', permission: 'audit:read', icon: <AuditOutlined /> },
      { key: 'jobs', path: '/jobs', permission: 'system:jobs', icon: <ScheduleOutlined />, label: 'jobs.menu', description: 'jobs.homeDesc' },
    ],
  },
];

/** The modules with only the items the person may use; empty modules are left out. */
export function visibleNavigation(can: (p: Permission) => boolean): NavModule[] {
  return navigation.map((m) => ({ ...m, items: m.items.filter((i) => can(i.permission)) })).filter((m) => m.items.length > 0);
}
