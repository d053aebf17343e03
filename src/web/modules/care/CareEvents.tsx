import { Button, DatePicker, Descriptions, Drawer, Flex, Form, Input, InputNumber, Radio, Select, Space, Tag, TreeSelect, Typography, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { customerCategories } from '../../../contracts/customers.ts';
import { eventKinds, inviteReplies } from '../../../contracts/outreach.ts';
import { CreateButton } from '../../ui/Page.tsx';
import { DataTable, RowAction } from '../../ui/DataTable.tsx';
import { useFormSubmit, useNotify } from '../../ui/errors.tsx';
import { FormDrawer, FormModal } from '../../ui/FormOverlay.tsx';
import { formatTime } from '../../ui/format.ts';
import { useLoaded } from '../../ui/useLoaded.ts';
import { customersApi } from '../customers/customersApi.ts';
import { unitOptions, useOrgUnits } from '../org/orgTree.ts';
import { outreachApi, type CustomerEvent, type CustomerEventDetail, type EventInvitee, type InviteReply } from './outreachApi.ts';

const replyColor: Record<string, string> = { pending: 'default', accepted: 'green', declined: 'red', no_answer: 'orange', attended: 'blue' };
const tiers = ['strategic', 'key', 'ordinary'] as const;

interface EventValues {
  orgUnitId: string;
  title: string;
  kind: (typeof eventKinds)[number];
  start: Dayjs;
  end: Dayjs;
  place: string;
  capacity: number;
  description?: string;
}

function EventForm({ setBusy, onSaved }: { setBusy: (b: boolean) => void; onSaved: (id: string) => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const { tree } = useOrgUnits();
  const [form] = Form.useForm<EventValues>();
  const { onFinish, alert } = useFormSubmit(
    form,
    ['orgUnitId', 'title', 'kind', 'startsAt', 'endsAt', 'place', 'capacity', 'description'],
    async (v) => {
      const e = await outreachApi.createEvent({
        orgUnitId: v.orgUnitId,
        title: v.title,
        kind: v.kind,
        startsAt: v.start.toISOString(),
        endsAt: v.end.toISOString(),
        place: v.place,
        capacity: v.capacity,
        description: v.description ?? '',
      });
      notify.ok(t('outreach.events.created'));
      onSaved(e.id);
    },
    { setBusy },
  );
  const required = { required: true, message: t('common.required') };
  return (
    <Form id="event-form" form={form} layout="vertical" onFinish={onFinish} initialValues={{ kind: 'salon', capacity: 30 }} noValidate>
      <Form.Item name="orgUnitId" label={t('outreach.events.fields.unit')} rules={[required]}>
        <TreeSelect treeData={unitOptions(tree)} treeDefaultExpandAll data-testid="event-unit" />
      </Form.Item>
      <Form.Item name="title" label={t('outreach.events.fields.title')} rules={[{ ...required, whitespace: true }]}>
        <Input maxLength={100} data-testid="event-title" />
      </Form.Item>
      <Form.Item name="kind" label={t('outreach.events.fields.kind')} rules={[required]}>
        <Select options={eventKinds.map((k) => ({ value: k, label: t(`outreach.events.kinds.${k}`) }))} data-testid="event-kind" />
      </Form.Item>
      <Space wrap>
        <Form.Item name="start" label={t('outreach.events.fields.start')} rules={[required]}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" data-testid="event-start" />
        </Form.Item>
        <Form.Item
          name="end"
          label={t('outreach.events.fields.end')}
          dependencies={['start']}
          rules={[required, ({ getFieldValue }) => ({ validator: (_, v?: Dayjs) => (!v || !getFieldValue('start') || !v.isBefore(getFieldValue('start')) ? Promise.resolve() : Promise.reject(new Error(t('outreach.events.endBeforeStart')))) })]}
        >
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" data-testid="event-end" />
        </Form.Item>
      </Space>
      <Form.Item name="place" label={t('outreach.events.fields.place')} rules={[{ ...required, whitespace: true }]}>
        <Input maxLength={200} data-testid="event-place" />
      </Form.Item>
      <Form.Item name="capacity" label={t('outreach.events.fields.capacity')} rules={[required]}>
        <InputNumber min={1} max={100_000} precision={0} data-testid="event-capacity" />
      </Form.Item>
      <Form.Item name="description" label={t('outreach.events.fields.description')}>
        <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 6 }} />
      </Form.Item>
      {alert}
    </Form>
  );
}

