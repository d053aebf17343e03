import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Flex, Input, Select, Space, Table, Tag, TreeSelect, Typography, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../contracts/api.ts';
import { usersApi, type UserStatus } from '../../endpoints.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { useSession } from '../../session.tsx';
import { rowTid, tid, useNotify } from '../../ui/errors.tsx';
import { byName, formatTime } from '../../ui/format.ts';
import { OneTimeSecretModal } from '../../ui/OneTimeSecret.tsx';
import { Page } from '../../ui/Page.tsx';
import { unitOptions, useOrgUnits } from '../org/orgTree.ts';
import { GrantsModal } from './GrantsModal.tsx';
import { grantRoleName, useRoles } from './roles.ts';
import { UserDrawer, type UserEdit } from './UserDrawer.tsx';

interface Filters {
  q: string;
  orgUnitId?: string;
  status?: UserStatus;
}
const PAGE = 50;

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
  const [items, setItems] = useState<User[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [edit, setEdit] = useState<UserEdit | null>(null);
  const [grantsFor, setGrantsFor] = useState<User | null>(null);
  const [secret, setSecret] = useState<{ user: User; password: string | null } | null>(null);
  const seq = useRef(0);

  /** The first page for the filters, or the next page after `after`. */
  const load = useCallback(
    async (f: Filters, after?: string) => {
      const mine = ++seq.current;
      setLoading(true);
      try {
        const page = await usersApi.list({ q: f.q.trim() || undefined, orgUnitId: f.orgUnitId, status: f.status, cursor: after, limit: PAGE });
        if (mine !== seq.current) return;
        setItems((prev) => (after ? [...prev, ...page.items] : page.items));
        setCursor(page.nextCursor);
      } catch (err) {
        notify.fail(err);
      } finally {
        if (mine === seq.current) setLoading(false);
      }
    },
    [notify],
  );
  useEffect(() => void load(filters), [load, filters]);
  const reload = () => void load(filters);

  const toggleStatus = (u: User) => {
    const disable = u.status === 'active';
    modal.confirm({
      title: disable ? t('users.disable') : t('users.enable'),
      content: disable ? t('users.disableConfirm', { name: u.displayName }) : t('users.enableConfirm', { name: u.displayName }),
      okText: t('common.ok'),
      cancelText: t('common.cancel'),
      okButtonProps: { danger: disable, ...tid('confirm-ok') },
      onOk: async () => {
        try {
          await usersApi.update(u.id, { version: u.version, status: disable ? 'disabled' : 'active' });
          notify.ok(disable ? t('users.disabled') : t('users.enabled'));
          reload();
        } catch (err) {
          notify.fail(err, reload);
        }
      },
    });
  };

  const resetPassword = (u: User) =>
    modal.confirm({
      title: t('users.resetPassword'),
      content: t('users.resetConfirm', { name: u.displayName }),
      okText: t('common.ok'),
      cancelText: t('common.cancel'),
      okButtonProps: tid('confirm-ok'),
      onOk: async () => {
        try {
          const r = await usersApi.resetPassword(u.id);
          setSecret({ user: u, password: r.initialPassword });
          reload();
        } catch (err) {
          notify.fail(err);
        }
      },
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
                <Button type="link" size="small" onClick={() => setEdit({ mode: 'edit', user: u })} data-testid="user-edit">
                  {t('common.edit')}
                </Button>
                <Button type="link" size="small" onClick={() => setGrantsFor(u)} data-testid="user-grants">
                  {t('users.grants')}
                </Button>
                <Button type="link" size="small" onClick={() => resetPassword(u)} data-testid="user-reset-password">
                  {t('users.resetPassword')}
                </Button>
                {u.id !== me?.user.id && (
                  <Button type="link" size="small" danger={u.status === 'active'} onClick={() => toggleStatus(u)} data-testid="user-toggle-status">
                    {u.status === 'active' ? t('users.disable') : t('users.enable')}
                  </Button>
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
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEdit({ mode: 'create' })} data-testid="user-create">
            {t('users.create')}
          </Button>
        )
      }
    >
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          placeholder={t('users.searchPlaceholder')}
          aria-label={t('users.searchPlaceholder')}
          style={{ width: 300 }}
          onSearch={(q) => setFilters((f) => ({ ...f, q }))}
          enterButton={t('common.search')}
          data-testid="user-search"
        />
        {can('org:read') && (
          <TreeSelect
            allowClear
            placeholder={t('users.unitFilter')}
            aria-label={t('users.unitFilter')}
            style={{ width: 240 }}
            treeData={units}
            treeDefaultExpandAll
            showSearch={{ treeNodeFilterProp: 'title' }}
            value={filters.orgUnitId}
            onChange={(orgUnitId?: string) => setFilters((f) => ({ ...f, orgUnitId }))}
            data-testid="user-unit-filter"
          />
        )}
        <Select<UserStatus>
          allowClear
          placeholder={t('users.statusFilter')}
          aria-label={t('users.statusFilter')}
          style={{ width: 140 }}
          value={filters.status}
          onChange={(status) => setFilters((f) => ({ ...f, status }))}
          options={(['active', 'disabled'] as const).map((s) => ({ value: s, label: t(`users.statuses.${s}`) }))}
          data-testid="user-status-filter"
        />
      </Flex>
      <Table<User>
        rowKey="id"
        columns={columns}
        dataSource={items}
        loading={loading}
        pagination={false}
        size="middle"
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('users.noneFound') }}
        onRow={(u) => rowTid(`user-row-${u.username}`)}
      />
      <Flex justify="center" align="center" gap={12} style={{ marginTop: 16 }}>
        <Typography.Text type="secondary">{t('common.shownItems', { count: items.length })}</Typography.Text>
        {cursor ? (
          <Button onClick={() => void load(filters, cursor)} loading={loading} data-testid="user-load-more">
            {t('common.loadMore')}
          </Button>
        ) : (
          items.length > 0 && <Typography.Text type="secondary">{t('common.allLoaded')}</Typography.Text>
        )}
      </Flex>
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
        onConflict={() => {
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
        onConflict={() => {
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
