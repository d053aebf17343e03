import { EyeInvisibleOutlined, EyeOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Form, Space, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldDefinition } from '../../../contracts/ticket-settings.ts';
import type { Ticket } from '../../../contracts/tickets.ts';
import { ticketSettingsApi, ticketsApi } from '../../endpoints.ts';
import { useSession } from '../../session.tsx';
import { useFormSubmit, useNotify } from '../../ui/errors.tsx';
import { FormModal } from '../../ui/FormOverlay.tsx';
import { useLoaded } from '../../ui/useLoaded.ts';
import { CustomFieldItems, customFieldsInput, fieldLabel, optionLabel } from './CustomFieldInputs.tsx';

/** The detail page's custom fields 自定义字段 (shown, edited) and watchers 关注人 (watch, unwatch). */
export function TicketExtras({ ticket, onChanged }: { ticket: Ticket; onChanged: () => void }) {
  return (
    <Space direction="vertical" size={16} style={{ width: '100%', marginTop: 16 }}>
      <TicketCustomFields ticket={ticket} onChanged={onChanged} />
      <TicketWatchers ticket={ticket} onChanged={onChanged} />
    </Space>
  );
}

/** A stored custom field value as text (also the customer file detail, CustomerCustomFields.tsx). */
export function shown(d: FieldDefinition, v: unknown, yes: string, no: string): string {
  if (d.kind === 'checkbox') return v ? yes : no;
  if (d.kind === 'select' && typeof v === 'string') return optionLabel(d, v);
  if (d.kind === 'multi_select' && Array.isArray(v)) return v.map((x) => optionLabel(d, String(x))).join('、');
  return String(v);
}

function TicketCustomFields({ ticket, onChanged }: { ticket: Ticket; onChanged: () => void }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const load = useCallback(() => ticketSettingsApi.applicable(ticket.type, ticket.orgUnitId), [ticket.type, ticket.orgUnitId]);
  const defs = useLoaded(load, [] as FieldDefinition[]);
  const [editing, setEditing] = useState<{ at: number } | null>(null);
  const values = ticket.customFields;
  // Enabled fields, and disabled ones that still hold a value (kept, read-only).
  const visible = defs.data.filter((d) => d.enabled || values[d.key] !== undefined);
  const editable = defs.data.filter((d) => d.enabled);
  if (visible.length === 0 && Object.keys(values).length === 0) return null;
  const known = new Set(defs.data.map((d) => d.key));
  const items = [
    ...visible.map((d) => ({
      key: d.key,
      label: d.enabled ? fieldLabel(d) : `${fieldLabel(d)}（${t('ticketSettings.fields.disabled')}）`,
      children: <span data-testid={`custom-value-${d.key}`}>{values[d.key] === undefined ? t('common.none') : shown(d, values[d.key], t('ticketSettings.yes'), t('ticketSettings.no'))}</span>,
    })),
    // Values whose definition this reader cannot see: shown by key.
    ...Object.entries(values)
      .filter(([k]) => !known.has(k))
      .map(([k, v]) => ({ key: k, label: k, children: <span data-testid={`custom-value-${k}`}>{Array.isArray(v) ? v.join('、') : String(v)}</span> })),
  ];
  return (
    <Card
      size="small"
      title={t('ticketSettings.fields.onTicket')}
      data-testid="ticket-custom-fields"
      extra={
        can('ticket:update') && editable.length > 0 ? (
          <Button size="small" onClick={() => setEditing({ at: Date.now() })} data-testid="custom-fields-edit">
            {t('common.edit')}
          </Button>
        ) : null
      }
    >
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} items={items} />
      <FormModal
        opening={editing}
        title={() => t('ticketSettings.fields.editTitle')}
        formId="custom-fields-form"
        submitTestId="custom-fields-submit"
        okText={t('common.save')}
        width={560}
        onClose={() => setEditing(null)}
      >
        {(_, setBusy) => (
          <CustomFieldsForm
            ticket={ticket}
            definitions={editable}
            setBusy={setBusy}
            onDone={() => {
              setEditing(null);
              onChanged();
            }}
          />
        )}
      </FormModal>
    </Card>
  );
}

function CustomFieldsForm({ ticket, definitions, setBusy, onDone }: { ticket: Ticket; definitions: FieldDefinition[]; setBusy: (b: boolean) => void; onDone: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<{ customFields?: Record<string, unknown> }>();
  const { onFinish, alert } = useFormSubmit(
    form,
    ['customFields'],
    async (v) => {
      await ticketsApi.update(ticket.id, { version: ticket.version, customFields: customFieldsInput(v.customFields) });
      notify.ok(t('common.saved'));
      onDone();
    },
    { setBusy, onConflict: onDone },
  );
  return (
    <Form form={form} id="custom-fields-form" layout="vertical" onFinish={onFinish} noValidate initialValues={{ customFields: ticket.customFields }}>
      <CustomFieldItems definitions={definitions} />
      {alert}
    </Form>
  );
}

function TicketWatchers({ ticket, onChanged }: { ticket: Ticket; onChanged: () => void }) {
  const { t } = useTranslation();
  const { me, can } = useSession();
  const notify = useNotify();
  const myId = me?.user.id;
  const watching = ticket.watchers.some((w) => w.userId === myId);
  const mayRemoveOthers = can('ticket:assign');
  return (
    <Card size="small" title={t('ticketSettings.watchers.title')} data-testid="ticket-watchers">
      <Space wrap>
        {ticket.watchers.length === 0 && <Typography.Text type="secondary">{t('ticketSettings.watchers.none')}</Typography.Text>}
        {ticket.watchers.map((w) => (
          <Tag
            key={w.userId}
            closable={w.userId === myId || mayRemoveOthers}
            onClose={async (e) => {
              e.preventDefault();
              if (await notify.run(ticketSettingsApi.unwatch(ticket.id, w.userId), t('ticketSettings.watchers.removed'))) onChanged();
            }}
            closeIcon={<span aria-label={t('ticketSettings.watchers.remove', { name: w.name })}>×</span>}
            data-testid="watcher"
          >
            {w.name}
          </Tag>
        ))}
        {myId && (
          <Button
            size="small"
            icon={watching ? <EyeInvisibleOutlined /> : <EyeOutlined />}
            onClick={async () => {
              const done = watching ? ticketSettingsApi.unwatch(ticket.id, myId) : ticketSettingsApi.watch(ticket.id);
              if (await notify.run(done, watching ? t('ticketSettings.watchers.unwatched') : t('ticketSettings.watchers.watched'))) onChanged();
            }}
            data-testid="watch-toggle"
          >
            {watching ? t('ticketSettings.watchers.unwatch') : t('ticketSettings.watchers.watch')}
          </Button>
        )}
      </Space>
      <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
        {t('ticketSettings.watchers.help')}
      </Typography.Paragraph>
    </Card>
  );
}
