import { Descriptions, Typography } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerFile } from '../../../contracts/customers.ts';
import type { FieldDefinition } from '../../../contracts/ticket-settings.ts';
import { useLoaded } from '../../ui/useLoaded.ts';
import { fieldLabel } from '../tickets/CustomFieldInputs.tsx';
import { shown } from '../tickets/TicketExtras.tsx';
import { customersApi } from './customersApi.ts';

/**
 * The file's custom fields 自定义字段 (defined in 工单设置 for the form 客户档案): part of the notes
 * section, so hidden while that section is protected and not opened (the server sends null then).
 */
export function CustomerCustomFields({ file }: { file: CustomerFile }) {
  const { t } = useTranslation();
  const load = useCallback(() => customersApi.fields(file.orgUnitId), [file.orgUnitId]);
  const defs = useLoaded(load, [] as FieldDefinition[]);
  const values = file.customFields;
  // Enabled fields, and disabled ones that still hold a value.
  const visible = defs.data.filter((d) => d.enabled || (values && values[d.key] !== undefined));
  if (visible.length === 0) return null;
  const value = (d: FieldDefinition) => {
    if (values === null) return <Typography.Text type="secondary">{t('customerFiles.hidden')}</Typography.Text>;
    const v = values[d.key];
    return v === undefined ? t('common.none') : shown(d, v, t('common.yes'), t('common.no'));
  };
  return (
    <Descriptions
      title={t('customerFiles.sections.customFields')}
      bordered
      size="small"
      column={{ xs: 1, md: 2 }}
      style={{ marginTop: 16 }}
      data-testid="customer-custom-values"
      items={visible.map((d) => ({
        key: d.key,
        label: d.enabled ? fieldLabel(d) : `${fieldLabel(d)}（${t('ticketSettings.fields.disabled')}）`,
        children: <span data-testid={`customer-custom-value-${d.key}`}>{value(d)}</span>,
      }))}
    />
  );
}
