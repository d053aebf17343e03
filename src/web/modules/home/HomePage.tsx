import { Card, Col, Empty, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useSession } from '../../session.tsx';
import { visibleNavigation, type NavItem } from '../../ui/navigation.tsx';

const descriptions: Partial<Record<NavItem['key'], string>> = {
  tickets: 'home.ticketsDesc',
  intake: 'home.intakeDesc',
  callbacks: 'home.callbacksDesc',
  transfers: 'home.transfersDesc',
  routing: 'home.routingDesc',
  org: 'home.orgDesc',
  users: 'home.usersDesc',
  roles: 'home.rolesDesc',
  audit: 'home.auditDesc',
};

/** The landing page: a greeting and the modules the person may use. */
export function HomePage() {
  const { t } = useTranslation();
  const { me, can } = useSession();
  const items = visibleNavigation(can).flatMap((m) => m.items);
  return (
    <div data-testid="home-page">
      <Typography.Title level={3} data-testid="page-title">
        {t('home.welcome', { name: me?.user.displayName ?? '' })}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('home.intro')}</Typography.Paragraph>
      <Typography.Title level={5}>{t('home.shortcuts')}</Typography.Title>
      {items.length === 0 ? (
        <Card>
          <Empty description={t('home.nothing')} />
        </Card>
      ) : (
        <Row gutter={[16, 16]}>
          {items.map((i) => (
            <Col key={i.key} xs={24} sm={12} lg={6}>
              <Link to={i.path}>
                <Card hoverable>
                  <Card.Meta avatar={<span style={{ fontSize: 24, color: '#1668dc' }}>{i.icon}</span>} title={t(i.label ?? `nav.${i.key}`)} description={t(i.description ?? descriptions[i.key] ?? '')} />
                </Card>
              </Link>
            </Col>
          ))}
        </Row>
      )}
    </div>
  );
}
