import { ArrowDownOutlined, ArrowUpOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Form, Input, InputNumber, Radio, Select, Space, Switch, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldForms, fieldKinds, type FieldDefinition, type FieldForm as FieldsFor } from '../../../contracts/ticket-settings.ts';
import { orgApi, ticketSettingsApi } from '../../endpoints.ts';
import { DataTable, filterProps, RowAction } from '../../ui/DataTable.tsx';
import { useFormSubmit, useNotify } from '../../ui/errors.tsx';
import { FormDrawer } from '../../ui/FormOverlay.tsx';
import { CreateButton, Page } from '../../ui/Page.tsx';
import { useLoaded } from '../../ui/useLoaded.ts';
import { CategoryTree } from './CategoryTree.tsx';
import { fieldLabel } from './CustomFieldInputs.tsx';

/** 工单设置 (ticket:configure): custom fields per unit and type, and the category tree. */
export function TicketSettingsPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('ticketSettings.title')} testId="ticket-settings-page">
      <Tabs
        items={[
          { key: 'fields', label: t('ticketSettings.fields.tab'), children: <FieldDefinitions /> },
          { key: 'categories', label: t('ticketSettings.categories.tab'), children: <CategoryTree /> },
        ]}
        destroyOnHidden
      />
    </Page>
  );
}

type Opening = { field: FieldDefinition | null };

function FieldDefinitions() {
  const { t } = useTranslation();
  const notify = useNotify();
  const units = useLoaded(orgApi.list, []);
  const owners = units.data.filter((u) => u.kind === 'company' || u.kind === 'group');
  const [chosen, setChosen] = useState<string | undefined>();
  // The form: a work-order type, or 客户档案 (the customer file's custom fields).
  const [type, setType] = useState<FieldsFor>('repair');
  const unitId = chosen ?? owners.find((u) => u.kind === 'company')?.id ?? owners[0]?.id;
  const load = useCallback(() => (unitId ? ticketSettingsApi.fields(unitId, type) : Promise.resolve([])), [unitId, type]);
  const fields = useLoaded(load, [] as FieldDefinition[], !!unitId);
  const [opening, setOpening] = useState<Opening | null>(null);
  const reload = () => void fields.reload();

  const move = async (index: number, by: -1 | 1) => {
    const ids = fields.data.map((f) => f.id);
    [ids[index], ids[index + by]] = [ids[index + by], ids[index]];
    if (await notify.run(ticketSettingsApi.reorderFields(unitId!, type, ids), t('ticketSettings.fields.reordered'))) reload();
  };

  const columns: TableColumnsType<FieldDefinition> = [
    { title: '#', key: 'position', width: 48, render: (_, __, i) => i + 1 },
    { title: t('ticketSettings.fields.label'), key: 'label', render: (_, f) => <span data-testid="field-label">{fieldLabel(f)}</span> },
    { title: t('ticketSettings.fields.key'), dataIndex: 'key', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
    { title: t('ticketSettings.fields.kind'), key: 'kind', render: (_, f) => t(`ticketSettings.kinds.${f.kind}`) },
    { title: t('ticketSettings.fields.required'), key: 'required', render: (_, f) => (f.required ? <Tag color="red">{t('ticketSettings.yes')}</Tag> : t('ticketSettings.no')) },
    {
      title: t('ticketSettings.fields.enabled'),
      key: 'enabled',
      render: (_, f) => (
        <Switch
          size="small"
          checked={f.enabled}
          aria-label={t('ticketSettings.fields.enabled')}
          onChange={async (enabled) => {
            if (await notify.run(ticketSettingsApi.updateField(f.id, { version: f.version, enabled }), t('common.saved'), reload)) reload();
          }}
          data-testid="field-enabled"
        />
      ),
    },
    {
      title: t('common.actions'),
      key: 'ops',
      render: (_, f, i) => (
        <Space size={0} wrap>
          <RowAction icon={<ArrowUpOutlined />} aria-label={t('ticketSettings.moveUp')} disabled={i === 0} onClick={() => move(i, -1)} testId="field-up" />
          <RowAction icon={<ArrowDownOutlined />} aria-label={t('ticketSettings.moveDown')} disabled={i === fields.data.length - 1} onClick={() => move(i, 1)} testId="field-down" />
          <RowAction onClick={() => setOpening({ field: f })} testId="field-edit">
            {t('common.edit')}
          </RowAction>
          <RowAction
            danger
            confirm={t('ticketSettings.fields.deleteConfirm', { name: fieldLabel(f) })}
            onClick={async () => {
              if (await notify.run(ticketSettingsApi.removeField(f.id), t('common.deleted'))) reload();
            }}
            testId="field-delete"
          >
            {t('common.delete')}
          </RowAction>
        </Space>
      ),
    },
  ];

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Space wrap>
        <Select
          {...filterProps(t('ticketSettings.unit'), 220)}
          allowClear={false}
          value={unitId}
          onChange={setChosen}
          options={owners.map((u) => ({ value: u.id, label: u.name }))}
          data-testid="fields-unit"
        />
        <Radio.Group
          optionType="button"
          value={type}
          onChange={(e) => setType(e.target.value as FieldsFor)}
          options={fieldForms.map((x) => ({ value: x, label: x === 'customer' ? t('ticketSettings.fields.customerForm') : t(`tickets.types.${x}`) }))}
          data-testid="fields-type"
        />
        {unitId && (
          <CreateButton testId="field-create" onClick={() => setOpening({ field: null })}>
            {t('ticketSettings.fields.create')}
          </CreateButton>
        )}
      </Space>
      <Typography.Text type="secondary">{t('ticketSettings.fields.intro')}</Typography.Text>
      <DataTable<FieldDefinition>
        dataSource={fields.data}
        loading={fields.loading || units.loading}
        error={fields.error ?? units.error}
        columns={columns}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: type === 'customer' ? t('ticketSettings.fields.customerEmpty') : t('ticketSettings.fields.empty') }}
        rowTestId={(f) => `field-row-${f.key}`}
      />
      <FormDrawer
        opening={opening}
        title={(o) => (o.field ? t('ticketSettings.fields.editDefinition', { name: fieldLabel(o.field) }) : t('ticketSettings.fields.create'))}
        formId="field-form"
        submitTestId="field-submit"
        size={560}
        onClose={() => setOpening(null)}
      >
        {(o, setBusy) => (
          <FieldForm
            field={o.field}
            unitId={unitId!}
            type={type}
            setBusy={setBusy}
            onDone={() => {
              setOpening(null);
              reload();
            }}
          />
        )}
      </FormDrawer>
    </Space>
  );
}