interface InviteValues {
  by: 'search' | 'segment';
  customerIds?: string[];
  tiers?: (typeof tiers)[number][];
  categories?: (typeof customerCategories)[number][];
  tags?: string[];
  channel: 'sms' | 'email' | 'letter' | 'none';
  template?: string;
}

function InviteForm({ event, setBusy, onDone }: { event: CustomerEventDetail; setBusy: (b: boolean) => void; onDone: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<InviteValues>();
  const by = Form.useWatch('by', form);
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const seq = useRef(0);
  const search = async (q: string) => {
    const mine = ++seq.current;
    if (!q.trim()) return;
    try {
      const page = await customersApi.list({ q: q.trim(), limit: 20 });
      if (mine === seq.current) setOptions(page.items.map((c) => ({ value: c.id, label: c.name })));
    } catch {
      if (mine === seq.current) setOptions([]);
    }
  };
  const { onFinish, alert } = useFormSubmit(
    form,
    ['customerIds', 'segment', 'channel', 'template'],
    async (v) => {
      const r = await outreachApi.invite(event.id, {
        ...(v.by === 'segment' ? { segment: { tiers: v.tiers ?? [], categories: v.categories ?? [], tags: v.tags ?? [] } } : { customerIds: v.customerIds ?? [] }),
        channel: v.channel,
        ...(v.template?.trim() ? { template: v.template.trim() } : {}),
      });
      notify.ok(t('outreach.events.invited', { added: r.added, queued: r.queued }));
      if (r.noContact.length > 0) notify.ok(t('outreach.events.noContact', { count: r.noContact.length }));
      onDone();
    },
    { setBusy },
  );
  return (
    <Form id="invite-form" form={form} layout="vertical" onFinish={onFinish} initialValues={{ by: 'search', channel: 'sms', customerIds: [] }} noValidate>
      <Form.Item name="by" label={t('outreach.events.inviteBy')}>
        <Radio.Group
          optionType="button"
          options={[
            { value: 'search', label: t('outreach.events.bySearch') },
            { value: 'segment', label: t('outreach.events.bySegment') },
          ]}
        />
      </Form.Item>
      {by !== 'segment' ? (
        <Form.Item name="customerIds" label={t('outreach.events.customers')} extra={t('outreach.events.customersHelp')} rules={[{ required: true, type: 'array', min: 1, message: t('outreach.events.chooseSomeone') }]}>
          <Select mode="multiple" showSearch filterOption={false} onSearch={(q) => void search(q)} options={options} maxCount={500} data-testid="invite-customers" />
        </Form.Item>
      ) : (
        <>
          <Form.Item name="tiers" label={t('outreach.events.tiers')}>
            <Select mode="multiple" options={tiers.map((c) => ({ value: c, label: t(`customerFiles.tiers.${c}`) }))} data-testid="invite-tiers" />
          </Form.Item>
          <Form.Item name="categories" label={t('outreach.events.categories')}>
            <Select mode="multiple" options={customerCategories.map((c) => ({ value: c, label: t(`customerFiles.categories.${c}`) }))} />
          </Form.Item>
          <Form.Item name="tags" label={t('outreach.events.tags')}>
            <Select mode="tags" maxCount={20} open={false} data-testid="invite-tags" />
          </Form.Item>
        </>
      )}
      <Form.Item name="channel" label={t('outreach.events.channel')}>
        <Select options={(['sms', 'email', 'letter', 'none'] as const).map((c) => ({ value: c, label: t(`outreach.channels.${c}`) }))} data-testid="invite-channel" />
      </Form.Item>
      <Form.Item
        name="template"
        label={t('outreach.events.template')}
        extra={
          <>
            {t('outreach.events.templateHelp')} <code>{'{{name}}'}</code> <code>{'{{title}}'}</code> <code>{'{{event}}'}</code> <code>{'{{start}}'}</code> <code>{'{{place}}'}</code>
          </>
        }
      >
        <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 6 }} data-testid="invite-template" />
      </Form.Item>
      {alert}
    </Form>
  );
}

