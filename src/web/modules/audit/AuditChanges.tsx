import { ArrowRightOutlined } from '@ant-design/icons';
import { Descriptions, Table, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { AuditEntry, OrgUnit } from '../../../contracts/api.ts';
import { auditActions, auditEntityTypes } from '../../../contracts/audit.ts';
import { builtInRoles } from '../../../contracts/permissions.ts';
import { currentLanguage, pick } from '../../i18n/index.ts';
import { permissionLabel } from '../users/PermissionPicker.tsx';

/** The audit actions and entity types the server writes today (others still show, by their code). */
export const AUDIT_ACTIONS = auditActions;
export const ENTITY_TYPES = auditEntityTypes;

const keyOf = (code: string) => code.replace(/\./g, '_');
export const actionLabel = (t: TFunction, action: string) => t(`audit.actions.${keyOf(action)}`, { defaultValue: action });
export const entityTypeLabel = (t: TFunction, type: string) => t(`audit.entityTypes.${keyOf(type)}`, { defaultValue: type });
const fieldLabel = (t: TFunction, field: string) => t(`audit.fields.${keyOf(field)}`, { defaultValue: field });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One recorded value as a person reads it: unit ids as unit names, grants as "role · unit", booleans as yes/no. */
function formatValue(t: TFunction, field: string, value: unknown, units: Map<string, OrgUnit>): string {
  if (value === undefined || value === null || value === '') return t('common.none');
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  if (Array.isArray(value)) {
    if (value.length === 0) return t('common.none');
    return value.map((v) => formatValue(t, field, v, units)).join('、');
  }
  if (typeof value === 'string') {
    if (UUID.test(value)) return units.get(value)?.name ?? value;
    if (field === 'permissions') return permissionLabel(value);
    if (field === 'kind') return t(`org.kinds.${value}`, { defaultValue: value });
    if (field === 'status') return t(`users.statuses.${value}`, { defaultValue: value });
    const grant = /^([a-z0-9_]+)@([0-9a-f-]{36})$/i.exec(value);
    if (field === 'grants' && grant) {
      const role = builtInRoles.find((r) => r.key === grant[1]);
      return `${role ? pick(role.zh, role.en, currentLanguage()) : grant[1]} · ${units.get(grant[2])?.name ?? grant[2]}`;
    }
    return value;
  }
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

interface ChangeRow {
  field: string;
  from?: unknown;
  to?: unknown;
  hasFrom: boolean;
  hasTo: boolean;
}

/** The expanded audit row: each changed field, before → after, and where the request came from. */
export function AuditChanges({ entry, units }: { entry: AuditEntry; units: Map<string, OrgUnit> }) {
  const { t } = useTranslation();
  const rows: ChangeRow[] = Object.entries(entry.changes).map(([field, c]) => ({ field, ...c, hasFrom: 'from' in c, hasTo: 'to' in c }));
  return (
    <div data-testid="audit-changes" style={{ padding: '4px 8px' }}>
      {rows.length === 0 ? (
        <Typography.Text type="secondary">{t('audit.noChanges')}</Typography.Text>
      ) : (
        <Table<ChangeRow>
          size="small"
          tableLayout="fixed"
          rowKey="field"
          pagination={false}
          dataSource={rows}
          columns={[
            { title: t('audit.field'), dataIndex: 'field', width: 160, render: (f: string) => fieldLabel(t, f) },
            {
              title: t('audit.before'),
              key: 'from',
              render: (_, r) =>
                r.hasFrom ? (
                  <Typography.Text delete={r.hasTo} type="secondary" data-testid="change-from">
                    {formatValue(t, r.field, r.from, units)}
                  </Typography.Text>
                ) : (
                  t('common.none')
                ),
            },
            { key: 'arrow', width: 32, render: () => <ArrowRightOutlined style={{ color: '#999' }} /> },
            {
              title: t('audit.after'),
              key: 'to',
              render: (_, r) => (r.hasTo ? <Typography.Text data-testid="change-to">{formatValue(t, r.field, r.to, units)}</Typography.Text> : t('common.none')),
            },
          ]}
        />
      )}
      <Descriptions
        size="small"
        column={{ xs: 1, md: 3 }}
        style={{ marginTop: 12 }}
        items={[
          { key: 'entity', label: t('audit.entityId'), children: <Typography.Text copyable>{entry.entityId}</Typography.Text> },
          { key: 'request', label: t('audit.requestId'), children: entry.requestId ?? t('common.none') },
          { key: 'ip', label: t('audit.ip'), children: entry.ip ?? t('common.none') },
        ]}
      />
    </div>
  );
}
