import { Card, Descriptions, Empty, List, Space, Tag, Typography } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { TimelineEvent } from '../../../contracts/tickets.ts';
import { capasApi, type Capa } from '../../endpoints.ts';
import { formatTime } from '../../ui/format.ts';
import { useLoaded } from '../../ui/useLoaded.ts';
import { CapaStatusTag } from './CapaTags.tsx';
import { linkedCapaIds, resolutionsOf, totalYuan, yuan, type Decision } from './resolution.model.ts';

const decisionColor: Record<Decision, string> = { approved: 'green', pending_approval: 'orange', rejected: 'red' };

export function DecisionTag({ status, testId }: { status: Decision; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={decisionColor[status]} data-testid={testId}>
      {t(`resolution.statuses.${status}`)}
    </Tag>
  );
}

/**
 * On the work-order page: the resolution (处理结果) with its compensations (补偿) and their approval,
 * and the corrective / preventive actions (CAPA) linked to the order. Nothing when there is neither.
 */
export function TicketResolution({ events }: { events: TimelineEvent[] }) {
  const { t } = useTranslation();
  const resolutions = resolutionsOf(events);
  const capaIds = linkedCapaIds(events).join(',');
  // A CAPA the reader may not see (another unit) is left out.
  const load = useCallback(() => Promise.all(capaIds ? capaIds.split(',').map((id) => capasApi.get(id).catch(() => null)) : []), [capaIds]);
  const capas = useLoaded(load, [] as (Capa | null)[]).data?.filter((k): k is Capa => !!k) ?? [];
  if (resolutions.length === 0 && !capaIds) return null;
  const [current, ...earlier] = resolutions;

  return (
    <Card title={t('resolution.panel.title')} style={{ marginTop: 16 }} data-testid="ticket-resolution">
      {current ? (
        <div data-testid="resolution-current">
          <Descriptions
            size="small"
            column={{ xs: 1, md: 2, xl: 3 }}
            items={[
              { key: 'status', label: t('resolution.panel.status'), children: <DecisionTag status={current.status} testId="resolution-status" /> },
              { key: 'rootCause', label: t('resolution.form.rootCause'), children: t(`resolution.rootCauses.${current.rootCause}`, { defaultValue: current.rootCause }) },
              { key: 'by', label: t('resolution.panel.by'), children: `${current.by} · ${formatTime(current.at)}` },
            ]}
          />
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: '8px 0' }} data-testid="resolution-summary">
            {current.summary}
          </Typography.Paragraph>
          {current.status === 'pending_approval' && (
            <Typography.Paragraph type="warning" data-testid="resolution-waiting">
              {t('resolution.panel.waiting')}
            </Typography.Paragraph>
          )}
          {current.compensations.length > 0 && (
            <List
              size="small"
              bordered
              header={t('resolution.panel.compensations', { total: yuan(totalYuan(current.compensations.map((c) => c.amount))) })}
              dataSource={current.compensations}
              renderItem={(c) => (
                <List.Item data-testid="resolution-compensation">
                  <Space wrap>
                    <span>{t(`resolution.kinds.${c.kind}`, { defaultValue: c.kind })}</span>
                    <Typography.Text strong>{yuan(c.amount)}</Typography.Text>
                    {c.note && <Typography.Text type="secondary">{c.note}</Typography.Text>}
                  </Space>
                  <Space wrap>
                    {c.decidedBy && (
                      <Typography.Text type="secondary">
                        {c.decidedBy}
                        {c.decisionNote ? `：${c.decisionNote}` : ''}
                      </Typography.Text>
                    )}
                    <DecisionTag status={c.status} testId="compensation-status" />
                  </Space>
                </List.Item>
              )}
            />
          )}
          {earlier.length > 0 && (
            <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
              {t('resolution.panel.earlier', { count: earlier.length })}
            </Typography.Paragraph>
          )}
        </div>
      ) : null}
      {capaIds && (
        <div style={{ marginTop: current ? 16 : 0 }} data-testid="ticket-capas">
          <Typography.Text strong>{t('capa.title')}</Typography.Text>
          {capas.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
          ) : (
            <List
              size="small"
              dataSource={capas}
              renderItem={(k) => (
                <List.Item data-testid="ticket-capa">
                  <Link to={`/capas/${k.id}`}>{k.title}</Link>
                  <Space>
                    <Typography.Text type="secondary">
                      {k.ownerName} · {k.dueDate}
                    </Typography.Text>
                    <CapaStatusTag capa={k} />
                  </Space>
                </List.Item>
              )}
            />
          )}
        </div>
      )}
    </Card>
  );
}
