import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Empty, Flex, Popover, Spin, Tag, theme, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import type { Notification } from '../../../contracts/tickets.ts';
import { notificationsApi } from '../../endpoints.ts';
import { useLive } from '../../live.ts';
import { useNotify } from '../../ui/errors.tsx';
import { Relative } from './TicketTags.tsx';

const kindColors: Record<string, string> = { mention: 'blue', assigned: 'purple', escalation: 'red', sla: 'orange' };
const UNREAD_PAGE = 100;

/**
 * The bell in the header: how many of my notifications are unread (asked again at each page
 * navigation and when the server pushes a new one, no timer), the latest ones when opened; clicking one marks it read and opens its work order.
 */
export function NotificationBell() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const notify = useNotify();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const [unread, setUnread] = useState<{ count: number; more: boolean }>({ count: 0, more: false });
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<Notification[] | null>(null);

  const countUnread = useCallback(async () => {
    try {
      const page = await notificationsApi.list({ unread: true, limit: UNREAD_PAGE });
      setUnread({ count: page.items.length, more: page.nextCursor !== null });
    } catch {
      /* the bell stays as it was; the page itself reports a lost session */
    }
  }, []);
  useEffect(() => void countUnread(), [countUnread, pathname]);
  // Live: a notification made for me (pushed by the server) updates the count at once.
  useLive((e) => e.type === 'notification' || e.type === 'ready', () => void countUnread());

  const onOpenChange = async (next: boolean) => {
    setOpen(next);
    if (!next) return;
    setItems(null);
    try {
      const page = await notificationsApi.list({ limit: 20 });
      setItems(page.items);
    } catch (err) {
      setItems([]);
      notify.fail(err);
    }
    void countUnread();
  };

  const openOne = async (n: Notification) => {
    setOpen(false);
    if (!n.readAt) {
      await notify.run(notificationsApi.read(n.id));
      void countUnread();
    }
    if (n.ticketId) navigate(`/tickets/${n.ticketId}`);
  };

  const list = (
    <div style={{ width: 380, maxHeight: 440, overflowY: 'auto' }} data-testid="notification-list">
      {items === null ? (
        <Spin style={{ display: 'block', margin: 24 }} />
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.empty')} />
      ) : (
        items.map((n) => (
          <div
            key={n.id}
            role="button"
            tabIndex={0}
            onClick={() => void openOne(n)}
            onKeyDown={(e) => e.key === 'Enter' && void openOne(n)}
            data-testid="notification-item"
            data-unread={n.readAt ? undefined : 'true'}
            style={{
              padding: '8px 12px',
              cursor: 'pointer',
              borderRadius: token.borderRadius,
              background: n.readAt ? undefined : token.colorPrimaryBg,
              marginBottom: 4,
            }}
          >
            <Flex justify="space-between" align="center" gap={8}>
              <Tag color={kindColors[n.kind] ?? 'default'}>{t(`notifications.kinds.${n.kind}`, { defaultValue: t('notifications.kinds.other') })}</Tag>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                <Relative iso={n.createdAt} />
              </Typography.Text>
            </Flex>
            <Typography.Paragraph style={{ margin: '4px 0 0' }} strong={!n.readAt} data-testid="notification-text">
              {n.text}
            </Typography.Paragraph>
          </div>
        ))
      )}
    </div>
  );

  const label = unread.more ? `${unread.count}+` : String(unread.count);
  return (
    <Popover open={open} onOpenChange={(o) => void onOpenChange(o)} trigger="click" placement="bottomRight" title={t('notifications.title')} content={list}>
      <Button type="text" aria-label={t('notifications.open', { n: unread.count })} data-testid="notification-bell">
        <Badge count={unread.count} overflowCount={UNREAD_PAGE - 1} size="small" title={label} data-testid="notification-count">
          <BellOutlined style={{ fontSize: 18 }} />
        </Badge>
      </Button>
    </Popover>
  );
}
