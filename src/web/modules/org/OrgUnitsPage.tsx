import { DeleteOutlined, EditOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Space, Tag, Typography, type TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgUnit } from '../../../contracts/api.ts';
import { orgApi, type UnitKind } from '../../endpoints.ts';
import { useSession } from '../../session.tsx';
import { DataTable, RowAction } from '../../ui/DataTable.tsx';
import { useNotify } from '../../ui/errors.tsx';
import { CreateButton, Page } from '../../ui/Page.tsx';
import { OrgUnitDrawer, type UnitEdit } from './OrgUnitDrawer.tsx';
import { useOrgUnits, type UnitTreeNode } from './orgTree.ts';

interface UnitRow extends OrgUnit {
  children?: UnitRow[];
}
const toRows = (nodes: UnitTreeNode[]): UnitRow[] => nodes.map((n) => (n.children ? { ...n.unit, children: toRows(n.children) } : { ...n.unit }));
const kindColor: Record<UnitKind, string> = { group: 'magenta', company: 'blue', department: 'green', team: 'gold' };

/** The organisation as a tree table: create, rename, move (by choosing another parent) and delete units. */
export function OrgUnitsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const notify = useNotify();
  const { units, tree, byId, loading, error, reload } = useOrgUnits();
  const [edit, setEdit] = useState<UnitEdit | null>(null);
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const manage = can('org:manage');

  const rows = useMemo(() => toRows(tree), [tree]);
  const expanded = useMemo(() => units.filter((u) => !collapsed.has(u.id)).map((u) => u.id), [units, collapsed]);

  const remove = async (u: OrgUnit) => {
    await notify.run(orgApi.remove(u.id), t('org.deleted'));
    await reload();
  };

  const columns: TableColumnsType<UnitRow> = [
    {
      title: t('org.name'),
      dataIndex: 'name',
      render: (name: string, u) => <Typography.Text strong={u.parentId === null}>{name}</Typography.Text>,
    },
    { title: t('org.code'), dataIndex: 'code', render: (c: string) => <Typography.Text code>{c}</Typography.Text>, sorter: (a, b) => a.code.localeCompare(b.code) },
    { title: t('org.kind'), dataIndex: 'kind', render: (k: UnitKind) => <Tag color={kindColor[k]}>{t(`org.kinds.${k}`)}</Tag> },
    { title: t('org.timeZone'), dataIndex: 'timeZone' },
    ...(manage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, u: UnitRow) => (
              <Space size="small" wrap>
                {u.kind !== 'team' && (
                  <RowAction icon={<PlusOutlined />} onClick={() => setEdit({ mode: 'create', parentId: u.id })} testId="unit-add-child">
                    {t('org.addChild')}
                  </RowAction>
                )}
                <RowAction icon={<EditOutlined />} onClick={() => setEdit({ mode: 'edit', unit: u })} testId="unit-edit">
                  {t('common.edit')}
                </RowAction>
                <RowAction danger icon={<DeleteOutlined />} confirm={t('org.deleteConfirm', { name: u.name })} onClick={() => remove(u)} testId="unit-delete">
                  {t('common.delete')}
                </RowAction>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <Page
      title={t('org.title')}
      testId="org-page"
      extra={
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => void reload()}>
            {t('common.refresh')}
          </Button>
          {manage && (
            <CreateButton onClick={() => setEdit({ mode: 'create', parentId: null })} testId="unit-create-root">
              {t('org.createRoot')}
            </CreateButton>
          )}
        </Space>
      }
    >
      <DataTable<UnitRow>
        error={error}
        columns={columns}
        dataSource={rows}
        loading={loading}
        locale={{ emptyText: t('org.empty') }}
        rowTestId={(u) => `unit-row-${u.code}`}
        expandable={{
          expandedRowKeys: expanded,
          onExpand: (open, u) =>
            setCollapsed((prev) => {
              const next = new Set(prev);
              if (open) next.delete(u.id);
              else next.add(u.id);
              return next;
            }),
        }}
      />
      <OrgUnitDrawer
        edit={edit}
        tree={tree}
        byId={byId}
        onClose={() => setEdit(null)}
        onSaved={() => {
          setEdit(null);
          void reload();
        }}
      />
    </Page>
  );
}
