import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, DatePicker, Empty, Form, Input, Select, Space, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { contactRoles, type ContactRole, type CustomerContact, type CustomerNote } from '../../../contracts/customer-contacts.ts';
import type { CustomerFile } from '../../../contracts/customers.ts';
import { useSession } from '../../session.tsx';
import { DataTable, RowAction } from '../../ui/DataTable.tsx';
import { useFormSubmit, useNotify } from '../../ui/errors.tsx';
import { formatTime } from '../../ui/format.ts';
import { FormDrawer } from '../../ui/FormOverlay.tsx';
import { useLoaded } from '../../ui/useLoaded.ts';
import { CustomerTimeline } from './CustomerTimeline.tsx';
import { customerRelationsApi as relApi, type RelationFilter } from './customerRelationsApi.ts';

/**
 * Below a customer file: 联系人 (organisations), 跟进记录 (notes, with the add form) and 时间线. The
 * server masks or hides what the file protects; `readingId` (the caller's opening of the file) shows it.
 */
export function CustomerRelations({ file, readingId }: { file: CustomerFile; readingId: string | null }) {
  const { t } = useTranslation();
  const [refresh, setRefresh] = useState(0);
  const bump = useCallback(() => setRefresh((n) => n + 1), []);
  const filter = useMemo<RelationFilter>(() => ({ customerId: file.id, reading: readingId, refresh }), [file.id, readingId, refresh]);
  const label = (key: string, text: string) => <span data-testid={`customer-tab-${key}`}>{text}</span>;
  const items = [
    ...(file.kind === 'organisation' ? [{ key: 'contacts', label: label('contacts', t('customerContacts.tab')), children: <ContactsPanel file={file} filter={filter} onChanged={bump} /> }] : []),
    { key: 'notes', label: label('notes', t('customerTimeline.notesTab')), children: <NotesPanel file={file} filter={filter} onChanged={bump} /> },
    { key: 'timeline', label: label('timeline', t('customerTimeline.tab')), children: <CustomerTimeline filter={filter} /> },
  ];
  return <Tabs items={items} style={{ marginTop: 16 }} data-testid="customer-relations" />;
}

interface PanelProps {
  file: CustomerFile;
  filter: RelationFilter;
  onChanged: () => void;
}

function ContactsPanel({ file, filter, onChanged }: PanelProps) {
  const { t } = useTranslation();
  const { can } = useSession();
  const notify = useNotify();
  const load = useCallback(() => relApi.contacts(filter.customerId, filter.reading), [filter]);
  const { data, loading, error, reload } = useLoaded(load, { items: [] as CustomerContact[], restrictedSections: [] as string[] });
  const [editing, setEditing] = useState<{ contact: CustomerContact | null } | null>(null);
  const masked = data.restrictedSections.includes('contact');
  // Edited from the values themselves: never while they are masked or hidden.
  const mayEdit = can('customer:manage') && !data.restrictedSections.includes('contact') && !data.restrictedSections.includes('notes');
  const none = (v: string | null) => v || t('common.none');
  const columns: TableColumnsType<CustomerContact> = [
    {
      title: t('customerContacts.fields.name'),
      key: 'name',
      render: (_, c) => (
        <Space size={4}>
          <span data-testid="contact-name">{c.name}</span>
          {c.keyPerson && <Tag color="gold" data-testid="contact-key">{t('customerContacts.keyPerson')}</Tag>}
        </Space>
      ),
    },
    { title: t('customerContacts.fields.title'), key: 'title', render: (_, c) => none(c.title) },
    { title: t('customerContacts.fields.role'), key: 'role', render: (_, c) => <span data-testid="contact-role">{t(`customerContacts.roles.${c.role}`)}</span> },
    { title: t('customerContacts.fields.phones'), key: 'phones', render: (_, c) => <span data-testid="contact-phones">{c.phones.join('，') || t('common.none')}</span> },
    { title: t('customerContacts.fields.email'), key: 'email', render: (_, c) => none(c.email) },
    { title: t('customerContacts.fields.person'), key: 'person', render: (_, c) => (c.personId ? <Link to={`/customers/${c.personId}`}>{c.personName ?? c.personId}</Link> : t('common.none')) },
    { title: t('customerContacts.fields.notes'), key: 'notes', render: (_, c) => (c.notes ?? (c.masked ? t('customerFiles.hidden') : t('common.none'))) },
    ...(can('customer:manage')
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, c: CustomerContact) => (
              <Space size={0}>
                <RowAction testId={`contact-edit-${c.id}`} disabled={!mayEdit} onClick={() => setEditing({ contact: c })}>
                  {t('common.edit')}
                </RowAction>
                <RowAction
                  testId={`contact-remove-${c.id}`}
                  danger
                  confirm={t('customerContacts.removeConfirm', { name: c.name })}
                  onClick={() => void notify.run(relApi.removeContact(file.id, c.id, c.version), t('customerContacts.removed'), reload).then((ok) => ok && (void reload(), onChanged()))}
                >
                  {t('common.delete')}
                </RowAction>
              </Space>
            ),
          },
        ]
      : []),
  ];
  return (
    <div data-testid="customer-contacts">
      {masked && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('customerContacts.masked')} data-testid="contacts-masked" />}
      {can('customer:manage') && (
        <Button
          icon={<PlusOutlined />}
          style={{ marginBottom: 12 }}
          onClick={() => setEditing({ contact: null })}
          disabled={!mayEdit}
          title={mayEdit ? undefined : t('customerContacts.openToEdit')}
          data-testid="contact-add"
        >
          {t('customerContacts.add')}
        </Button>
      )}
      <DataTable<CustomerContact>
        dataSource={data.items}
        loading={loading}
        error={error}
        columns={columns}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('customerContacts.empty') }}
        rowTestId={(c) => `contact-row-${c.id}`}
      />
      <FormDrawer
        opening={editing}
        title={(o) => (o.contact ? t('customerContacts.editTitle') : t('customerContacts.addTitle'))}
        formId="contact-form"
        submitTestId="contact-submit"
        size={520}
        onClose={() => setEditing(null)}
      >
        {(o, setBusy) => (
          <ContactForm
            customerId={file.id}
            contact={o.contact}
            setBusy={setBusy}
            onConflict={() => {
              setEditing(null);
              void reload();
            }}
            onDone={() => {
              setEditing(null);
              notify.ok(t('customerContacts.saved'));
              void reload();
              onChanged();
            }}
          />
        )}
      </FormDrawer>
    </div>
  );
}

