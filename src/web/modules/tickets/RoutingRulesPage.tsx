import { ArrowDownOutlined, ArrowUpOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Form, Input, InputNumber, Select, Space, Switch, Tag, Typography, type TableColumnsType } from 'antd';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgUnit } from '../../../contracts/api.ts';
import {
  assignmentPolicies,
  customerTier,
  ticketChannels,
  ticketPriorities,
  ticketTypes,
  type RoutingRule,
  type RoutingTestResult,
} from '../../../contracts/tickets.ts';
import { orgApi, routingApi, ticketsApi, type RoutingTestInput } from '../../endpoints.ts';
import { DataTable, filterProps, RowAction } from '../../ui/DataTable.tsx';
import { useFormSubmit, useNotify } from '../../ui/errors.tsx';
import { FormDrawer } from '../../ui/FormOverlay.tsx';
import { CreateButton, Page } from '../../ui/Page.tsx';
import { useLoaded } from '../../ui/useLoaded.ts';

type Opening = { rule: RoutingRule | null };
const tiers = customerTier.options;
type Tier = (typeof tiers)[number];
type Values = {
  name: string;
  enabled: boolean;
  types?: RoutingTestInput['type'][];
  categoryIds?: string[];
  channels?: RoutingTestInput['channel'][];
  keywords?: string[];
  customerTiers?: Tier[];
  vipOnly?: boolean;
  departmentId?: string | null;
  priority?: (typeof ticketPriorities)[number] | null;
  tags?: string[];
  assignment: (typeof assignmentPolicies)[number];
  timeLimitMinutes?: number | null;
};
const nonEmpty = <T,>(a: T[] | undefined) => (a && a.length ? a : undefined);

/** The departments below a unit (its subtree). */
function departmentsOf(units: OrgUnit[], rootId: string): OrgUnit[] {
  const inside = new Set([rootId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const u of units) if (u.parentId && inside.has(u.parentId) && !inside.has(u.id)) inside.add(u.id), (grew = true);
  }
  return units.filter((u) => u.kind === 'department' && inside.has(u.id));
}

