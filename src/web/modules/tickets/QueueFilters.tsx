import { ClearOutlined, DownOutlined, UpOutlined } from '@ant-design/icons';
import { Button, Checkbox, DatePicker, Flex, Input, Select, Space, Tag, TreeSelect, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgUnit } from '../../../contracts/api.ts';
import type { TicketCategory } from '../../endpoints.ts';
import { orgApi, ticketsApi, usersApi } from '../../endpoints.ts';
import { useSession } from '../../session.tsx';
import { filterProps } from '../../ui/DataTable.tsx';
import { useLoaded } from '../../ui/useLoaded.ts';
import { channels, priorities, severities, statuses, types } from './model.ts';
import { countMore, dateRanges, instantsToDayRange, joinList, splitList, toTree, withDayRange, withValue, type DateRange, type FilterKey, type QueueQuery } from './queueFilter.ts';

interface Option {
  value: string;
  label: string;
}
const loadUnits = () => orgApi.list().catch((): OrgUnit[] => []);
const loadCategories = () => ticketsApi.categories().catch((): TicketCategory[] => []);

/**
 * The queue's filters (issue §8): a compact first row (search, statuses, types) and "更多筛选" for the
 * rest — channels, priorities, severity, category, tags, owning unit, department, assignee, VIP,
 * created/updated/due days, overdue — and "清除". The filter is the API's query string (QueueQuery):
 * the page keeps it in the URL, so a link or a reload shows the same orders.
 */
export function QueueFilters({ filter, onChange }: { filter: QueueQuery; onChange: (f: QueueQuery) => void }) {
  const { t } = useTranslation();
  const more = countMore(filter);
  const [open, setOpen] = useState(more > 0);
  const set = (key: FilterKey) => (value: string | null | undefined) => onChange(withValue(filter, key, value));
  const setList = (key: FilterKey) => (values: string[]) => onChange(withValue(filter, key, joinList(values)));
  const options = (values: readonly (string | number)[], prefix: string): Option[] => values.map((v) => ({ value: String(v), label: t(`${prefix}.${String(v)}`) }));
  const multi = (key: FilterKey, label: string, width: number, values: readonly string[], prefix: string, testId: string) => (
    <Select<string[]>
      {...filterProps(label, width)}
      mode="multiple"
      maxTagCount="responsive"
      value={splitList(filter[key])}
      onChange={setList(key)}
      options={options(values, prefix)}
      showSearch={{ optionFilterProp: 'label' }}
      data-testid={testId}
    />
  );
  const anything = Object.keys(filter).length > 0;

  return (
    <div data-testid="queue-filters" style={{ marginBottom: 16 }}>
      <Flex gap={12} wrap align="center">
        <Input.Search
          {...filterProps(t('tickets.filters.search'), 260)}
          key={`q-${filter.q ?? ''}`} // a saved filter, a link or "clear" shows its text
          defaultValue={filter.q}
          maxLength={64}
          onSearch={(q) => set('q')(q.trim() || undefined)}
          enterButton={t('common.search')}
          data-testid="ticket-search"
        />
        {multi('status', t('tickets.fields.status'), 220, statuses, 'tickets.statuses', 'ticket-status-filter')}
        {multi('type', t('tickets.fields.type'), 200, types, 'tickets.types', 'ticket-type-filter')}
        <Button type="link" icon={open ? <UpOutlined /> : <DownOutlined />} onClick={() => setOpen((o) => !o)} aria-expanded={open} data-testid="queue-more-filters">
          {more ? t('queues.filters.moreCount', { count: more }) : t('queues.filters.more')}
        </Button>
        <Button icon={<ClearOutlined />} disabled={!anything} onClick={() => onChange({})} data-testid="queue-clear-filters">
          {t('queues.filters.clear')}
        </Button>
      </Flex>
      {open && <MoreFilters filter={filter} onChange={onChange} multi={multi} set={set} options={options} />}
    </div>
  );
}

