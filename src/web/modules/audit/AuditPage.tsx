import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, DatePicker, Flex, Select, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../contracts/api.ts';
import { builtInRoles } from '../../../contracts/permissions.ts';
import { auditApi, type AuditFilter, type VerifyResult } from '../../endpoints.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { useSession } from '../../session.tsx';
import { CursorTable, filterProps } from '../../ui/DataTable.tsx';
import { useNotify } from '../../ui/errors.tsx';
import { formatTime, isoWithOffset } from '../../ui/format.ts';
import { Page } from '../../ui/Page.tsx';
import { useCursorList } from '../../ui/useCursorList.ts';
import { useOrgUnits } from '../org/orgTree.ts';
import { useRoles } from '../users/roles.ts';
import { ActorSelect } from './ActorSelect.tsx';
import { AUDIT_ACTIONS, AuditChanges, ENTITY_TYPES, actionLabel, entityTypeLabel } from './AuditChanges.tsx';

const fetchPage = (f: AuditFilter, cursor?: string) => auditApi.list({ ...f, cursor, limit: 50 });
type Range = [Dayjs | null, Dayjs | null] | null;

/** The audit trail in the reader's scope: filters, expandable changes, load more, and the chain check. */
export function AuditPage() {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const { me, can } = useSession();
  const notify = useNotify();
  const org = useOrgUnits(can('org:read'));
  const { byId: rolesById } = useRoles(can('role:read'), lang);

  const [filter, setFilter] = useState<AuditFilter>({});
  const [range, setRange] = useState<Range>(null);
  const list = useCursorList(fetchPage, filter);
  const [verifying, setVerifying] = useState(false);
  const [verified, setVerified] = useState<VerifyResult | null>(null);

  // Only a reader of the whole tree (audit:read granted at a top-level unit) may check the chain.
  const canVerify = useMemo(() => {
    const roots = new Set(org.units.filter((u) => u.parentId === null).map((u) => u.id));
    return (me?.user.grants ?? []).some((g) => {
      const perms = rolesById.get(g.roleId)?.permissions ?? builtInRoles.find((r) => r.key === g.roleKey)?.permissions ?? [];
      return roots.has(g.orgUnitId) && perms.includes('audit:read');
    });
  }, [me, org.units, rolesById]);

  const verify = async () => {
    setVerifying(true);
    await notify.run(auditApi.verify().then(setVerified));
    setVerifying(false);
  };

  const onRange = (r: Range) => {
    setRange(r);
    setFilter((f) => ({
      ...f,
      from: r?.[0] ? isoWithOffset(r[0].startOf('day').toDate()) : undefined,
      to: r?.[1] ? isoWithOffset(r[1].endOf('day').toDate()) : undefined,
    }));
  };

  const columns: TableColumnsType<AuditEntry> = [
    { title: t('audit.at'), dataIndex: 'at', width: 170, render: formatTime },
    { title: t('audit.actor'), dataIndex: 'actorName' },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      render: (a: string) => (
        <Tooltip title={a}>
          <Tag color="blue" data-testid="audit-action">
            {actionLabel(t, a)}
          </Tag>
        </Tooltip>
      ),
    },
    {
      title: t('audit.entity'),
      key: 'entity',
      render: (_, e) => {
        const c = e.changes;
        const hint = [c.displayName?.to, c.name?.to, c.username?.to, c.displayName?.from, c.name?.from].find((v) => typeof v === 'string');
        return (
          <span>
            {entityTypeLabel(t, e.entityType)}
            {typeof hint === 'string' && <Typography.Text strong style={{ marginLeft: 6 }}>{hint}</Typography.Text>}
          </span>
        );
      },
    },
    { title: t('audit.unit'), dataIndex: 'orgUnitName', render: (n: string | null) => n ?? t('common.none') },
    { title: t('audit.ip'), dataIndex: 'ip', render: (ip: string | null) => ip ?? t('common.none') },
    {
      title: t('audit.chain'),
      dataIndex: 'sealed',
      render: (s: boolean, e) => <Tag color={s ? 'green' : 'default'}>{s ? `${t('audit.sealed')} #${e.seq}` : t('audit.pending')}</Tag>,
    },
  ];

  return (
    <Page
      title={t('audit.title')}
      testId="audit-page"
      extra={
        canVerify && (
          <Button icon={<SafetyCertificateOutlined />} onClick={verify} loading={verifying} data-testid="audit-verify">
            {t('audit.verify')}
          </Button>
        )
      }
    >
      {verified && (
        <div data-testid="verify-result" style={{ marginBottom: 16 }}>
          <Alert
            type={verified.ok ? 'success' : 'error'}
            showIcon
            closable={{ onClose: () => setVerified(null) }}
            title={
              verified.ok
                ? t('audit.verifyOk', { entries: verified.entries })
                : t('audit.verifyBroken', { seq: verified.brokenAt?.seq, reason: verified.brokenAt?.reason })
            }
          />
        </div>
      )}
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <Select<string>
          {...filterProps(t('audit.action'), 200)}
          showSearch={{ optionFilterProp: 'label' }}
          value={filter.action}
          onChange={(action) => setFilter((f) => ({ ...f, action }))}
          options={AUDIT_ACTIONS.map((a) => ({ value: a, label: actionLabel(t, a) }))}
          data-testid="audit-action-filter"
        />
        <Select<string>
          {...filterProps(t('audit.entityType'), 160)}
          value={filter.entityType}
          onChange={(entityType) => setFilter((f) => ({ ...f, entityType }))}
          options={ENTITY_TYPES.map((e) => ({ value: e, label: entityTypeLabel(t, e) }))}
          data-testid="audit-entity-filter"
        />
        {can('user:read') && <ActorSelect value={filter.actorId} onChange={(actorId) => setFilter((f) => ({ ...f, actorId }))} />}
        <DatePicker.RangePicker
          value={range}
          onChange={onRange}
          placeholder={[t('audit.startDate'), t('audit.endDate')]}
          aria-label={t('audit.dateRange')}
          data-testid="audit-range"
        />
      </Flex>
      <CursorTable<AuditEntry>
        list={list}
        loadMoreTestId="audit-load-more"
        columns={columns}
        locale={{ emptyText: t('audit.empty') }}
        rowTestId={(e) => `audit-row-${e.action}`}
        expandable={{ expandedRowRender: (e) => <AuditChanges entry={e} units={org.byId} />, expandRowByClick: true }}
      />
    </Page>
  );
}