/** 分流规则: a unit's ordered rules, edited in a drawer, moved up and down, and tried with a dry run. */
export function RoutingRulesPage() {
  const { t } = useTranslation();
  const notify = useNotify();
  const units = useLoaded(orgApi.list, []);
  const categories = useLoaded(ticketsApi.categories, []);
  const owners = units.data.filter((u) => u.kind === 'company' || u.kind === 'group');
  const [chosen, setChosen] = useState<string | undefined>();
  const unitId = chosen ?? owners.find((u) => u.kind === 'company')?.id ?? owners[0]?.id;
  const load = useCallback(() => (unitId ? routingApi.list(unitId) : Promise.resolve([])), [unitId]);
  const rules = useLoaded(load, [] as RoutingRule[], !!unitId);
  const [opening, setOpening] = useState<Opening | null>(null);
  const departments = useMemo(() => (unitId ? departmentsOf(units.data, unitId) : []), [units.data, unitId]);
  const categoryName = (id: string) => categories.data.find((c) => c.id === id)?.name ?? id;
  const reload = () => void rules.reload();

  const move = async (index: number, by: -1 | 1) => {
    const ids = rules.data.map((r) => r.id);
    [ids[index], ids[index + by]] = [ids[index + by], ids[index]];
    if (await notify.run(routingApi.reorder(unitId!, ids), t('routing.reordered'))) reload();
  };

  const conditionsSummary = (r: RoutingRule) => {
    const c = r.conditions;
    const parts: string[] = [];
    if (c.types?.length) parts.push(c.types.map((x) => t(`tickets.types.${x}`)).join('/'));
    if (c.categoryIds?.length) parts.push(c.categoryIds.map(categoryName).join('/'));
    if (c.channels?.length) parts.push(c.channels.map((x) => t(`tickets.channels.${x}`)).join('/'));
    if (c.keywords?.length) parts.push(t('routing.summary.keywords', { list: c.keywords.join('、') }));
    if (c.customerTiers?.length) parts.push(c.customerTiers.map((x) => t(`tickets.tiers.${x}`)).join('/'));
    if (c.vipOnly) parts.push(t('routing.vipOnly'));
    return parts.length ? parts.join(' · ') : t('routing.summary.any');
  };
  const actionsSummary = (r: RoutingRule) => {
    const a = r.actions;
    const parts: string[] = [];
    if (a.departmentName) parts.push(t('routing.summary.department', { name: a.departmentName }));
    if (a.priority) parts.push(t('routing.summary.priority', { priority: t(`tickets.priorities.${a.priority}`) }));
    if (a.tags.length) parts.push(t('routing.summary.tags', { list: a.tags.join('、') }));
    if (a.assignment !== 'manual') parts.push(t(`routing.assignments.${a.assignment}`));
    if (a.timeLimitMinutes) parts.push(t('routing.summary.limit', { minutes: a.timeLimitMinutes }));
    return parts.join(' · ') || t('common.none');
  };

  const columns: TableColumnsType<RoutingRule> = [
    { title: '#', key: 'position', width: 48, render: (_, __, i) => i + 1 },
    { title: t('routing.name'), dataIndex: 'name', render: (v: string) => <span data-testid="rule-name">{v}</span> },
    {
      title: t('routing.enabled'),
      key: 'enabled',
      render: (_, r) => (
        <Switch
          size="small"
          checked={r.enabled}
          onChange={async (enabled) => {
            if (await notify.run(routingApi.update(r.id, { version: r.version, enabled }), t('common.saved'), reload)) reload();
          }}
          data-testid="rule-enabled"
        />
      ),
    },
    { title: t('routing.conditions'), key: 'conditions', render: (_, r) => <span data-testid="rule-conditions">{conditionsSummary(r)}</span> },
    { title: t('routing.actions'), key: 'actions', render: (_, r) => <span data-testid="rule-actions">{actionsSummary(r)}</span> },
    {
      title: t('common.actions'),
      key: 'ops',
      render: (_, r, i) => (
        <Space size={0} wrap>
          <RowAction icon={<ArrowUpOutlined />} aria-label={t('routing.moveUp')} disabled={i === 0} onClick={() => move(i, -1)} testId="rule-up" />
          <RowAction icon={<ArrowDownOutlined />} aria-label={t('routing.moveDown')} disabled={i === rules.data.length - 1} onClick={() => move(i, 1)} testId="rule-down" />
          <RowAction onClick={() => setOpening({ rule: r })} testId="rule-edit">
            {t('common.edit')}
          </RowAction>
          <RowAction
            danger
            confirm={t('routing.deleteConfirm', { name: r.name })}
            onClick={async () => {
              if (await notify.run(routingApi.remove(r.id), t('common.deleted'))) reload();
            }}
            testId="rule-delete"
          >
            {t('common.delete')}
          </RowAction>
        </Space>
      ),
    },
  ];

  return (
    <Page
      title={t('routing.title')}
      testId="routing-page"
      extra={unitId && <CreateButton testId="rule-create" onClick={() => setOpening({ rule: null })}>{t('routing.create')}</CreateButton>}
    >
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Select
          {...filterProps(t('routing.unit'), 240)}
          allowClear={false}
          value={unitId}
          onChange={setChosen}
          options={owners.map((u) => ({ value: u.id, label: u.name }))}
          data-testid="routing-unit"
        />
        <Typography.Text type="secondary">{t('routing.intro')}</Typography.Text>
        <DataTable<RoutingRule>
          dataSource={rules.data}
          loading={rules.loading || units.loading}
          error={rules.error ?? units.error}
          columns={columns}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('routing.empty') }}
          rowTestId={(r) => `rule-row-${r.name}`}
        />
        {unitId && <DryRun unitId={unitId} categories={categories.data} />}
      </Space>
      <FormDrawer
        opening={opening}
        title={(o) => (o.rule ? t('routing.editTitle', { name: o.rule.name }) : t('routing.create'))}
        formId="rule-form"
        submitTestId="rule-submit"
        size={560}
        onClose={() => setOpening(null)}
      >
        {(o, setBusy) => (
          <RuleForm
            rule={o.rule}
            unitId={unitId!}
            departments={departments}
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

interface RuleFormProps {
  rule: RoutingRule | null;
  unitId: string;
  departments: OrgUnit[];
  categories: { id: string; name: string }[];
  setBusy: (busy: boolean) => void;
  onDone: () => void;
}

function RuleForm({ rule, unitId, departments, categories, setBusy, onDone }: RuleFormProps) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<Values>();
  const { onFinish, alert } = useFormSubmit(
    form,
    ['name', 'enabled', 'conditions', 'actions'],
    async (v) => {
      const conditions = {
        types: nonEmpty(v.types),
        categoryIds: nonEmpty(v.categoryIds),
        channels: nonEmpty(v.channels),
        keywords: nonEmpty(v.keywords?.map((k) => k.trim()).filter(Boolean)),
        customerTiers: nonEmpty(v.customerTiers),
        vipOnly: v.vipOnly || undefined,
      };
      const actions = {
        departmentId: v.departmentId ?? null,
        priority: v.priority ?? null,
        tags: v.tags ?? [],
        assignment: v.assignment,
        timeLimitMinutes: v.timeLimitMinutes ?? null,
      };
      if (rule) await routingApi.update(rule.id, { version: rule.version, name: v.name.trim(), enabled: v.enabled, conditions, actions });
      else await routingApi.create({ orgUnitId: unitId, name: v.name.trim(), enabled: v.enabled, conditions, actions });
      notify.ok(t('common.saved'));
      onDone();
    },
    { setBusy, onConflict: onDone },
  );
  const c = rule?.conditions;
  const a = rule?.actions;
  const initial: Values = {
    name: rule?.name ?? '',
    enabled: rule?.enabled ?? true,
    types: c?.types ?? [],
    categoryIds: c?.categoryIds ?? [],
    channels: c?.channels ?? [],
    keywords: c?.keywords ?? [],
    customerTiers: c?.customerTiers ?? [],
    vipOnly: c?.vipOnly ?? false,
    departmentId: a?.departmentId ?? null,
    priority: a?.priority ?? null,
    tags: a?.tags ?? [],
    assignment: a?.assignment ?? 'manual',
    timeLimitMinutes: a?.timeLimitMinutes ?? null,
  };
  const multi = { mode: 'multiple' as const, allowClear: true, optionFilterProp: 'label', placeholder: t('routing.anyValue') };
  return (
    <Form form={form} id="rule-form" layout="vertical" onFinish={onFinish} noValidate initialValues={initial}>
      <Form.Item name="name" label={t('routing.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
        <Input maxLength={100} autoFocus data-testid="rule-name-input" />
      </Form.Item>
      <Form.Item name="enabled" label={t('routing.enabled')} valuePropName="checked">
        <Switch data-testid="rule-enabled-input" />
      </Form.Item>
      <Typography.Title level={5}>{t('routing.conditions')}</Typography.Title>
      <Form.Item name="types" label={t('tickets.fields.type')}>
        <Select {...multi} options={ticketTypes.map((x) => ({ value: x, label: t(`tickets.types.${x}`) }))} data-testid="rule-types" />
      </Form.Item>
      <Form.Item name="categoryIds" label={t('tickets.fields.category')}>
        <Select {...multi} options={categories.map((x) => ({ value: x.id, label: x.name }))} data-testid="rule-categories" />
      </Form.Item>
      <Form.Item name="channels" label={t('tickets.fields.channel')}>
        <Select {...multi} options={ticketChannels.map((x) => ({ value: x, label: t(`tickets.channels.${x}`) }))} data-testid="rule-channels" />
      </Form.Item>
      <Form.Item name="keywords" label={t('routing.keywords')} extra={t('routing.keywordsHelp')}>
        <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '，', ' ']} data-testid="rule-keywords" />
      </Form.Item>
      <Form.Item name="customerTiers" label={t('routing.tiers')}>
        <Select {...multi} options={tiers.map((x) => ({ value: x, label: t(`tickets.tiers.${x}`) }))} data-testid="rule-tiers" />
      </Form.Item>
      <Form.Item name="vipOnly" valuePropName="checked">
        <Checkbox data-testid="rule-vip">{t('routing.vipOnly')}</Checkbox>
      </Form.Item>
      <Typography.Title level={5}>{t('routing.actions')}</Typography.Title>
      <Form.Item name={['departmentId']} label={t('routing.department')}>
        <Select allowClear placeholder={t('common.none')} options={departments.map((d) => ({ value: d.id, label: d.name }))} data-testid="rule-department" />
      </Form.Item>
      <Form.Item name="priority" label={t('tickets.fields.priority')} extra={t('routing.priorityHelp')}>
        <Select allowClear placeholder={t('common.none')} options={ticketPriorities.map((x) => ({ value: x, label: t(`tickets.priorities.${x}`) }))} data-testid="rule-priority" />
      </Form.Item>
      <Form.Item name="tags" label={t('routing.tags')}>
        <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '，', ' ']} data-testid="rule-tags" />
      </Form.Item>
      <Form.Item name="assignment" label={t('routing.assignment')}>
        <Select options={assignmentPolicies.map((x) => ({ value: x, label: t(`routing.assignments.${x}`) }))} data-testid="rule-assignment" />
      </Form.Item>
      <Form.Item name="timeLimitMinutes" label={t('routing.timeLimit')} extra={t('routing.timeLimitHelp')}>
        <InputNumber min={5} max={10080} precision={0} style={{ width: 200 }} addonAfter={t('routing.minutes')} data-testid="rule-time-limit" />
      </Form.Item>
      {alert}
    </Form>
  );
}