/** One event: its facts, the counts per reply, the invitees with their replies (recorded by staff). */
function EventDetail({ id, onClose, onChanged }: { id: string | null; onClose: () => void; onChanged: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const load = useCallback(() => outreachApi.event(id!), [id]);
  const detail = useLoaded(load, null as CustomerEventDetail | null, id !== null);
  const [inviting, setInviting] = useState<CustomerEventDetail | null>(null);
  const e = id && detail.data?.id === id ? detail.data : null;
  const refresh = () => {
    void detail.reload();
    onChanged();
  };
  const reply = async (i: EventInvitee, r: InviteReply) => {
    if (await notify.run(outreachApi.reply(id!, i.id, { version: i.version, reply: r }), t('outreach.events.replyOk'), refresh)) refresh();
    else void detail.reload();
  };
  const columns: TableColumnsType<EventInvitee> = [
    { title: t('outreach.fields.customer'), key: 'name', render: (_, i) => i.customerName ?? '—' },
    { title: t('care.fields.tiers'), key: 'tier', render: (_, i) => (i.tier ? t(`customerFiles.tiers.${i.tier}`) : '—') },
    { title: t('outreach.events.messageStatus'), key: 'message', render: (_, i) => (i.messageStatus ? t(`outreach.statuses.${i.messageStatus}`) : '—') },
    {
      title: t('outreach.events.reply'),
      key: 'reply',
      render: (_, i) => (
        <Select
          style={{ width: 130 }}
          value={i.reply}
          onChange={(r) => void reply(i, r)}
          options={inviteReplies.map((r) => ({ value: r, label: t(`outreach.events.replies.${r}`) }))}
          aria-label={t('outreach.events.reply')}
          data-testid={`invitee-reply-${i.customerName ?? i.id}`}
        />
      ),
    },
    { title: t('outreach.events.note'), key: 'note', render: (_, i) => i.note ?? '' },
    { title: t('outreach.fields.time'), key: 'at', render: (_, i) => formatTime(i.repliedAt) },
  ];
  return (
    <Drawer open={id !== null} size={900} onClose={onClose} title={e ? t('outreach.events.detailTitle', { title: e.title }) : ''} destroyOnHidden>
      {e && (
        <div data-testid="event-detail">
          <Descriptions column={2} size="small" bordered>
            <Descriptions.Item label={t('outreach.events.fields.kind')}>{t(`outreach.events.kinds.${e.kind}`)}</Descriptions.Item>
            <Descriptions.Item label={t('outreach.events.fields.unit')}>{e.orgUnitName}</Descriptions.Item>
            <Descriptions.Item label={t('outreach.events.fields.time')}>
              {formatTime(e.startsAt)} – {formatTime(e.endsAt)}
            </Descriptions.Item>
            <Descriptions.Item label={t('outreach.events.fields.place')}>{e.place}</Descriptions.Item>
            <Descriptions.Item label={t('outreach.events.fields.capacity')}>
              <span data-testid="event-seats">{t('outreach.events.capacityLeft', { taken: e.counts.accepted + e.counts.attended, capacity: e.capacity })}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('outreach.events.fields.description')}>{e.description}</Descriptions.Item>
          </Descriptions>
          <Flex gap={8} wrap align="center" style={{ margin: '16px 0' }}>
            <Typography.Text strong>{t('outreach.events.fields.counts')}</Typography.Text>
            <Tag data-testid="event-count-total">
              {t('outreach.events.total')} {e.counts.total}
            </Tag>
            {inviteReplies.map((r) => (
              <Tag key={r} color={replyColor[r]} data-testid={`event-count-${r}`}>
                {t(`outreach.events.replies.${r}`)} {e.counts[r]}
              </Tag>
            ))}
            <Button type="primary" onClick={() => setInviting(e)} data-testid="event-invite" style={{ marginLeft: 'auto' }}>
              {t('outreach.events.invite')}
            </Button>
          </Flex>
          <DataTable<EventInvitee>
            columns={columns}
            dataSource={e.invitees}
            loading={detail.loading}
            rowTestId={(i) => `invitee-row-${i.customerName ?? i.id}`}
            locale={{ emptyText: t('outreach.events.noInvitees') }}
            scroll={{ x: 'max-content' }}
          />
        </div>
      )}
      <FormModal opening={inviting} title={(x) => t('outreach.events.inviteTitle', { title: x.title })} formId="invite-form" submitTestId="invite-submit" okText={t('outreach.events.invite')} width={640} onClose={() => setInviting(null)}>
        {(x, setBusy) => (
          <InviteForm
            event={x}
            setBusy={setBusy}
            onDone={() => {
              setInviting(null);
              refresh();
            }}
          />
        )}
      </FormModal>
    </Drawer>
  );
}

