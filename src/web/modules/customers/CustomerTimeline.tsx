import { Button, Empty, Flex, Space, Tag, Timeline, Typography } from 'antd';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { TimelineItem } from '../../../contracts/customer-contacts.ts';
import { formatTime } from '../../ui/format.ts';
import { useCursorList } from '../../ui/useCursorList.ts';
import { customerRelationsApi as relApi, type RelationFilter } from './customerRelationsApi.ts';

const fetchTimeline = (f: RelationFilter, cursor?: string) => relApi.timeline(f, cursor);

/** 时间线: what touched the customer, newest first, a page at a time; the server leaves out what the caller may not see. */
export function CustomerTimeline({ filter }: { filter: RelationFilter }) {
  const { t } = useTranslation();
  const list = useCursorList(fetchTimeline, filter);
  if (list.items.length === 0) return list.loading ? null : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customerTimeline.empty')} data-testid="customer-timeline-empty" />;
  return (
    <div data-testid="customer-timeline">
      <Timeline
        items={list.items.map((i) => ({
          key: i.key,
          color: color(i),
          content: (
            <div data-testid="customer-timeline-item" data-kind={i.kind}>
              <div>
                <Typography.Text strong data-testid="customer-timeline-kind">{t(`customerTimeline.kinds.${i.kind.replace('.', '_')}`)}</Typography.Text>
                {i.actorName && <Typography.Text style={{ marginInlineStart: 8 }}>{i.actorName}</Typography.Text>}
                <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>
                  {formatTime(i.at)}
                </Typography.Text>
              </div>
              <TimelineDetail item={i} />
            </div>
          ),
        }))}
      />
      <Flex justify="center">
        {list.hasMore && (
          <Button onClick={list.loadMore} loading={list.loading} data-testid="customer-timeline-more">
            {t('common.loadMore')}
          </Button>
        )}
      </Flex>
    </div>
  );
}

function color(i: TimelineItem): string {
  if (i.kind.startsWith('ticket')) return i.kind === 'ticket.closed' ? 'green' : 'blue';
  if (i.kind === 'callback') return i.satisfaction !== null && i.satisfaction <= 2 ? 'red' : 'green';
  if (i.kind === 'reading') return 'orange';
  return 'gray';
}

function TimelineDetail({ item: i }: { item: TimelineItem }) {
  const { t } = useTranslation();
  const parts: ReactNode[] = [];
  if (i.ticket) {
    parts.push(
      <Link key="ticket" to={`/tickets/${i.ticket.id}`} data-testid="customer-timeline-ticket">
        {i.ticket.number} {i.ticket.subject}
      </Link>,
    );
  }
  if (i.kind === 'ticket.status' || i.kind === 'ticket.closed') {
    parts.push(<span key="status">{`${i.from ? t(`tickets.statuses.${i.from}`) : ''} → ${i.to ? t(`tickets.statuses.${i.to}`) : ''}`}</span>);
  }
  if (i.kind === 'callback') {
    if (i.to) parts.push(<Tag key="cb">{t(`callbacks.statuses.${i.to}`)}</Tag>);
    if (i.satisfaction !== null) parts.push(<span key="sat">{t('customerTimeline.satisfaction', { value: i.satisfaction })}</span>);
    if (i.solved !== null) parts.push(<span key="solved">{i.solved ? t('customerTimeline.solved') : t('customerTimeline.unsolved')}</span>);
  }
  if (i.kind === 'care.generated' || i.kind === 'care.done') {
    const occasion = i.action === 'birthday' ? t('care.birthday') : i.action ? t(`care.festivals.${i.action}`) : '';
    parts.push(<span key="care">{[occasion, i.from ? t(`care.channels.${i.from}`) : '', i.to ? t(`care.statuses.${i.to}`) : ''].filter(Boolean).join(' · ')}</span>);
  }
  if (i.kind === 'file' && i.action) {
    parts.push(<span key="action">{t(`audit.actions.${i.action.replace(/\./g, '_')}`, { defaultValue: i.action })}</span>);
    const created = i.action === 'customer.create';
    for (const c of i.changes) {
      // A new file: its classification as set (the empty ones left out); a change: from → to.
      if (created && isEmpty(c.to)) continue;
      const shown = created ? value(c.field, c.to, t) : `${value(c.field, c.from, t)} → ${value(c.field, c.to, t)}`;
      parts.push(<Tag key={`c-${c.field}`} data-testid="customer-timeline-change">{`${fieldLabel(c.field, t)}: ${shown}`}</Tag>);
    }
    const others = i.fields.filter((f) => !i.changes.some((c) => c.field === f));
    if (others.length) parts.push(<span key="fields">{t('customerTimeline.changedFields', { fields: others.map((f) => fieldLabel(f, t)).join('、') })}</span>);
  }
  if (i.kind === 'reading' && i.sections.length) {
    parts.push(<span key="sections">{t('customerTimeline.sections', { sections: i.sections.map((s) => t(`customerFiles.sections.${s}`)).join('、') })}</span>);
  }
  return (
    <>
      {parts.length > 0 && <Space wrap size={[8, 0]}>{parts}</Space>}
      {i.text && (
        <Typography.Paragraph type="secondary" ellipsis={{ rows: 3, expandable: true }} style={{ margin: '4px 0 0', whiteSpace: 'pre-wrap' }} data-testid="customer-timeline-text">
          {i.text}
        </Typography.Paragraph>
      )}
    </>
  );
}

const isEmpty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/** A field of the file by its label (the level is `level` among the labels); unknown fields by their code. */
function fieldLabel(field: string, t: TFunction): string {
  return String(t(`customerFiles.fields.${field === 'confidentiality' ? 'level' : field}`, { defaultValue: field }));
}

/** A classification value as the file shows it. */
function value(field: string, v: unknown, t: (k: string) => string): string {
  if (isEmpty(v)) return t('common.none');
  if (field === 'tier') return t(`customerFiles.tiers.${String(v)}`);
  if (field === 'category') return t(`customerFiles.categories.${String(v)}`);
  if (field === 'confidentiality') return t(`customerFiles.levels.${String(v)}`);
  if (field === 'vip') return v ? t('common.yes') : t('common.no');
  if (Array.isArray(v)) return v.join('、');
  return String(v);
}
