import { LockOutlined, SendOutlined } from '@ant-design/icons';
import { Button, Empty, Flex, Input, Segmented, Tag, theme, Typography } from 'antd';
import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TicketMessage, TimelineEvent } from '../../../contracts/tickets.ts';
import { ticketsApi } from '../../endpoints.ts';
import { useNotify } from '../../ui/errors.tsx';
import { formatTime } from '../../ui/format.ts';

type Kind = TicketMessage['kind'];

/**
 * The replies to the customer and the internal notes (from the timeline, which carries their text),
 * told apart by colour and label, and the composer: reply or note, Ctrl+Enter sends.
 */
export function Conversation({ ticketId, events, canWrite, onSent }: { ticketId: string; events: TimelineEvent[]; canWrite: boolean; onSent: () => void }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const notify = useNotify();
  const [kind, setKind] = useState<Kind>('reply');
  const [body, setBody] = useState('');
  const [sending, setSending] = useState(false);
  const messages = events.filter((e) => (e.kind === 'reply' || e.kind === 'note') && typeof e.data.body === 'string');

  const send = async () => {
    if (!body.trim() || sending) return;
    setSending(true);
    const ok = await notify.run(ticketsApi.message(ticketId, kind, body.trim()), kind === 'reply' ? t('tickets.composer.sent') : t('tickets.composer.noted'));
    setSending(false);
    if (ok) {
      setBody('');
      onSent();
    }
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void send();
    }
  };

  const look = (k: Kind) =>
    k === 'reply'
      ? { background: token.colorPrimaryBg, borderInlineStart: `3px solid ${token.colorPrimary}` }
      : { background: token.colorWarningBg, borderInlineStart: `3px dashed ${token.colorWarning}` };

  return (
    <div>
      {messages.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tickets.detail.noMessages')} />
      ) : (
        <Flex vertical gap={12} style={{ marginBottom: 16 }}>
          {messages.map((m) => {
            const k = m.kind as Kind;
            return (
              <div key={m.id} data-testid={`message-${k}`} style={{ ...look(k), padding: '8px 12px', borderRadius: token.borderRadius }}>
                <Flex justify="space-between" wrap gap={8}>
                  <span>
                    <Typography.Text strong>{m.actorName}</Typography.Text>
                    <Tag color={k === 'reply' ? 'blue' : 'gold'} icon={k === 'note' ? <LockOutlined /> : undefined} style={{ marginInlineStart: 8 }}>
                      {t(`tickets.composer.${k}`)}
                    </Tag>
                  </span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatTime(m.at)}
                  </Typography.Text>
                </Flex>
                <div style={{ whiteSpace: 'pre-wrap', marginTop: 4 }} data-testid="message-body">
                  {String(m.data.body)}
                </div>
              </div>
            );
          })}
        </Flex>
      )}
      {canWrite && (
        <div data-testid="composer" style={{ marginTop: 16 }}>
          <Segmented<Kind>
            value={kind}
            onChange={setKind}
            options={[
              { value: 'reply', label: t('tickets.composer.reply') },
              { value: 'note', label: t('tickets.composer.note'), icon: <LockOutlined /> },
            ]}
            style={{ marginBottom: 8 }}
            data-testid="composer-kind"
          />
          <Input.TextArea
            value={body}
            onChange={(e) => setBody(e.target.value)}
            onKeyDown={onKeyDown}
            autoSize={{ minRows: 3, maxRows: 10 }}
            maxLength={10000}
            placeholder={kind === 'reply' ? t('tickets.composer.replyPlaceholder') : t('tickets.composer.notePlaceholder')}
            aria-label={t(`tickets.composer.${kind}`)}
            style={kind === 'note' ? { background: token.colorWarningBg } : undefined}
            data-testid="composer-body"
          />
          <Flex justify="space-between" align="center" wrap gap={8} style={{ marginTop: 8 }}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="composer-hint">
              {kind === 'reply' ? t('tickets.composer.replyHint') : t('tickets.composer.mentionHint')}
            </Typography.Text>
            <Button type="primary" icon={<SendOutlined />} loading={sending} disabled={!body.trim()} onClick={() => void send()} data-testid="composer-send">
              {t('tickets.composer.send')}
            </Button>
          </Flex>
        </div>
      )}
    </div>
  );
}
