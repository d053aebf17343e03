import { App, Flex, Input, Select, Space, Tag, TreeSelect, Typography, type TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../contracts/api.ts';
import { usersApi, type UserStatus } from '../../endpoints.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { useSession } from '../../session.tsx';
import { CursorTable, filterProps, RowAction } from '../../ui/DataTable.tsx';
import { confirmButtons, useNotify } from '../../ui/errors.tsx';
import { byName, formatTime } from '../../ui/format.ts';
import { OneTimeSecretModal } from '../../ui/OneTimeSecret.tsx';
import { CreateButton, Page } from '../../ui/Page.tsx';
import { useCursorList } from '../../ui/useCursorList.ts';
import { unitOptions, useOrgUnits } from '../org/orgTree.ts';
import { GrantsModal } from './GrantsModal.tsx';
import { grantRoleName, useRoles } from './roles.ts';
import { UserDrawer, type UserEdit } from './UserDrawer.tsx';

interface Filters {
  q: string;
  orgUnitId?: string;
  status?: UserStatus;
}
const fetchPage = (f: Filters, cursor?: string) =>
  usersApi.list({ q: f.q.trim() || undefined, orgUnitId: f.orgUnitId, status: f.status, cursor, limit: 50 });

/** Staff: search, filter by unit and status, load more by cursor; create, edit, grant roles, reset passwords, disable. */
export function UsersPage() {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const { can, me } = useSession();
  const { modal } = App.useApp();
  const notify = useNotify();
  const manage = can('user:manage');
  const org = useOrgUnits(can('org:read'));
  const { roles, byId: rolesById } = useRoles(can('role:read'), lang);
  const units = useMemo(() => unitOptions(org.tree), [org.tree]);

  const [filters, setFilters] = useState<Filters>({ q: '' });
  const list = useCursorList(fetchPage, filters);
  const { reload } = list;
  const [edit, setEdit] = useState<UserEdit | null>(null);
  const [grantsFor, setGrantsFor] = useState<User | null>(null);
  const [secret, setSecret] = useState<{ user: User; password: string | null } | null>(null);

  const toggleStatus = (u: User) => {
    const disable = u.status === 'active';
    modal.confirm({
      title: disable ? t('users.disable') : t('users.enable'),
      content: disable ? t('users.disableConfirm', { name: u.displayName }) : t('users.enableConfirm', { name: u.displayName }),
      ...confirmButtons(disable),
      onOk: async () => {
        const status = disable ? 'disabled' : 'active';
        if (await notify.run(usersApi.update(u.id, { version: u.version, status }), disable ? t('users.disabled') : t('users.enabled'), reload)) reload();
      },
    });
  };

  const resetPassword = (u: User) =>
    modal.confirm({
      title: t('users.resetPassword'),
      content: t('users.resetConfirm', { name: u.displayName }),
      ...confirmButtons(),
      onOk: () =>
        notify.run(
          usersApi.resetPassword(u.id).then((r) => {
            setSecret({ user: u, password: r.initialPassword });
            reload();
          }),
        ),
    });

  const columns: TableColumnsType<User> = [
    {
      title: t('users.displayName'),
      dataIndex: 'displayName',
      sorter: (a, b) => byName(a.displayName, b.displayName),
      render: (name: string) => <Typography.Text strong>{name}</Typography.Text>,
    },
    { title: t('users.username'), dataIndex: 'username', sorter: (a, b) => a.username.localeCompare(b.username) },
    { title: t('users.employeeNo'), dataIndex: 'employeeNo', render: (v: string | null) => v ?? t('common.none') },
    { title: t('users.unit'), dataIndex: 'orgUnitName', sorter: (a, b) => byName(a.orgUnitName, b.orgUnitName) },
    {
      title: t('users.roles'),
      key: 'grants',
      render: (_, u) =>
        u.grants.length === 0
          ? t('common.none')
          : u.grants.map((g) => (
              <Tag key={g.id} color="blue" style={{ marginBottom: 2 }}>
                {grantRoleName(g, rolesById, lang)} · {g.orgUnitName}
              </Tag>
            )),
    },
    {
      title: t('users.status'),
      key: 'status',
      render: (_, u) => (
        <Space size={2} wrap>
          <Tag color={u.status === 'active' ? 'green' : 'default'} data-testid="user-status">
            {t(`users.statuses.${u.status}`)}
          </Tag>
          {u.mustChangePassword && <Tag color="orange">{t('users.mustChange')}</Tag>}
          {u.lockedUntil && new Date(u.lockedUntil) > new Date() && <Tag color="red">{t('users.locked')}</Tag>}
        </Space>
      ),
    },
    { title: t('users.lastLogin'), dataIndex: 'lastLoginAt', render: (v: string | null) => (v ? formatTime(v) : t('users.neverLoggedIn')) },
    ...(manage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, u: User) => (
              <Space size={0} wrap>
                <RowAction onClick={() => setEdit({ mode: 'edit', user: u })} testId="user-edit">
                  {t('common.edit')}
                </RowAction>
                <RowAction onClick={() => setGrantsFor(u)} testId="user-grants">
                  {t('users.grants')}
                </RowAction>
                <RowAction onClick={() => resetPassword(u)} testId="user-reset-password">
                  {t('users.resetPassword')}
                </RowAction>
                {u.id !== me?.user.id && (
                  <RowAction danger={u.status === 'active'} onClick={() => toggleStatus(u)} testId="user-toggle-status">
                    {u.status === 'active' ? t('users.disable') : t('users.enable')}
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
      title={t('users.title')}
      testId="users-page"
      extra={
        manage && (
          <CreateButton onClick={() => setEdit({ mode: 'create' })} testId="user-create">
            {t('users.create')}
          </CreateButton>
        )
      }
    >
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <Input.Search
          {...filterProps(t('users.searchPlaceholder'), 300)}
          onSearch={(q) => setFilters((f) => ({ ...f, q }))}
          enterButton={t('common.search')}
          data-testid="user-search"
        />
        {can('org:read') && (
          <TreeSelect
            {...filterProps(t('users.unitFilter'), 240)}
            treeData={units}
            treeDefaultExpandAll
            showSearch={{ treeNodeFilterProp: 'title' }}
            value={filters.orgUnitId}
            onChange={(orgUnitId?: string) => setFilters((f) => ({ ...f, orgUnitId }))}
            data-testid="user-unit-filter"
          />
        )}
        <Select<UserStatus>
          {...filterProps(t('users.statusFilter'), 140)}
          value={filters.status}
          onChange={(status) => setFilters((f) => ({ ...f, status }))}
          options={(['active', 'disabled'] as const).map((s) => ({ value: s, label: t(`users.statuses.${s}`) }))}
          data-testid="user-status-filter"
        />
      </Flex>
      <CursorTable<User>
        list={list}
        loadMoreTestId="user-load-more"
        columns={columns}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('users.noneFound') }}
        rowTestId={(u) => `user-row-${u.username}`}
      />
      <UserDrawer
        edit={edit}
        roles={roles}
        units={units}
        onClose={() => setEdit(null)}
        onCreated={(user, password) => {
          setEdit(null);
          setSecret({ user, password });
          reload();
        }}
        onUpdated={() => {
          setEdit(null);
          reload();
        }}
      />
      <GrantsModal
        user={grantsFor}
        roles={roles}
        units={units}
        onClose={() => setGrantsFor(null)}
        onSaved={() => {
          setGrantsFor(null);
          reload();
        }}
      />
      <OneTimeSecretModal
        open={secret !== null}
        title={secret?.password ? t('users.oneTimePasswordTitle') : t('users.created')}
        label={secret?.password ? t('users.oneTimePasswordFor', { name: secret.user.displayName, username: secret.user.username }) : t('users.createdWithOwnPassword')}
        secret={secret?.password ?? null}
        warning={t('users.oneTimePasswordHint')}
        onClose={() => setSecret(null)}
      />
    </Page>
  );
}