type Values = {
  key: string;
  labelZh: string;
  labelEn: string;
  kind: FieldDefinition['kind'];
  required: boolean;
  enabled: boolean;
  maxLength?: number | null;
  min?: number | null;
  max?: number | null;
  options?: { value: string; zh: string; en: string }[];
};

function FieldForm({ field, unitId, type, setBusy, onDone }: { field: FieldDefinition | null; unitId: string; type: FieldsFor; setBusy: (b: boolean) => void; onDone: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form) ?? field?.kind ?? 'text';
  const { onFinish, alert } = useFormSubmit(
    form,
    ['key', 'labelZh', 'labelEn', 'kind', 'required', 'enabled', 'maxLength', 'min', 'max', 'options'],
    async (v) => {
      const selectable = v.kind === 'select' || v.kind === 'multi_select';
      const settings = {
        labelZh: v.labelZh.trim(),
        labelEn: v.labelEn.trim(),
        required: v.required,
        enabled: v.enabled,
        maxLength: v.kind === 'text' ? (v.maxLength ?? null) : null,
        min: v.kind === 'number' ? (v.min ?? null) : null,
        max: v.kind === 'number' ? (v.max ?? null) : null,
        options: selectable ? (v.options ?? []).map((o) => ({ value: o.value.trim(), zh: o.zh.trim(), en: o.en.trim() })) : null,
      };
      if (field) await ticketSettingsApi.updateField(field.id, { version: field.version, ...(v.key !== field.key ? { key: v.key.trim() } : {}), ...settings });
      else await ticketSettingsApi.createField({ orgUnitId: unitId, ticketType: type, key: v.key.trim(), kind: v.kind, ...settings });
      notify.ok(t('common.saved'));
      onDone();
    },
    { setBusy, onConflict: onDone },
  );
  const initial: Values = {
    key: field?.key ?? '',
    labelZh: field?.labelZh ?? '',
    labelEn: field?.labelEn ?? '',
    kind: field?.kind ?? 'text',
    required: field?.required ?? false,
    enabled: field?.enabled ?? true,
    maxLength: field?.maxLength ?? null,
    min: field?.min ?? null,
    max: field?.max ?? null,
    options: field?.options.length ? field.options : [{ value: '', zh: '', en: '' }],
  };
  const required = [{ required: true, whitespace: true, message: t('common.required') }];
  return (
    <Form form={form} id="field-form" layout="vertical" onFinish={onFinish} noValidate initialValues={initial}>
      <Form.Item name="labelZh" label={t('ticketSettings.fields.labelZh')} rules={required}>
        <Input maxLength={50} autoFocus data-testid="field-label-zh" />
      </Form.Item>
      <Form.Item name="labelEn" label={t('ticketSettings.fields.labelEn')} rules={required}>
        <Input maxLength={50} data-testid="field-label-en" />
      </Form.Item>
      <Form.Item name="key" label={t('ticketSettings.fields.key')} extra={t('ticketSettings.fields.keyHelp')} rules={[...required, { pattern: /^[a-z0-9_]{1,40}$/, message: t('ticketSettings.fields.keyInvalid') }]}>
        <Input maxLength={40} data-testid="field-key" />
      </Form.Item>
      <Form.Item name="kind" label={t('ticketSettings.fields.kind')}>
        <Select disabled={!!field} options={fieldKinds.map((k) => ({ value: k, label: t(`ticketSettings.kinds.${k}`) }))} data-testid="field-kind" />
      </Form.Item>
      <Space size={24}>
        <Form.Item name="required" label={t('ticketSettings.fields.required')} valuePropName="checked">
          <Switch data-testid="field-required" />
        </Form.Item>
        <Form.Item name="enabled" label={t('ticketSettings.fields.enabled')} valuePropName="checked" extra={t('ticketSettings.fields.enabledHelp')}>
          <Switch data-testid="field-enabled-input" />
        </Form.Item>
      </Space>
      {kind === 'text' && (
        <Form.Item name="maxLength" label={t('ticketSettings.fields.maxLength')}>
          <InputNumber min={1} max={500} precision={0} style={{ width: 160 }} placeholder="500" data-testid="field-max-length" />
        </Form.Item>
      )}
      {kind === 'number' && (
        <Space size={16}>
          <Form.Item name="min" label={t('ticketSettings.fields.min')}>
            <InputNumber style={{ width: 160 }} data-testid="field-min" />
          </Form.Item>
          <Form.Item name="max" label={t('ticketSettings.fields.max')}>
            <InputNumber style={{ width: 160 }} data-testid="field-max" />
          </Form.Item>
        </Space>
      )}
      {(kind === 'select' || kind === 'multi_select') && (
        <Form.List name="options">
          {(items, { add, remove }) => (
            <>
              <Typography.Text strong>{t('ticketSettings.fields.options')}</Typography.Text>
              {items.map((item, i) => (
                <Space key={item.key} align="baseline" style={{ display: 'flex', marginTop: 8 }} data-testid="field-option">
                  <Form.Item name={[item.name, 'zh']} rules={required} style={{ marginBottom: 0 }}>
                    <Input placeholder={t('ticketSettings.fields.optionZh')} maxLength={50} aria-label={`${t('ticketSettings.fields.optionZh')} ${i + 1}`} data-testid="option-zh" />
                  </Form.Item>
                  <Form.Item name={[item.name, 'en']} rules={required} style={{ marginBottom: 0 }}>
                    <Input placeholder={t('ticketSettings.fields.optionEn')} maxLength={50} aria-label={`${t('ticketSettings.fields.optionEn')} ${i + 1}`} data-testid="option-en" />
                  </Form.Item>
                  <Form.Item name={[item.name, 'value']} rules={[...required, { pattern: /^[a-z0-9_]{1,40}$/, message: t('ticketSettings.fields.keyInvalid') }]} style={{ marginBottom: 0 }}>
                    <Input placeholder={t('ticketSettings.fields.optionValue')} maxLength={40} aria-label={`${t('ticketSettings.fields.optionValue')} ${i + 1}`} data-testid="option-value" />
                  </Form.Item>
                  <Button type="text" icon={<MinusCircleOutlined />} disabled={items.length <= 1} onClick={() => remove(item.name)} aria-label={t('ticketSettings.fields.removeOption')} />
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} disabled={items.length >= 50} onClick={() => add({ value: '', zh: '', en: '' })} style={{ marginTop: 8, marginBottom: 16 }} data-testid="option-add">
                {t('ticketSettings.fields.addOption')}
              </Button>
            </>
          )}
        </Form.List>
      )}
      {alert}
    </Form>
  );
}