interface ContactValues {
  name: string;
  title?: string;
  phones?: string;
  email?: string;
  role: ContactRole;
  keyPerson: boolean;
  notes?: string;
  personId?: string;
}

function ContactForm(props: { customerId: string; contact: CustomerContact | null; setBusy: (b: boolean) => void; onDone: () => void; onConflict: () => void }) {
  const { t } = useTranslation();
  const { contact } = props;
  const [form] = Form.useForm<ContactValues>();
  const blank = (s: string | undefined) => (s && s.trim() ? s.trim() : null);
  const { onFinish, alert } = useFormSubmit(
    form,
    ['name', 'title', 'phones', 'email', 'role', 'keyPerson', 'notes', 'personId'],
    async (v) => {
      const body = {
        name: v.name.trim(),
        title: blank(v.title),
        phones: (v.phones ?? '').split(/[,，;；\s]+/).filter(Boolean),
        email: blank(v.email),
        role: v.role,
        keyPerson: v.keyPerson,
        notes: blank(v.notes),
        personId: blank(v.personId),
      };
      if (contact) await relApi.updateContact(props.customerId, contact.id, { version: contact.version, ...body });
      else await relApi.addContact(props.customerId, body);
      props.onDone();
    },
    { setBusy: props.setBusy, onConflict: props.onConflict },
  );
  const initial: Partial<ContactValues> = contact
    ? { name: contact.name, title: contact.title ?? '', phones: contact.phones.join(', '), email: contact.email ?? '', role: contact.role, keyPerson: contact.keyPerson, notes: contact.notes ?? '', personId: contact.personId ?? '' }
    : { role: 'decision_maker', keyPerson: false };
  const f = (k: string) => t(`customerContacts.fields.${k}`);
  return (
    <Form form={form} id="contact-form" layout="vertical" onFinish={onFinish} initialValues={initial} noValidate>
      <Form.Item name="name" label={f('name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
        <Input maxLength={64} data-testid="contact-name-input" />
      </Form.Item>
      <Form.Item name="title" label={f('title')}>
        <Input maxLength={64} data-testid="contact-title-input" />
      </Form.Item>
      <Form.Item name="role" label={f('role')}>
        <Select data-testid="contact-role-select" options={contactRoles.map((r) => ({ value: r, label: t(`customerContacts.roles.${r}`) }))} />
      </Form.Item>
      <Form.Item name="keyPerson" valuePropName="checked">
        <Checkbox data-testid="contact-key-input">{f('keyPerson')}</Checkbox>
      </Form.Item>
      <Form.Item name="phones" label={f('phones')} extra={t('customerContacts.phonesHelp')}>
        <Input maxLength={200} data-testid="contact-phones-input" />
      </Form.Item>
      <Form.Item name="email" label={f('email')}>
        <Input maxLength={254} data-testid="contact-email-input" />
      </Form.Item>
      <Form.Item name="notes" label={f('notes')}>
        <Input.TextArea maxLength={1000} autoSize={{ minRows: 2, maxRows: 5 }} data-testid="contact-notes-input" />
      </Form.Item>
      <Form.Item name="personId" label={f('person')} extra={t('customerContacts.personHelp')}>
        <Input maxLength={36} data-testid="contact-person-input" />
      </Form.Item>
      {alert}
    </Form>
  );
}

function NotesPanel({ file, filter, onChanged }: PanelProps) {
  const { t } = useTranslation();
  const { can } = useSession();
  const notify = useNotify();
  const [items, setItems] = useState<CustomerNote[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hidden, setHidden] = useState(false);
  const [loading, setLoading] = useState(true);
  const load = useCallback(
    async (after?: string) => {
      setLoading(true);
      try {
        const page = await relApi.notes(filter, after);
        setItems((prev) => (after ? [...prev, ...page.items] : page.items));
        setCursor(page.nextCursor);
        setHidden(page.hidden);
      } catch (err) {
        notify.fail(err);
      } finally {
        setLoading(false);
      }
    },
    [filter, notify],
  );
  useEffect(() => void load(), [load]);
  const [form] = Form.useForm<{ body: string; at?: Dayjs | null }>();
  const [busy, setBusy] = useState(false);
  const { onFinish, alert } = useFormSubmit(
    form,
    ['body', 'at'],
    async (v) => {
      await relApi.addNote(file.id, { body: v.body.trim(), ...(v.at ? { at: v.at.toISOString() } : {}) });
      form.resetFields();
      notify.ok(t('customerTimeline.noteAdded'));
      onChanged();
    },
    { setBusy },
  );
  // Writing on a file whose notes are protected needs its level too (the server says 403 otherwise).
  const mayWrite = can('customer:manage') && (!file.access.protectedSections.includes('notes') || file.access.canOpen);
  return (
    <div data-testid="customer-notes">
      {mayWrite && (
        <Form form={form} layout="vertical" onFinish={onFinish} noValidate style={{ maxWidth: 720, marginBottom: 16 }}>
          <Form.Item name="body" label={t('customerTimeline.noteBody')} rules={[{ required: true, whitespace: true, message: t('customerTimeline.noteRequired') }]}>
            <Input.TextArea maxLength={2000} showCount autoSize={{ minRows: 2, maxRows: 6 }} data-testid="note-body" />
          </Form.Item>
          <Space align="start">
            <Form.Item name="at" label={t('customerTimeline.noteAt')}>
              <DatePicker showTime disabledDate={(d) => d.isAfter(new Date())} data-testid="note-at" />
            </Form.Item>
          </Space>
          {alert}
          <Button type="primary" htmlType="submit" loading={busy} data-testid="note-submit">
            {t('customerTimeline.addNote')}
          </Button>
        </Form>
      )}
      {hidden ? (
        <Alert type="warning" showIcon title={t('customerTimeline.notesHidden')} data-testid="notes-hidden" />
      ) : items.length === 0 && !loading ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customerTimeline.notesEmpty')} />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          {items.map((n) => (
            <div key={n.id} data-testid="note-item" style={{ borderBottom: '1px solid rgba(0,0,0,0.06)', paddingBottom: 8 }}>
              <Typography.Text strong>{n.authorName}</Typography.Text>
              <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>
                {formatTime(n.at)}
              </Typography.Text>
              <Typography.Paragraph style={{ margin: '4px 0 0', whiteSpace: 'pre-wrap' }} data-testid="note-text">
                {n.body}
              </Typography.Paragraph>
            </div>
          ))}
          {cursor && (
            <Button onClick={() => void load(cursor)} loading={loading} data-testid="notes-more">
              {t('common.loadMore')}
            </Button>
          )}
        </Space>
      )}
    </div>
  );
}
