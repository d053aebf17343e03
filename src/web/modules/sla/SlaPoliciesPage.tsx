import { ArrowDownOutlined, ArrowUpOutlined, MinusCircleOutlined, PlusOutlined, WarningOutlined } from '@ant-design/icons';
import { Button, Checkbox, Form, Input, InputNumber, Select, Space, Switch, Tag, Typography, type TableColumnsType } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { escalationNotify, timeModes, type SlaPolicy } from '../../../contracts/sla.ts';
import { customerTier, ticketChannels, ticketPriorities, ticketTypes } from '../../../contracts/tickets.ts';
import { orgApi, slaApi, ticketsApi } from '../../endpoints.ts';
import { DataTable, filterProps, RowAction } from '../../ui/DataTable.tsx';
import { useFormSubmit, useNotify } from '../../ui/errors.tsx';
import { FormDrawer } from '../../ui/FormOverlay.tsx';
import { CreateButton, Page } from '../../ui/Page.tsx';
import { useLoaded } from '../../ui/useLoaded.ts';

const targetKeys = ['firstResponse', 'resolution', 'handoff', 'callback'] as const;
type TargetKey = (typeof targetKeys)[number];
type Mode = (typeof timeModes)[number];
type Level = { afterMinutes: number; notify: (typeof escalationNotify)[number]; raisePriority?: boolean; reassign?: boolean };
type Values = {
  name: string;
  enabled: boolean;
  types?: string[];
  priorities?: string[];
  severities?: number[];
  categoryIds?: string[];
  channels?: string[];
  customerTiers?: string[];
  vipOnly?: boolean;
  targets: Record<TargetKey, { hours?: number | null; mode: Mode }>;
  warnPercent?: number | null;
  levels: Level[];
};
const nonEmpty = <T,>(a: T[] | undefined) => (a && a.length ? a : undefined);

/** Hours for the form, minutes for the API: people think in hours (“48 小时”); minutes keep precision. */
export function formatLimit(minutes: number): string {
  return minutes % 60 === 0 ? `${minutes / 60} h` : `${(minutes / 60).toFixed(2).replace(/0+$/, '')} h`;
}

