import { Alert, Button, type ButtonProps, Checkbox, Flex, Form, Input, Modal, Popconfirm, Select, Space, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BulkRefusal, SavedFilter, TicketBulk } from '../../../contracts/queues.ts';
import type { TicketSummary } from '../../../contracts/tickets.ts';
import { ApiError } from '../../api.ts';
import { bulkApi, orgApi, savedFiltersApi, usersApi } from '../../endpoints.ts';
import { useNotify } from '../../ui/errors.tsx';
import { statuses } from './model.ts';

/** A queue's filter in query-string form (what GET /api/tickets and saved filters hold). */
export type QueueQuery = Record<string, string>;

/**
 * Saved filters (保存的筛选): choose one (mine and those shared with my department), save the
 * current filter under a name (optionally shared), rename or delete my own.
 */
export function SavedFilters({ current, onApply }: { current: QueueQuery; onApply: (q: QueueQuery) => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [items, setItems] = useState<SavedFilter[]>([]);
  const [chosen, setChosen] = useState<string | undefined>();
  const [editing, setEditing] = useState<{ filter: SavedFilter | null } | null>(null);
  const [form] = Form.useForm<{ name: string; shared: boolean }>();
  const load = useCallback(async () => {
    try {
      setItems(await savedFiltersApi.list());
    } catch (err) {
      notify.fail(err);
    }
  }, [notify]);
  useEffect(() => void load(), [load]);
  const selected = items.find((f) => f.id === chosen);

  const submit = async (v: { name: string; shared: boolean }) => {
    const f = editing?.filter;
    const ok = await notify.run(
      f ? savedFiltersApi.update(f.id, { version: f.version, name: v.name, shared: v.shared }) : savedFiltersApi.create({ name: v.name, shared: v.shared, query: current }),
      t('common.saved'),
    );
    if (!ok) return;
    setEditing(null);
    await load();
  };
  const remove = async (f: SavedFilter) => {
    if (await notify.run(savedFiltersApi.remove(f.id), t('common.deleted'))) {
      setChosen(undefined);
      await load();
    }
  };

  return (
    <Space wrap data-testid="saved-filters">
      <Select
        style={{ width: 220 }}
        allowClear
        placeholder={t('queues.saved.choose')}
        value={chosen}
        onChange={(id: string | undefined) => {
          setChosen(id);
          const f = items.find((x) => x.id === id);
          if (f) onApply(f.query as QueueQuery);
        }}
        options={items.map((f) => ({ value: f.id, label: f.mine ? f.name : `${f.name} · ${f.ownerName}` }))}
        data-testid="saved-filter-select"
      />
      <Button
        onClick={() => {
          form.setFieldsValue({ name: '', shared: false });
          setEditing({ filter: null });
        }}
        data-testid="saved-filter-save"
      >
        {t('queues.saved.save')}
      </Button>
      {selected?.mine && (
        <>
          <Button
            type="link"
            onClick={() => {
              form.setFieldsValue({ name: selected.name, shared: selected.departmentId !== null });
              setEditing({ filter: selected });
            }}
            data-testid="saved-filter-rename"
          >
            {t('queues.saved.rename')}
          </Button>
          <Popconfirm title={t('queues.saved.confirmDelete', { name: selected.name })} onConfirm={() => void remove(selected)}>
            <Button type="link" danger data-testid="saved-filter-delete">
              {t('common.delete')}
            </Button>
          </Popconfirm>
        </>
      )}
      <Modal
        open={editing !== null}
        title={editing?.filter ? t('queues.saved.renameTitle') : t('queues.saved.saveTitle')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okButtonProps={{ 'data-testid': 'saved-filter-submit' } as ButtonProps}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
          <Form.Item name="name" label={t('queues.saved.name')} rules={[{ required: true, whitespace: true, max: 64, message: t('common.required') }]}>
            <Input maxLength={64} data-testid="saved-filter-name" />
          </Form.Item>
          <Form.Item name="shared" valuePropName="checked">
            <Checkbox data-testid="saved-filter-shared">{t('queues.saved.shared')}</Checkbox>
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

type Action = TicketBulk['action'];
interface Option {
  value: string;
  label: string;
}

/**
 * The bar above the queue table when rows are selected: assign to…, transfer to a department…,
 * add tags, move status. All or nothing: a refusal names each refused order and changes nothing.
 */
export function BulkBar({ selected, canAssign, onDone }: { selected: TicketSummary[]; canAssign: boolean; onDone: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [action, setAction] = useState<Action | null>(null);
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState<{ title: string; items: BulkRefusal[] } | null>(null);
  const [people, setPeople] = useState<Option[]>([]);
  const [departments, setDepartments] = useState<Option[]>([]);
  const [form] = Form.useForm<{ assigneeId?: string; departmentIds?: string[]; reason?: string; timeLimitMinutes?: number; tags?: string[]; to?: string }>();
  const seq = useRef(0);
  const numbers = new Map(selected.map((x) => [x.id, x.number]));

  const searchPeople = async (q: string) => {
    const mine = ++seq.current;
    try {
      const page = await usersApi.list({ q: q.trim() || undefined, status: 'active', limit: 20 });
      if (mine === seq.current) setPeople(page.items.map((u) => ({ value: u.id, label: `${u.displayName} (${u.username}) · ${u.orgUnitName}` })));
    } catch {
      if (mine === seq.current) setPeople([]);
    }
  };
  const start = async (a: Action) => {
    form.resetFields();
    setRefused(null);
    setAction(a);
    if (a === 'assign') void searchPeople('');
    if (a === 'transfer') {
      try {
        setDepartments((await orgApi.list()).filter((u) => u.kind === 'department').map((u) => ({ value: u.id, label: u.name })));
      } catch (err) {
        notify.fail(err);
      }
    }
  };
  const submit = async (v: Record<string, unknown>) => {
    if (!action) return;
    const ids = selected.map((x) => x.id);
    const input = (
      action === 'assign'
        ? { action, ids, assigneeId: v.assigneeId }
        : action === 'transfer'
          ? { action, ids, departmentIds: v.departmentIds, reason: v.reason, ...(v.timeLimitMinutes ? { timeLimitMinutes: Number(v.timeLimitMinutes) } : {}) }
          : action === 'tag'
            ? { action, ids, tags: v.tags }
            : { action, ids, to: v.to, ...(v.reason ? { reason: v.reason } : {}) }
    ) as TicketBulk;
    setBusy(true);
    try {
      const r = await bulkApi.run(input);
      notify.ok(t('queues.bulk.done', { count: r.ids.length }));
      setAction(null);
      onDone();
    } catch (err) {
      if (err instanceof ApiError && Array.isArray(err.body.refused)) {
        setRefused({ title: err.title, items: err.body.refused as BulkRefusal[] });
      } else notify.fail(err);
    } finally {
      setBusy(false);
    }
  };

  if (selected.length === 0) return null;
  return (
    <div data-testid="bulk-bar" style={{ marginBottom: 12 }}>
      <Flex gap={8} align="center" wrap>
        <Typography.Text strong data-testid="bulk-count">
          {t('queues.bulk.selected', { count: selected.length })}
        </Typography.Text>
        {canAssign && (
          <Button onClick={() => void start('assign')} data-testid="bulk-assign">
            {t('queues.bulk.assign')}
          </Button>
        )}
        {canAssign && (
          <Button onClick={() => void start('transfer')} data-testid="bulk-transfer">
            {t('queues.bulk.transfer')}
          </Button>
        )}
        <Button onClick={() => void start('tag')} data-testid="bulk-tag">
          {t('queues.bulk.tag')}
        </Button>
        <Button onClick={() => void start('status')} data-testid="bulk-status">
          {t('queues.bulk.status')}
        </Button>
      </Flex>
      {refused && (
        <Alert
          style={{ marginTop: 8 }}
          type="error"
          showIcon
          closable
          onClose={() => setRefused(null)}
          message={refused.title}
          data-testid="bulk-refused"
          description={
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {refused.items.map((r) => (
                <li key={r.id} data-testid="bulk-refused-item">
                  {numbers.get(r.id) ?? r.id}: {r.message}
                </li>
              ))}
            </ul>
          }
        />
      )}
      <Modal
        open={action !== null}
        title={action ? t(`queues.bulk.${action}Title`, { count: selected.length }) : ''}
        onCancel={() => setAction(null)}
        onOk={() => form.submit()}
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'bulk-submit' } as ButtonProps}
        destroyOnHidden
      >
        {refused && (
          <Alert type="error" showIcon message={refused.title} style={{ marginBottom: 12 }} description={refused.items.map((r) => `${numbers.get(r.id) ?? r.id}: ${r.message}`).join('\n')} />
        )}
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
          {action === 'assign' && (
            <Form.Item name="assigneeId" label={t('tickets.fields.assignee')} rules={[{ required: true, message: t('common.required') }]}>
              <Select showSearch={{ filterOption: false, onSearch: (q) => void searchPeople(q) }} options={people} data-testid="bulk-assignee-picker" />
            </Form.Item>
          )}
          {action === 'transfer' && (
            <>
              <Form.Item name="departmentIds" label={t('queues.bulk.departments')} rules={[{ required: true, message: t('common.required') }]}>
                <Select mode="multiple" maxCount={5} options={departments} showSearch={{ optionFilterProp: 'label' }} data-testid="bulk-departments" />
              </Form.Item>
              <Form.Item name="reason" label={t('queues.bulk.reason')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
                <Input.TextArea maxLength={500} rows={2} data-testid="bulk-reason" />
              </Form.Item>
              <Form.Item name="timeLimitMinutes" label={t('queues.bulk.timeLimit')} extra={t('queues.bulk.timeLimitHelp')}>
                <Input type="number" min={5} max={10080} data-testid="bulk-time-limit" />
              </Form.Item>
            </>
          )}
          {action === 'tag' && (
            <Form.Item name="tags" label={t('queues.bulk.tags')} rules={[{ required: true, message: t('common.required') }]}>
              <Select mode="tags" maxCount={20} tokenSeparators={[',', '，']} data-testid="bulk-tags" />
            </Form.Item>
          )}
          {action === 'status' && (
            <>
              <Form.Item name="to" label={t('queues.bulk.to')} rules={[{ required: true, message: t('common.required') }]}>
                <Select options={statuses.map((s) => ({ value: s, label: t(`tickets.statuses.${s}`) }))} data-testid="bulk-to" />
              </Form.Item>
              <Form.Item name="reason" label={t('queues.bulk.reasonOptional')}>
                <Input.TextArea maxLength={500} rows={2} />
              </Form.Item>
            </>
          )}
        </Form>
      </Modal>
    </div>
  );
}
