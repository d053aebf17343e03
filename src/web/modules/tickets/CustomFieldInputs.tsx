import { Checkbox, Form, Input, InputNumber, Select } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldDefinition } from '../../../contracts/ticket-settings.ts';
import type { Ticket } from '../../../contracts/tickets.ts';
import { ticketSettingsApi } from '../../endpoints.ts';
import { pick } from '../../i18n/index.ts';
import { useLoaded } from '../../ui/useLoaded.ts';

/** A definition's label and an option's label in the UI's language. */
export const fieldLabel = (d: Pick<FieldDefinition, 'labelZh' | 'labelEn'>) => pick(d.labelZh, d.labelEn);
export const optionLabel = (d: FieldDefinition, value: string) => {
  const o = d.options.find((x) => x.value === value);
  return o ? pick(o.zh, o.en) : value;
};

/** The form control of one custom field; plain keyboard controls (a native date input, searchable selects). */
export function CustomFieldControl({ d, ...rest }: { d: FieldDefinition; value?: unknown; onChange?: (v: unknown) => void; id?: string }) {
  const testId = `custom-field-${d.key}`;
  const options = d.options.map((o) => ({ value: o.value, label: pick(o.zh, o.en) }));
  switch (d.kind) {
    case 'text':
      return <Input {...(rest as object)} maxLength={d.maxLength ?? 500} style={{ maxWidth: 360 }} data-testid={testId} />;
    case 'number':
      return <InputNumber {...(rest as object)} min={d.min ?? undefined} max={d.max ?? undefined} style={{ width: 200 }} data-testid={testId} />;
    case 'date':
      return <Input {...(rest as object)} type="date" style={{ width: 200 }} data-testid={testId} />;
    case 'select':
      return <Select {...(rest as object)} allowClear showSearch={{ optionFilterProp: 'label' }} options={options} style={{ maxWidth: 280 }} data-testid={testId} />;
    case 'multi_select':
      return <Select {...(rest as object)} mode="multiple" allowClear optionFilterProp="label" options={options} style={{ maxWidth: 360 }} data-testid={testId} />;
    case 'checkbox':
      return <Checkbox {...(rest as object)} data-testid={testId} />;
  }
}

/** The Form.Items of the given definitions, named ['customFields', key] (server errors land on them). */
export function CustomFieldItems({ definitions }: { definitions: FieldDefinition[] }) {
  const { t } = useTranslation();
  return (
    <>
      {definitions.map((d) => (
        <Form.Item
          key={d.id}
          name={['customFields', d.key]}
          label={fieldLabel(d)}
          valuePropName={d.kind === 'checkbox' ? 'checked' : 'value'}
          initialValue={d.kind === 'checkbox' ? false : undefined}
          preserve={false}
          rules={d.required && d.kind !== 'checkbox' ? [{ required: true, message: t('common.required') }] : []}
        >
          <CustomFieldControl d={d} />
        </Form.Item>
      ))}
    </>
  );
}

/**
 * 自定义字段 on the intake form: the enabled fields of the chosen type (of the caller's unit and the
 * units above it), mounted inside IntakePage's form.
 */
export function IntakeCustomFields({ type }: { type: Ticket['type'] | undefined }) {
  const load = useCallback(() => (type ? ticketSettingsApi.applicable(type) : Promise.resolve([])), [type]);
  const defs = useLoaded(load, [] as FieldDefinition[], !!type);
  return <CustomFieldItems definitions={defs.data.filter((d) => d.enabled)} />;
}

/** What the form holds → what the API takes: empty becomes null (clears it on update, ignored at intake). */
export function customFieldsInput(values: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!values) return undefined;
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v === undefined || v === '' || (Array.isArray(v) && v.length === 0) ? null : v]));
}
