import { DeleteOutlined, LinkOutlined, MergeCellsOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, Flex, Form, Input, List, Popconfirm, Select, Space, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ticketLinkKinds, type TicketLink, type TicketLinkKind } from '../../../contracts/merge.ts';
import type { Ticket, TimelineEvent } from '../../../contracts/tickets.ts';
import { ApiError } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { confirmButtons, tid, useFormSubmit, useNotify } from '../../ui/errors.tsx';
import { FormModal } from '../../ui/FormOverlay.tsx';
import { formatTime } from '../../ui/format.ts';
import { OneTimeSecretModal } from '../../ui/OneTimeSecret.tsx';
import { useLoaded } from '../../ui/useLoaded.ts';
import { mergeApi } from './mergeApi.ts';
import { StatusTag } from './TicketTags.tsx';

/**
 * Everything about merging and linking on the work-order page, mounted by one line: the banner of a
 * merged order (linking to the survivor), the links panel with the "merge into…" action, the
 * conversation of the orders merged into this one, and the customer's rating link while a callback waits.
 */
export function TicketMergePanel({ ticket, events, onChanged }: { ticket: Ticket; events: TimelineEvent[]; onChanged: () => void }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const callbackId = ticket.status === 'awaiting_callback' ? lastScheduledCallback(events) : null;
  return (
    <Flex vertical gap={16} style={{ marginTop: 16 }}>
      {ticket.mergedInto && (
        <Alert
          type="info"
          showIcon
          data-testid="merged-banner"
          title={
            ticket.mergedInto.number ? (
              <span>
                {t('merge.banner')} <Link to={`/tickets/${ticket.mergedInto.id}`} data-testid="merged-into-link">{ticket.mergedInto.number}</Link>
              </span>
            ) : (
              t('merge.bannerHidden')
            )
          }
        />
      )}
      <LinksCard ticket={ticket} canChange={can('ticket:update')} onChanged={onChanged} />
      <MergedMessages ticket={ticket} />
      {callbackId && can('callback:perform') && <RatingLinkCard callbackId={callbackId} />}
    </Flex>
  );
}

function lastScheduledCallback(events: TimelineEvent[]): string | null {
  const e = [...events].reverse().find((x) => x.kind === 'callback.scheduled' && typeof x.data.callbackId === 'string');
  return e ? (e.data.callbackId as string) : null;
}

/** How a link reads from this order's side: "caused by" one way is "causes" the other. */
const linkLabel = (l: TicketLink) => `merge.kinds.${l.kind}.${l.direction}`;

function LinksCard({ ticket, canChange, onChanged }: { ticket: Ticket; canChange: boolean; onChanged: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  // Reloaded whenever the order changed (a merge, a link made from the other side shows after a refresh).
  const load = useCallback(() => mergeApi.links(ticket.id), [ticket.id, ticket.updatedAt]);
  const { data: links, reload, loading } = useLoaded(load, [] as TicketLink[]);
  const [number, setNumber] = useState('');
  const [kind, setKind] = useState<TicketLinkKind>('related');
  const [adding, setAdding] = useState(false);
  const [merging, setMerging] = useState<object | null>(null);

  const add = async () => {
    const n = number.trim();
    if (!n) return;
    setAdding(true);
    try {
      const other = await mergeApi.byNumber(n);
      if (!other) {
        notify.fail(new ApiError(404, 'NOT_FOUND', t('merge.noSuchNumber', { number: n })));
        return;
      }
      if (await notify.run(mergeApi.link(ticket.id, other.id, kind), t('merge.linked'))) {
        setNumber('');
        void reload();
        onChanged();
      }
    } catch (err) {
      notify.fail(err);
    } finally {
      setAdding(false);
    }
  };
  const remove = async (l: TicketLink) => {
    if (await notify.run(mergeApi.unlink(ticket.id, l.id), t('merge.unlinked'))) {
      void reload();
      onChanged();
    }
  };

  return (
    <Card
      title={
        <span>
          <LinkOutlined /> {t('merge.linksTitle')}
        </span>
      }
      size="small"
      data-testid="ticket-links"
      extra={
        canChange &&
        !ticket.mergedInto && (
          <Button icon={<MergeCellsOutlined />} onClick={() => setMerging({})} data-testid="merge-open">
            {t('merge.mergeInto')}
          </Button>
        )
      }
    >
      {links.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('merge.noLinks')} style={{ margin: 8 }} />
      ) : (
        <List
          size="small"
          loading={loading}
          dataSource={links}
          renderItem={(l) => (
            <List.Item
              data-testid="ticket-link"
              actions={
                canChange
                  ? [
                      <Popconfirm key="remove" title={t('merge.unlinkConfirm')} onConfirm={() => remove(l)} {...confirmButtons(true)}>
                        <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={t('merge.unlink')} data-testid="ticket-link-remove" />
                      </Popconfirm>,
                    ]
                  : []
              }
            >
              <Space wrap>
                <Tag>{t(linkLabel(l))}</Tag>
                <Link to={`/tickets/${l.ticketId}`}>{l.number}</Link>
                <Typography.Text>{l.subject}</Typography.Text>
                <StatusTag status={l.status} />
              </Space>
            </List.Item>
          )}
        />
      )}
      {canChange && (
        <Space.Compact style={{ width: '100%', marginTop: 12 }}>
          <Select
            value={kind}
            onChange={setKind}
            style={{ width: 160 }}
            data-testid="link-kind"
            options={ticketLinkKinds.map((k) => ({ value: k, label: t(`merge.kinds.${k}.outgoing`) }))}
          />
          <Input
            value={number}
            onChange={(e) => setNumber(e.target.value)}
            onPressEnter={() => void add()}
            placeholder={t('merge.numberPlaceholder')}
            maxLength={64}
            data-testid="link-number"
          />
          <Button type="primary" onClick={() => void add()} loading={adding} data-testid="link-add">
            {t('merge.addLink')}
          </Button>
        </Space.Compact>
      )}
      <MergeModal
        ticket={ticket}
        opening={merging}
        onClose={() => setMerging(null)}
        onDone={() => {
          setMerging(null);
          onChanged();
        }}
      />
    </Card>
  );
}

