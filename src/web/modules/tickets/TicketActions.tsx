import { Button, Form, Input, Select, Space } from 'antd';
import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '../../../contracts/tickets.ts';
import { ApiError } from '../../api.ts';
import { ticketsApi, usersApi } from '../../endpoints.ts';
import { useSession } from '../../session.tsx';
import { useFormSubmit, useNotify } from '../../ui/errors.tsx';
import { FormModal } from '../../ui/FormOverlay.tsx';
import { useLoaded } from '../../ui/useLoaded.ts';
import { actionTarget, availableActions, type TicketAction } from './model.ts';
import { ResolutionForm } from './ResolutionForm.tsx';

type ReasonAction = 'resolve' | 'reopen' | 'close';
const reasonActions: readonly TicketAction[] = ['resolve', 'reopen', 'close'];

/**
 * The buttons of the moves the life cycle and the person's permissions allow. Resolving, reopening
 * and closing ask for a text first; assigning asks for the person (hidden when staff cannot be listed).
 * `onChanged` reloads the order (also after a conflict: someone else moved it).
 */
export function TicketActions({ ticket, onChanged }: { ticket: Ticket; onChanged: () => void }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const notify = useNotify();
  const [busy, setBusy] = useState<TicketAction | null>(null);
  const [asking, setAsking] = useState<{ action: ReasonAction } | null>(null);
  const [assigning, setAssigning] = useState<object | null>(null);
  const probe = useCallback(() => usersApi.list({ limit: 1 }), []);
  const staff = useLoaded(probe, null, can('ticket:assign'));
  const canListStaff = !(staff.error instanceof ApiError && staff.error.status === 403);

  const actions = availableActions(ticket, can).filter((a) => a !== 'assign' || canListStaff);

  const run = async (a: TicketAction) => {
    if (reasonActions.includes(a)) return setAsking({ action: a as ReasonAction });
    if (a === 'assign') return setAssigning({});
    setBusy(a);
    const request = a === 'take' ? ticketsApi.take(ticket.id, ticket.version) : ticketsApi.transition(ticket.id, actionTarget[a], ticket.version);
    // Taken by someone else or moved meanwhile: show it as it is now.
    const settled = request.catch((err: unknown) => {
      if (err instanceof ApiError && err.status === 409 && err.code !== 'VERSION_CONFLICT') onChanged();
      throw err;
    });
    if (await notify.run(settled, t(`tickets.done.${a}`), onChanged)) onChanged();
    setBusy(null);
  };

  return (
    <Space wrap data-testid="ticket-actions">
      {actions.map((a) => (
        <Button
          key={a}
          type={a === 'resolve' || a === 'take' || a === 'start' ? 'primary' : 'default'}
          danger={a === 'reopen'}
          loading={busy === a}
          onClick={() => void run(a)}
          data-testid={`ticket-action-${a}`}
        >
          {t(`tickets.actions.${a}`)}
        </Button>
      ))}
      <FormModal
        opening={asking}
        title={(o) => t(`tickets.reason.${o.action}Title`, { number: ticket.number })}
        formId="ticket-reason-form"
        submitTestId="ticket-reason-submit"
        okText={t('common.ok')}
        width={asking?.action === 'resolve' ? 760 : undefined}
        onClose={() => setAsking(null)}
      >
        {(o, setModalBusy) =>
          // Resolving records the resolution (处理结果) and any compensations: the one way to resolve.
          o.action === 'resolve' ? (
            <ResolutionForm
              ticket={ticket}
              setBusy={setModalBusy}
              onDone={(pending) => {
                setAsking(null);
                notify.ok(pending ? t('resolution.done.pending') : t('tickets.done.resolve'));
                onChanged();
              }}
              onConflict={() => {
                setAsking(null);
                onChanged();
              }}
            />
          ) : (
          <ReasonForm
            ticket={ticket}
            action={o.action}
            setBusy={setModalBusy}
            onDone={() => {
              setAsking(null);
              notify.ok(t(`tickets.done.${o.action}`));
              onChanged();
            }}
            onConflict={() => {
              setAsking(null);
              onChanged();
            }}
          />
          )
        }
      </FormModal>
      <FormModal
        opening={assigning}
        title={() => t('tickets.assign.title', { number: ticket.number })}
        formId="ticket-assign-form"
        submitTestId="ticket-assign-submit"
        okText={t('tickets.actions.assign')}
        onClose={() => setAssigning(null)}
      >
        {(_, setModalBusy) => (
          <AssignForm
            ticket={ticket}
            setBusy={setModalBusy}
            onDone={() => {
              setAssigning(null);
              notify.ok(t('tickets.done.assign'));
              onChanged();
            }}
            onConflict={() => {
              setAssigning(null);
              onChanged();
            }}
          />
        )}
      </FormModal>
    </Space>
  );
}

interface FormProps {
  ticket: Ticket;
  setBusy: (busy: boolean) => void;
  onDone: () => void;
  onConflict: () => void;
}

function ReasonForm({ ticket, action, setBusy, onDone, onConflict }: FormProps & { action: ReasonAction }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason?: string }>();
  const { onFinish, alert } = useFormSubmit(
    form,
    ['reason'],
    async (v) => {
      await ticketsApi.transition(ticket.id, actionTarget[action], ticket.version, v.reason?.trim() || undefined);
      onDone();
    },
    { setBusy, onConflict },
  );
  const required = action !== 'close';
  return (
    <Form form={form} id="ticket-reason-form" layout="vertical" onFinish={onFinish} noValidate>
      <Form.Item
        name="reason"
        label={t(`tickets.reason.${action}Label`)}
        extra={t(`tickets.reason.${action}Help`)}
        rules={required ? [{ required: true, whitespace: true, message: t('common.required') }] : []}
      >
        <Input.TextArea autoFocus autoSize={{ minRows: 3, maxRows: 8 }} maxLength={500} showCount data-testid="ticket-reason" />
      </Form.Item>
      {alert}
    </Form>
  );
}

interface Person {
  value: string;
  label: string;
}

/** Picks the person by typing part of a name or username (searched on the server). */
function AssignForm({ ticket, setBusy, onDone, onConflict }: FormProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ assigneeId: string }>();
  const [people, setPeople] = useState<Person[]>([]);
  const seq = useRef(0);
  const search = async (q: string) => {
    const mine = ++seq.current;
    try {
      const page = await usersApi.list({ q: q.trim() || undefined, status: 'active', limit: 20 });
      if (mine === seq.current) setPeople(page.items.map((u) => ({ value: u.id, label: `${u.displayName} (${u.username}) · ${u.orgUnitName}` })));
    } catch {
      if (mine === seq.current) setPeople([]);
    }
  };
  const { onFinish, alert } = useFormSubmit(
    form,
    ['assigneeId'],
    async (v) => {
      await ticketsApi.assign(ticket.id, v.assigneeId, ticket.version);
      onDone();
    },
    { setBusy, onConflict },
  );
  return (
    <Form form={form} id="ticket-assign-form" layout="vertical" onFinish={onFinish} noValidate>
      <Form.Item name="assigneeId" label={t('tickets.fields.assignee')} rules={[{ required: true, message: t('common.required') }]}>
        <Select
          showSearch={{ filterOption: false, onSearch: (q) => void search(q) }}
          placeholder={t('tickets.assign.placeholder')}
          options={people}
          onOpenChange={(open) => {
            if (open && people.length === 0) void search('');
          }}
          data-testid="ticket-assignee-picker"
        />
      </Form.Item>
      {alert}
    </Form>
  );
}