function MoreFilters({
  filter,
  onChange,
  multi,
  set,
  options,
}: {
  filter: QueueQuery;
  onChange: (f: QueueQuery) => void;
  multi: (key: FilterKey, label: string, width: number, values: readonly string[], prefix: string, testId: string) => React.ReactNode;
  set: (key: FilterKey) => (value: string | null | undefined) => void;
  options: (values: readonly (string | number)[], prefix: string) => Option[];
}) {
  const { t } = useTranslation();
  const units = useLoaded(loadUnits, []);
  const categories = useLoaded(loadCategories, []);
  const unitTree = useMemo(() => toTree(units.data), [units.data]);
  const departmentTree = useMemo(() => toTree(units.data, (u) => u.kind === 'department'), [units.data]);
  const categoryTree = useMemo(() => toTree(categories.data), [categories.data]);
  const tree = (key: FilterKey, label: string, data: typeof unitTree, testId: string) => (
    <TreeSelect
      {...filterProps(label, 200)}
      treeData={data}
      treeDefaultExpandAll
      showSearch={{ treeNodeFilterProp: 'title' }}
      value={filter[key]}
      onChange={(v: string | undefined) => set(key)(v)}
      popupMatchSelectWidth={false}
      data-testid={testId}
    />
  );
  const range = (r: DateRange, label: string) => {
    const [fromKey, toKey] = dateRanges[r];
    const [from, to] = instantsToDayRange(filter[fromKey], filter[toKey]);
    return (
      <Space size={4} data-testid={`ticket-${r}-range`}>
        <Typography.Text type="secondary">{label}</Typography.Text>
        <DatePicker.RangePicker
          value={[from ? dayjs(from) : null, to ? dayjs(to) : null]}
          allowEmpty={[true, true]}
          format="YYYY-MM-DD"
          onChange={(_, days) => onChange(withDayRange(filter, r, days ? [days[0] || null, days[1] || null] : null))}
          placeholder={[t('queues.filters.start'), t('queues.filters.end')]}
          aria-label={label}
        />
      </Space>
    );
  };

  return (
    <Flex gap={12} wrap align="center" style={{ marginTop: 12 }} data-testid="queue-more-panel">
      {multi('channel', t('tickets.fields.channel'), 200, channels, 'tickets.channels', 'ticket-channel-filter')}
      {multi('priority', t('tickets.fields.priority'), 200, priorities, 'tickets.priorities', 'ticket-priority-filter')}
      <Select
        {...filterProps(t('tickets.fields.severity'), 120)}
        value={filter.severity}
        onChange={(v: string | undefined) => set('severity')(v)}
        options={options(severities, 'tickets.severities')}
        data-testid="ticket-severity-filter"
      />
      {tree('categoryId', t('tickets.fields.category'), categoryTree, 'ticket-category-filter')}
      <Select<string[]>
        {...filterProps(t('queues.tags'), 200)}
        mode="tags"
        maxCount={10}
        maxTagCount="responsive"
        tokenSeparators={[',', '，']}
        value={splitList(filter.tags)}
        onChange={(v) => set('tags')(joinList(v.map((x) => x.trim().slice(0, 32)).filter(Boolean)))}
        data-testid="ticket-tags-filter"
      />
      {tree('orgUnitId', t('tickets.fields.orgUnit'), unitTree, 'ticket-unit-filter')}
      {tree('departmentId', t('tickets.fields.department'), departmentTree, 'ticket-department-filter')}
      <AssigneeFilter value={filter.assigneeId} onChange={set('assigneeId')} />
      {range('created', t('tickets.fields.createdAt'))}
      {range('updated', t('queues.filters.updated'))}
      {range('due', t('tickets.fields.dueAt'))}
      <Checkbox checked={filter.vip === 'true'} onChange={(e) => set('vip')(e.target.checked ? 'true' : undefined)} data-testid="ticket-vip-filter">
        {t('queues.vip')}
      </Checkbox>
      <Checkbox checked={filter.overdue === 'true'} onChange={(e) => set('overdue')(e.target.checked ? 'true' : undefined)} data-testid="ticket-overdue-filter">
        {t('queues.filters.overdue')}
      </Checkbox>
      {filter.customerId && (
        <Tag closable onClose={() => set('customerId')(undefined)} data-testid="ticket-customer-filter">
          {t('queues.filters.customer')}
        </Tag>
      )}
    </Flex>
  );
}

/**
 * 处理人: me, unassigned, and — for those who may read staff (user:read) — anyone in their scope, found
 * on the server as they type. Agents cannot list staff, so they get me and unassigned only.
 */
function AssigneeFilter({ value, onChange }: { value: string | undefined; onChange: (v: string | undefined) => void }) {
  const { t } = useTranslation();
  const { me, can } = useSession();
  const canList = can('user:read');
  const [people, setPeople] = useState<Option[]>([]);
  const [known, setKnown] = useState<Option | null>(null);
  const seq = useRef(0);
  const search = async (q: string) => {
    if (!canList) return;
    const mine = ++seq.current;
    try {
      const page = await usersApi.list({ q: q.trim() || undefined, status: 'active', limit: 20 });
      if (mine === seq.current) setPeople(page.items.map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` })));
    } catch {
      if (mine === seq.current) setPeople([]);
    }
  };
  // A person chosen by a link or a saved filter: name them (when staff may be read).
  useEffect(() => {
    if (!value || value === 'unassigned' || value === me?.user.id || !canList || known?.value === value) return;
    let live = true;
    usersApi.get(value).then(
      (u) => live && setKnown({ value: u.id, label: `${u.displayName} (${u.username})` }),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [value, me, canList, known]);
  const fixed: Option[] = [...(me ? [{ value: me.user.id, label: t('queues.filters.me') }] : []), { value: 'unassigned', label: t('tickets.unassigned') }];
  const shown = [...fixed, ...(known && !people.some((p) => p.value === known.value) ? [known] : []), ...people.filter((p) => p.value !== me?.user.id)];
  return (
    <Select
      {...filterProps(t('tickets.fields.assignee'), 200)}
      value={value}
      onChange={(v: string | undefined) => {
        const p = people.find((x) => x.value === v);
        if (p) setKnown(p);
        onChange(v);
      }}
      onOpenChange={(o) => o && void search('')}
      showSearch={canList ? { filterOption: false, onSearch: (q) => void search(q) } : false}
      options={shown}
      data-testid="ticket-assignee-filter"
    />
  );
}