interface MergeValues {
  number?: string;
  reason?: string;
}

function MergeModal({ ticket, opening, onClose, onDone }: { ticket: Ticket; opening: object | null; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <FormModal
      opening={opening}
      title={() => t('merge.mergeTitle', { number: ticket.number })}
      formId="merge-form"
      submitTestId="merge-submit"
      okText={t('merge.mergeOk')}
      width={520}
      onClose={onClose}
    >
      {(_, setBusy) => <MergeForm ticket={ticket} setBusy={setBusy} onDone={onDone} />}
    </FormModal>
  );
}

function MergeForm({ ticket, setBusy, onDone }: { ticket: Ticket; setBusy: (b: boolean) => void; onDone: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<MergeValues>();
  const { onFinish, alert } = useFormSubmit(
    form,
    ['number', 'reason'],
    async (v) => {
      const number = (v.number ?? '').trim();
      const target = await mergeApi.byNumber(number);
      if (!target) {
        form.setFields([{ name: 'number', errors: [t('merge.noSuchNumber', { number })] }]);
        return;
      }
      await mergeApi.merge(ticket.id, target.id, ticket.version, (v.reason ?? '').trim());
      notify.ok(t('merge.merged', { number: target.number }));
      onDone();
    },
    { setBusy, onConflict: onDone },
  );
  const required = { required: true, whitespace: true, message: t('common.required') };
  return (
    <Form form={form} id="merge-form" layout="vertical" onFinish={onFinish} noValidate>
      <Alert type="warning" showIcon title={t('merge.mergeHelp')} style={{ marginBottom: 16 }} />
      <Form.Item name="number" label={t('merge.survivorNumber')} rules={[required]}>
        <Input maxLength={64} autoFocus placeholder={t('merge.numberPlaceholder')} data-testid="merge-number" />
      </Form.Item>
      <Form.Item name="reason" label={t('merge.reason')} rules={[required]}>
        <Input.TextArea maxLength={500} rows={3} data-testid="merge-reason" />
      </Form.Item>
      {alert}
    </Form>
  );
}

/** The messages of orders merged into this one, each marked with its source number. */
function MergedMessages({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const load = useCallback(() => mergeApi.messages(ticket.id), [ticket.id, ticket.updatedAt]);
  const { data } = useLoaded(load, []);
  const merged = data.filter((m) => m.merged);
  if (merged.length === 0) return null;
  return (
    <Card title={t('merge.mergedConversation')} size="small" data-testid="merged-messages">
      <Flex vertical gap={8}>
        {merged.map((m) => (
          <div key={m.id} data-testid="merged-message">
            <Space wrap size={4}>
              <Tag color="purple">{t('merge.fromOrder', { number: m.ticketNumber })}</Tag>
              <Tag color={m.kind === 'reply' ? 'blue' : 'gold'}>{t(`merge.messageKinds.${m.kind}`)}</Tag>
              <Typography.Text strong>{m.authorName}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatTime(m.createdAt)}
              </Typography.Text>
            </Space>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: '4px 0 0' }}>{m.body}</Typography.Paragraph>
          </div>
        ))}
      </Flex>
    </Card>
  );
}

/** The state of the callback's rating link; a new one is shown once and revokes the older. */
function RatingLinkCard({ callbackId }: { callbackId: string }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const load = useCallback(() => mergeApi.ratingLink(callbackId), [callbackId]);
  const { data, reload } = useLoaded(load, null);
  const [issued, setIssued] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const issue = async () => {
    setBusy(true);
    try {
      const r = await mergeApi.issueRatingLink(callbackId);
      setIssued(`${window.location.origin}${r.path}`);
      void reload();
    } catch (err) {
      notify.fail(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={t('merge.rating.linkTitle')} size="small" data-testid="rating-link-card">
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Text type="secondary" data-testid="rating-link-state">
          {data?.exists && data.state ? t(`merge.rating.states.${data.state}`, { at: formatTime(data.expiresAt ?? '') }) : t('merge.rating.none')}
        </Typography.Text>
        <Popconfirm title={t('merge.rating.issueConfirm')} onConfirm={() => void issue()} {...confirmButtons()}>
          <Button loading={busy} {...tid('rating-link-issue')}>
            {t('merge.rating.issue')}
          </Button>
        </Popconfirm>
      </Flex>
      <OneTimeSecretModal
        open={issued !== null}
        title={t('merge.rating.issuedTitle')}
        label={t('merge.rating.issuedLabel')}
        secret={issued}
        warning={t('merge.rating.issuedWarning')}
        onClose={() => setIssued(null)}
      />
    </Card>
  );
}
