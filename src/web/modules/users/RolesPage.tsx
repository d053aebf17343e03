import { DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { Space, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../contracts/api.ts';
import { rolesApi } from '../../endpoints.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { useSession } from '../../session.tsx';
import { DataTable, RowAction } from '../../ui/DataTable.tsx';
import { useNotify } from '../../ui/errors.tsx';
import { byName } from '../../ui/format.ts';
import { CreateButton, Page } from '../../ui/Page.tsx';
import { permissionLabel, permissionModules } from './PermissionPicker.tsx';
import { RoleDrawer, type RoleEdit } from './RoleDrawer.tsx';
import { roleName, useRoles } from './roles.ts';

/** A role's permissions, module by module (the expanded row). */
function RolePermissions({ role }: { role: Role }) {
  const { t } = useTranslation();
  const held = new Set(role.permissions);
  return (
    <div>
      {permissionModules
        .filter((m) => m.permissions.some((p) => held.has(p)))
        .map((m) => (
          <div key={m.module} style={{ marginBottom: 6 }}>
            <Typography.Text type="secondary" style={{ display: 'inline-block', minWidth: 120 }}>
              {t(`modules.${m.module}`)}
            </Typography.Text>
            {m.permissions
              .filter((p) => held.has(p))
              .map((p) => (
                <Tag key={p}>{permissionLabel(p)}</Tag>
              ))}
          </div>
        ))}
    </div>
  );
}

/** Roles: built-in and custom; create, edit permissions, delete custom ones. */
export function RolesPage() {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const { can } = useSession();
  const notify = useNotify();
  const { roles, loading, error, reload } = useRoles(true, lang);
  const [edit, setEdit] = useState<RoleEdit | null>(null);
  const manage = can('role:manage');

  const remove = async (r: Role) => {
    await notify.run(rolesApi.remove(r.id), t('roles.deleted'));
    await reload();
  };

  const columns: TableColumnsType<Role> = [
    {
      title: t('roles.name'),
      key: 'name',
      sorter: (a, b) => byName(roleName(a, lang), roleName(b, lang)),
      render: (_, r) => <Typography.Text strong>{roleName(r, lang)}</Typography.Text>,
    },
    { title: t('roles.key'), dataIndex: 'key', render: (k: string) => <Typography.Text code>{k}</Typography.Text> },
    {
      title: t('roles.type'),
      dataIndex: 'builtIn',
      render: (b: boolean) => <Tag color={b ? 'geekblue' : 'green'}>{b ? t('roles.builtIn') : t('roles.custom')}</Tag>,
    },
    {
      title: t('roles.permissions'),
      dataIndex: 'permissions',
      sorter: (a, b) => a.permissions.length - b.permissions.length,
      render: (p: string[]) => <span data-testid="role-permission-count">{t('roles.permissionCount', { count: p.length })}</span>,
    },
    { title: t('roles.description'), dataIndex: 'description', ellipsis: true, render: (d: string) => d || t('common.none') },
    ...(manage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, r: Role) => (
              <Space size={0}>
                <RowAction icon={<EditOutlined />} onClick={() => setEdit({ mode: 'edit', role: r })} testId="role-edit">
                  {t('common.edit')}
                </RowAction>
                {!r.builtIn && (
                  <RowAction danger icon={<DeleteOutlined />} confirm={t('roles.deleteConfirm', { name: roleName(r, lang) })} onClick={() => remove(r)} testId="role-delete">
                    {t('common.delete')}
                  </RowAction>
                )}
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <Page
      title={t('roles.title')}
      testId="roles-page"
      extra={
        manage && (
          <CreateButton onClick={() => setEdit({ mode: 'create' })} testId="role-create">
            {t('roles.create')}
          </CreateButton>
        )
      }
    >
      <DataTable<Role>
        error={error}
        columns={columns}
        dataSource={roles}
        loading={loading}
        rowTestId={(r) => `role-row-${r.key}`}
        expandable={{ expandedRowRender: (r) => <RolePermissions role={r} /> }}
      />
      <RoleDrawer
        edit={edit}
        onClose={() => setEdit(null)}
        onSaved={() => {
          setEdit(null);
          void reload();
        }}
      />
    </Page>
  );
}
