import { Empty, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TimelineEvent } from '../../../contracts/tickets.ts';
import { formatTime } from '../../ui/format.ts';
import { describeEvent, eventColor, eventDetail } from './model.ts';

/** Everything that happened to the order, oldest first: who, when, what (translated), and any text it carried. */
export function TicketTimeline({ events }: { events: TimelineEvent[] }) {
  const { t } = useTranslation();
  if (events.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return (
    <Timeline
      data-testid="ticket-timeline"
      items={events.map((e) => {
        const detail = eventDetail(e);
        return {
          key: e.id,
          color: eventColor(e),
          content: (
            <div data-testid="timeline-event" data-kind={e.kind}>
              <div>
                <Typography.Text strong>{e.actorName}</Typography.Text>
                <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>
                  {formatTime(e.at)}
                </Typography.Text>
              </div>
              <div data-testid="timeline-text">{describeEvent(e, t, formatTime)}</div>
              {detail && (
                <Typography.Paragraph
                  type="secondary"
                  ellipsis={{ rows: 3, expandable: true, symbol: t('tickets.more') }}
                  style={{ margin: '4px 0 0', whiteSpace: 'pre-wrap' }}
                  data-testid="timeline-detail"
                >
                  {detail}
                </Typography.Paragraph>
              )}
            </div>
          ),
        };
      })}
    />
  );
}