/** 服务时限策略: a unit's ordered policies — the first whose conditions hold applies to a work order. */
export function SlaPoliciesPage() {
  const { t } = useTranslation();
  const notify = useNotify();
  const units = useLoaded(orgApi.list, []);
  const owners = units.data.filter((u) => u.kind === 'company' || u.kind === 'group');
  const [chosen, setChosen] = useState<string | undefined>();
  const unitId = chosen ?? owners.find((u) => u.kind === 'company')?.id ?? owners[0]?.id;
  const load = useCallback(() => (unitId ? slaApi.list(unitId) : Promise.resolve([])), [unitId]);
  const policies = useLoaded(load, [] as SlaPolicy[], !!unitId);
  const categories = useLoaded(ticketsApi.categories, []);
  const [opening, setOpening] = useState<{ policy: SlaPolicy | null } | null>(null);
  const reload = () => void policies.reload();

  const move = async (index: number, by: -1 | 1) => {
    const ids = policies.data.map((r) => r.id);
    [ids[index], ids[index + by]] = [ids[index + by], ids[index]];
    if (await notify.run(slaApi.reorder(unitId!, ids), t('sla.reordered'))) reload();
  };
  const conditions = (p: SlaPolicy) => {
    const c = p.conditions;
    const parts: string[] = [];
    if (c.types?.length) parts.push(c.types.map((x) => t(`tickets.types.${x}`)).join('/'));
    if (c.priorities?.length) parts.push(c.priorities.map((x) => t(`tickets.priorities.${x}`)).join('/'));
    if (c.severities?.length) parts.push(c.severities.map((x) => t(`tickets.severities.${x}`)).join('/'));
    if (c.channels?.length) parts.push(c.channels.map((x) => t(`tickets.channels.${x}`)).join('/'));
    if (c.customerTiers?.length) parts.push(c.customerTiers.map((x) => t(`tickets.tiers.${x}`)).join('/'));
    if (c.vipOnly) parts.push('VIP');
    return parts.length ? parts.join(' · ') : t('sla.any');
  };
  const targets = (p: SlaPolicy) =>
    targetKeys
      .filter((k) => p.targets[k])
      .map((k) => `${t(`sla.targets.${k}`)} ${formatLimit(p.targets[k]!.minutes)}${p.targets[k]!.mode === 'calendar' ? ` (${t('sla.modes.calendar')})` : ''}`)
      .join(' · ');
  const chain = (p: SlaPolicy) =>
    [p.escalation.warnPercent ? t('sla.warnAt', { percent: p.escalation.warnPercent }) : null, ...p.escalation.levels.map((l, i) => t('sla.levelSummary', { n: i + 1, who: t(`sla.notify.${l.notify}`), minutes: l.afterMinutes }))]
      .filter(Boolean)
      .join(' → ');

  const columns: TableColumnsType<SlaPolicy> = [
    { title: '#', key: 'position', width: 48, render: (_, __, i) => i + 1 },
    {
      title: t('sla.name'),
      dataIndex: 'name',
      render: (v: string, p) => (
        <Space direction="vertical" size={2}>
          <span data-testid="policy-name">{v}</span>
          {/* A year without official holiday data: the server's message, in the request's language. */}
          {(p.warnings ?? []).map((w) => (
            <Tag key={`${w.code}-${w.year ?? ''}`} color="warning" icon={<WarningOutlined />} data-testid="policy-warning" style={{ whiteSpace: 'normal' }}>
              {w.message}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('sla.enabled'),
      key: 'enabled',
      render: (_, p) => (
        <Switch size="small" checked={p.enabled} onChange={async (enabled) => (await notify.run(slaApi.update(p.id, { version: p.version, enabled }), t('common.saved'), reload)) && reload()} />
      ),
    },
    { title: t('sla.conditions'), key: 'conditions', render: (_, p) => conditions(p) },
    { title: t('sla.targetsTitle'), key: 'targets', render: (_, p) => <span data-testid="policy-targets">{targets(p)}</span> },
    { title: t('sla.escalation'), key: 'chain', render: (_, p) => chain(p) || t('common.none') },
    {
      title: t('common.actions'),
      key: 'ops',
      render: (_, p, i) => (
        <Space size={0} wrap>
          <RowAction icon={<ArrowUpOutlined />} aria-label={t('sla.moveUp')} disabled={i === 0} onClick={() => move(i, -1)} testId="policy-up" />
          <RowAction icon={<ArrowDownOutlined />} aria-label={t('sla.moveDown')} disabled={i === policies.data.length - 1} onClick={() => move(i, 1)} testId="policy-down" />
          <RowAction onClick={() => setOpening({ policy: p })} testId="policy-edit">
            {t('common.edit')}
          </RowAction>
          <RowAction danger confirm={t('sla.deleteConfirm', { name: p.name })} onClick={async () => (await notify.run(slaApi.remove(p.id), t('common.deleted'))) && reload()} testId="policy-delete">
            {t('common.delete')}
          </RowAction>
        </Space>
      ),
    },
  ];

  return (
    <Page title={t('sla.title')} testId="sla-page" extra={unitId && <CreateButton testId="policy-create" onClick={() => setOpening({ policy: null })}>{t('sla.create')}</CreateButton>}>
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Select {...filterProps(t('sla.unit'), 240)} allowClear={false} value={unitId} onChange={setChosen} options={owners.map((u) => ({ value: u.id, label: u.name }))} data-testid="sla-unit" />
        <Typography.Text type="secondary">{t('sla.intro')}</Typography.Text>
        <DataTable<SlaPolicy>
          dataSource={policies.data}
          loading={policies.loading || units.loading}
          error={policies.error ?? units.error}
          columns={columns}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('sla.empty') }}
          rowTestId={(p) => `policy-row-${p.name}`}
        />
      </Space>
      <FormDrawer
        opening={opening}
        title={(o) => (o.policy ? t('sla.editTitle', { name: o.policy.name }) : t('sla.create'))}
        formId="policy-form"
        submitTestId="policy-submit"
        size={600}
        onClose={() => setOpening(null)}
      >
        {(o, setBusy) => (
          <PolicyForm
            policy={o.policy}
            unitId={unitId!}
            categories={categories.data}
            setBusy={setBusy}
            onDone={() => {
              setOpening(null);
              reload();
            }}
          />
        )}
      </FormDrawer>
    </Page>
  );
}

function PolicyForm({ policy, unitId, categories, setBusy, onDone }: { policy: SlaPolicy | null; unitId: string; categories: { id: string; name: string }[]; setBusy: (b: boolean) => void; onDone: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<Values>();
  const { onFinish, alert } = useFormSubmit(
    form,
    ['name', 'enabled', 'conditions', 'targets', 'escalation'],
    async (v) => {
      const conditions = {
        types: nonEmpty(v.types),
        priorities: nonEmpty(v.priorities),
        severities: nonEmpty(v.severities),
        categoryIds: nonEmpty(v.categoryIds),
        channels: nonEmpty(v.channels),
        customerTiers: nonEmpty(v.customerTiers),
        vipOnly: v.vipOnly || undefined,
      } as NonNullable<Parameters<typeof slaApi.create>[0]['conditions']>;
      const targets = Object.fromEntries(
        targetKeys.map((k) => {
          const x = v.targets[k];
          return [k, x?.hours ? { minutes: Math.round(x.hours * 60), mode: x.mode } : null];
        }),
      );
      const escalation = { warnPercent: v.warnPercent ?? null, levels: v.levels.map((l) => ({ afterMinutes: l.afterMinutes ?? 0, notify: l.notify, raisePriority: !!l.raisePriority, reassign: !!l.reassign })) };
      if (policy) await slaApi.update(policy.id, { version: policy.version, name: v.name.trim(), enabled: v.enabled, conditions, targets, escalation });
      else await slaApi.create({ orgUnitId: unitId, name: v.name.trim(), enabled: v.enabled, conditions, targets, escalation });
      notify.ok(t('common.saved'));
      onDone();
    },
    { setBusy, onConflict: onDone },
  );
  const c = policy?.conditions;
  const initial: Values = {
    name: policy?.name ?? '',
    enabled: policy?.enabled ?? true,
    types: c?.types ?? [],
    priorities: c?.priorities ?? [],
    severities: c?.severities ?? [],
    categoryIds: c?.categoryIds ?? [],
    channels: c?.channels ?? [],
    customerTiers: c?.customerTiers ?? [],
    vipOnly: c?.vipOnly ?? false,
    targets: Object.fromEntries(targetKeys.map((k) => [k, { hours: policy?.targets[k] ? policy.targets[k]!.minutes / 60 : null, mode: policy?.targets[k]?.mode ?? 'working' }])) as Values['targets'],
    warnPercent: policy ? policy.escalation.warnPercent : 75,
    levels: policy?.escalation.levels ?? [],
  };
  const multi = { mode: 'multiple' as const, allowClear: true, optionFilterProp: 'label', placeholder: t('sla.any') };
  return (
    <Form form={form} id="policy-form" layout="vertical" onFinish={onFinish} noValidate initialValues={initial}>
      <Form.Item name="name" label={t('sla.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
        <Input maxLength={64} autoFocus data-testid="policy-name-input" />
      </Form.Item>
      <Form.Item name="enabled" label={t('sla.enabled')} valuePropName="checked">
        <Switch />
      </Form.Item>
      <Typography.Title level={5}>{t('sla.conditions')}</Typography.Title>
      <Form.Item name="types" label={t('tickets.fields.type')}>
        <Select {...multi} options={ticketTypes.map((x) => ({ value: x, label: t(`tickets.types.${x}`) }))} data-testid="policy-types" />
      </Form.Item>
      <Form.Item name="priorities" label={t('tickets.fields.priority')}>
        <Select {...multi} options={ticketPriorities.map((x) => ({ value: x, label: t(`tickets.priorities.${x}`) }))} data-testid="policy-priorities" />
      </Form.Item>
      <Form.Item name="severities" label={t('sla.severities')}>
        <Select {...multi} options={[1, 2, 3].map((x) => ({ value: x, label: t(`tickets.severities.${x}`) }))} data-testid="policy-severities" />
      </Form.Item>
      <Form.Item name="categoryIds" label={t('tickets.fields.category')}>
        <Select {...multi} options={categories.map((x) => ({ value: x.id, label: x.name }))} />
      </Form.Item>
      <Form.Item name="channels" label={t('tickets.fields.channel')}>
        <Select {...multi} options={ticketChannels.map((x) => ({ value: x, label: t(`tickets.channels.${x}`) }))} />
      </Form.Item>
      <Form.Item name="customerTiers" label={t('sla.tiers')}>
        <Select {...multi} options={customerTier.options.map((x) => ({ value: x, label: t(`tickets.tiers.${x}`) }))} />
      </Form.Item>
      <Form.Item name="vipOnly" valuePropName="checked">
        <Checkbox>{t('sla.vipOnly')}</Checkbox>
      </Form.Item>
      <Typography.Title level={5}>{t('sla.targetsTitle')}</Typography.Title>
      {targetKeys.map((k) => (
        <Space key={k} align="baseline" wrap>
          <Form.Item name={['targets', k, 'hours']} label={t(`sla.targets.${k}`)}>
            <InputNumber min={0.25} max={8760} step={0.5} style={{ width: 160 }} addonAfter={t('sla.hours')} data-testid={`policy-target-${k}`} />
          </Form.Item>
          <Form.Item name={['targets', k, 'mode']} label={t('sla.mode')}>
            <Select style={{ width: 140 }} options={timeModes.map((m) => ({ value: m, label: t(`sla.modes.${m}`) }))} data-testid={`policy-mode-${k}`} />
          </Form.Item>
        </Space>
      ))}
      <Typography.Title level={5}>{t('sla.escalation')}</Typography.Title>
      <Form.Item name="warnPercent" label={t('sla.warnPercent')}>
        <InputNumber min={10} max={99} style={{ width: 160 }} addonAfter="%" data-testid="policy-warn" />
      </Form.Item>
      <Form.List name="levels">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f, i) => (
              <Space key={f.key} align="baseline" wrap data-testid={`policy-level-${i + 1}`}>
                <Typography.Text>{t('sla.level', { n: i + 1 })}</Typography.Text>
                <Form.Item name={[f.name, 'afterMinutes']} label={t('sla.afterMinutes')} initialValue={0}>
                  <InputNumber min={0} max={43200} style={{ width: 130 }} data-testid={`policy-level-${i + 1}-after`} />
                </Form.Item>
                <Form.Item name={[f.name, 'notify']} label={t('sla.notifyWho')} initialValue={i === 0 ? 'shift_lead' : i === 1 ? 'manager' : 'director'}>
                  <Select style={{ width: 140 }} options={escalationNotify.map((x) => ({ value: x, label: t(`sla.notify.${x}`) }))} data-testid={`policy-level-${i + 1}-notify`} />
                </Form.Item>
                <Form.Item name={[f.name, 'raisePriority']} valuePropName="checked">
                  <Checkbox>{t('sla.raisePriority')}</Checkbox>
                </Form.Item>
                <Form.Item name={[f.name, 'reassign']} valuePropName="checked">
                  <Checkbox>{t('sla.reassign')}</Checkbox>
                </Form.Item>
                <MinusCircleOutlined aria-label={t('common.delete')} onClick={() => remove(f.name)} />
              </Space>
            ))}
            {fields.length < 3 && (
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()} data-testid="policy-add-level">
                {t('sla.addLevel')}
              </Button>
            )}
          </>
        )}
      </Form.List>
      {alert}
    </Form>
  );
}