type TestValues = { type: RoutingTestInput['type']; channel: RoutingTestInput['channel']; subject: string; description?: string; categoryId?: string; customerTier?: Tier; vip?: boolean };

/** 试运行: which rule a work order like this would meet, and what it would do. */
function DryRun({ unitId, categories }: { unitId: string; categories: { id: string; name: string }[] }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<TestValues>();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<RoutingTestResult | null>(null);
  const { onFinish, alert } = useFormSubmit(
    form,
    ['type', 'channel', 'subject', 'description', 'categoryId', 'customerTier', 'vip'],
    async (v) => {
      setResult(await routingApi.test({ orgUnitId: unitId, ...v, description: v.description ?? '', categoryId: v.categoryId ?? null, customerTier: v.customerTier ?? null }));
    },
    { setBusy },
  );
  const o = result?.outcome;
  return (
    <Card size="small" title={t('routing.test.title')} data-testid="routing-test">
      <Form form={form} layout="inline" onFinish={onFinish} noValidate initialValues={{ type: 'complaint', channel: 'phone' }} style={{ rowGap: 8 }}>
        <Form.Item name="type">
          <Select style={{ width: 120 }} options={ticketTypes.map((x) => ({ value: x, label: t(`tickets.types.${x}`) }))} aria-label={t('tickets.fields.type')} data-testid="test-type" />
        </Form.Item>
        <Form.Item name="channel">
          <Select style={{ width: 120 }} options={ticketChannels.map((x) => ({ value: x, label: t(`tickets.channels.${x}`) }))} aria-label={t('tickets.fields.channel')} data-testid="test-channel" />
        </Form.Item>
        <Form.Item name="categoryId">
          <Select {...filterProps(t('tickets.fields.category'), 140)} options={categories.map((x) => ({ value: x.id, label: x.name }))} data-testid="test-category" />
        </Form.Item>
        <Form.Item name="customerTier">
          <Select {...filterProps(t('routing.tiers'), 140)} options={tiers.map((x) => ({ value: x, label: t(`tickets.tiers.${x}`) }))} data-testid="test-tier" />
        </Form.Item>
        <Form.Item name="vip" valuePropName="checked">
          <Checkbox data-testid="test-vip">VIP</Checkbox>
        </Form.Item>
        <Form.Item name="subject" rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input placeholder={t('tickets.fields.subject')} style={{ width: 240 }} data-testid="test-subject" />
        </Form.Item>
        <Form.Item name="description">
          <Input placeholder={t('tickets.fields.description')} style={{ width: 280 }} data-testid="test-description" />
        </Form.Item>
        <Button htmlType="submit" loading={busy} data-testid="test-submit">
          {t('routing.test.run')}
        </Button>
      </Form>
      {alert}
      {result && (
        <div style={{ marginTop: 12 }} data-testid="test-result">
          {o ? (
            <Alert
              type="success"
              showIcon
              title={t('routing.test.matched', { name: o.ruleName })}
              description={[
                o.departmentName && t('routing.summary.department', { name: o.departmentName }),
                t('routing.summary.priority', { priority: t(`tickets.priorities.${o.priority}`) }),
                o.tags.length > 0 && t('routing.summary.tags', { list: o.tags.join('、') }),
                o.assignee && t('routing.test.assignee', { name: o.assignee.name }),
                o.handoff && t('routing.summary.limit', { minutes: o.handoff.timeLimitMinutes }),
              ]
                .filter(Boolean)
                .join(' · ')}
            />
          ) : (
            <Alert type="info" showIcon title={t('routing.test.noMatch')} />
          )}
          <Space size={4} wrap style={{ marginTop: 8 }}>
            {result.trace.map((x) => (
              <Tag key={x.ruleId} color={x.result === 'matched' ? 'green' : x.result === 'no_match' ? 'orange' : 'default'} data-testid="test-trace">
                {x.name}：{t(`routing.test.results.${x.result}`)}
              </Tag>
            ))}
          </Space>
        </div>
      )}
    </Card>
  );
}