/** 活动邀请: events (沙龙、座谈会…) in scope, new event, and the detail with invitees and replies. */
export function CareEvents() {
  const { t } = useTranslation();
  const notify = useNotify();
  const events = useLoaded(outreachApi.events, [] as CustomerEvent[]);
  const [creating, setCreating] = useState<object | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const columns: TableColumnsType<CustomerEvent> = [
    {
      title: t('outreach.events.fields.title'),
      key: 'title',
      render: (_, e) => (
        <Typography.Link onClick={() => setOpenId(e.id)} data-testid="event-link">
          {e.title}
        </Typography.Link>
      ),
    },
    { title: t('outreach.events.fields.kind'), key: 'kind', render: (_, e) => t(`outreach.events.kinds.${e.kind}`) },
    { title: t('outreach.events.fields.time'), key: 'time', render: (_, e) => `${formatTime(e.startsAt)} – ${formatTime(e.endsAt)}` },
    { title: t('outreach.events.fields.place'), dataIndex: 'place' },
    { title: t('outreach.events.fields.unit'), dataIndex: 'orgUnitName' },
    { title: t('outreach.events.fields.capacity'), key: 'capacity', render: (_, e) => t('outreach.events.capacityLeft', { taken: e.counts.accepted + e.counts.attended, capacity: e.capacity }) },
    {
      title: t('outreach.events.fields.counts'),
      key: 'counts',
      render: (_, e) => (
        <Space size={4} wrap>
          {inviteReplies.map((r) => (
            <Tag key={r} color={replyColor[r]}>
              {t(`outreach.events.replies.${r}`)} {e.counts[r]}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('outreach.fields.actions'),
      key: 'actions',
      render: (_, e) => (
        <Space>
          <RowAction testId={`event-open-${e.id}`} onClick={() => setOpenId(e.id)}>
            {t('outreach.events.open')}
          </RowAction>
          <RowAction
            danger
            testId={`event-delete-${e.id}`}
            confirm={t('outreach.events.deleteConfirm')}
            onClick={async () => (await notify.run(outreachApi.removeEvent(e.id), t('outreach.events.deleted'))) && void events.reload()}
          >
            {t('outreach.events.delete')}
          </RowAction>
        </Space>
      ),
    },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="care-events">
      <Flex justify="flex-end">
        <CreateButton testId="event-create" onClick={() => setCreating({})}>
          {t('outreach.events.create')}
        </CreateButton>
      </Flex>
      <DataTable<CustomerEvent>
        columns={columns}
        dataSource={events.data}
        loading={events.loading}
        error={events.error}
        rowTestId={(e) => `event-row-${e.title}`}
        locale={{ emptyText: t('outreach.events.empty') }}
        scroll={{ x: 'max-content' }}
      />
      <FormDrawer opening={creating} title={() => t('outreach.events.createTitle')} formId="event-form" submitTestId="event-submit" size={560} onClose={() => setCreating(null)}>
        {(_, setBusy) => (
          <EventForm
            setBusy={setBusy}
            onSaved={(id) => {
              setCreating(null);
              void events.reload();
              setOpenId(id);
            }}
          />
        )}
      </FormDrawer>
      <EventDetail id={openId} onClose={() => setOpenId(null)} onChanged={() => void events.reload()} />
    </Space>
  );
}
