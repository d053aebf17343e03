import { Button, Card, Empty, Flex, Spin, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { TicketSummary } from '../../../contracts/tickets.ts';
import type { CustomerLookup } from '../../endpoints.ts';
import { formatTime } from '../../ui/format.ts';
import { StatusTag, TypeTag } from './TicketTags.tsx';

export type LookupCustomer = CustomerLookup['customers'][number];

export interface CallerState {
  /** The normalised number looked up, null before three digits were typed. */
  phone: string | null;
  searching: boolean;
  customers: LookupCustomer[];
  linked: LookupCustomer | null;
}

/**
 * Who is calling (来电识别): the customer files whose number starts with the digits typed, each with
 * their open and recently closed work orders, and which one the new order will be linked to. Links open
 * in a new tab so the call's form stays as it is. Comes after the form in the tab order.
 */
export function CallerPanel({ state, onLink, willCreate }: { state: CallerState; onLink: (c: LookupCustomer | null) => void; willCreate: boolean }) {
  const { t } = useTranslation();
  const { phone, searching, customers, linked } = state;
  return (
    <Card title={t('tickets.intake.caller')} size="small" data-testid="caller-panel" extra={searching && <Spin size="small" />}>
      {phone === null ? (
        <Typography.Text type="secondary">{t('tickets.intake.phoneHelp')}</Typography.Text>
      ) : customers.length === 0 ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={<span data-testid="caller-none">{searching ? t('tickets.intake.searching') : willCreate ? t('tickets.intake.willCreate') : t('tickets.intake.noMatch')}</span>}
        />
      ) : (
        <Flex vertical gap={12}>
          {customers.map((c) => (
            <Card
              key={c.id}
              size="small"
              type="inner"
              data-testid="caller-customer"
              style={linked?.id === c.id ? { borderColor: '#1668dc' } : undefined}
              title={
                <span>
                  <Typography.Text strong data-testid="caller-name">{c.name}</Typography.Text>
                  <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>{c.phone}</Typography.Text>
                  {c.vip && <Tag color="gold" style={{ marginInlineStart: 8 }}>{t('tickets.vip')}</Tag>}
                  {c.tier !== 'ordinary' && <Tag color="purple">{t(`tickets.tiers.${c.tier}`)}</Tag>}
                </span>
              }
              extra={
                linked?.id === c.id ? (
                  <Button size="small" tabIndex={-1} onClick={() => onLink(null)} data-testid="caller-unlink">
                    {t('tickets.intake.unlink')}
                  </Button>
                ) : (
                  <Button size="small" type="primary" ghost tabIndex={-1} onClick={() => onLink(c)} data-testid="caller-link">
                    {t('tickets.intake.link')}
                  </Button>
                )
              }
            >
              <Orders title={t('tickets.intake.openTickets')} empty={t('tickets.intake.noneOpen')} tickets={c.openTickets} testId="caller-open" />
              {c.recentTickets.length > 0 && <Orders title={t('tickets.intake.recentTickets')} tickets={c.recentTickets} testId="caller-recent" />}
            </Card>
          ))}
        </Flex>
      )}
    </Card>
  );
}

function Orders({ title, tickets, empty, testId }: { title: string; tickets: TicketSummary[]; empty?: string; testId: string }) {
  return (
    <div data-testid={testId} style={{ marginBottom: 8 }}>
      <Typography.Text type="secondary">{title}</Typography.Text>
      {tickets.length === 0 ? (
        <div>
          <Typography.Text type="secondary">{empty}</Typography.Text>
        </div>
      ) : (
        <Flex vertical gap={4} style={{ marginTop: 4 }}>
          {tickets.map((tk) => (
            <Flex key={tk.id} gap={6} wrap align="center">
              <Link to={`/tickets/${tk.id}`} target="_blank" tabIndex={-1}>
                {tk.number}
              </Link>
              <TypeTag type={tk.type} />
              <StatusTag status={tk.status} />
              <Typography.Text ellipsis style={{ flex: 1, minWidth: 80 }}>
                {tk.subject}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatTime(tk.createdAt)}
              </Typography.Text>
            </Flex>
          ))}
        </Flex>
      )}
    </div>
  );
}
