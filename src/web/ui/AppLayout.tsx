import { ApiOutlined, BellOutlined, DownOutlined, HomeOutlined, KeyOutlined, LockOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { App, Avatar, Button, Dropdown, Layout, Menu, Space, theme, Typography, type MenuProps } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { NotificationBell } from '../modules/tickets/NotificationBell.tsx';
import { useSession } from '../session.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { visibleNavigation } from './navigation.tsx';

const { Sider, Header, Content } = Layout;

/** The signed-in frame: side menu by module (only what the person may use), language switch, user menu. */
export function AppLayout() {
  const { t } = useTranslation();
  const { me, can, logout } = useSession();
  const { message } = App.useApp();
  const location = useLocation();
  const navigate = useNavigate();
  const [collapsed, setCollapsed] = useState(false);
  const { token } = theme.useToken();

  const modules = visibleNavigation(can);
  const menuItems: MenuProps['items'] = [
    {
      key: '/',
      icon: <HomeOutlined />,
      label: (
        <Link to="/" data-testid="nav-home">
          {t('nav.home')}
        </Link>
      ),
    },
    ...modules.map((m) => ({
      type: 'group' as const,
      key: m.key,
      label: collapsed ? null : t(`nav.${m.key}`),
      children: m.items.map((i) => ({
        key: i.path,
        icon: i.icon,
        label: (
          <Link to={i.path} data-testid={`nav-${i.key}`}>
            {t(i.label ?? `nav.${i.key}`)}
          </Link>
        ),
      })),
    })),
  ];
  // The menu item whose path is the longest start of the address (/tickets/new is the intake, /tickets/… an order).
  const paths = modules.flatMap((m) => m.items.map((i) => i.path));
  const selected = paths.filter((p) => location.pathname === p || location.pathname.startsWith(`${p}/`)).sort((a, b) => b.length - a.length)[0] ?? location.pathname;

  const userItems: MenuProps['items'] = [
    { key: 'password', icon: <LockOutlined />, label: <span data-testid="menu-change-password">{t('userMenu.changePassword')}</span> },
    { key: 'tokens', icon: <KeyOutlined />, label: <span data-testid="menu-tokens">{t('userMenu.tokens')}</span> },
    { key: 'notifications', icon: <BellOutlined />, label: <span data-testid="menu-notification-prefs">{t('notificationDelivery.menu')}</span> },
    {
      key: 'docs',
      icon: <ApiOutlined />,
      label: (
        <a href="/api/docs" target="_blank" rel="noopener noreferrer" data-testid="menu-api-docs">
          {t('userMenu.apiDocs')}
        </a>
      ),
    },
    { type: 'divider' },
    { key: 'logout', icon: <LogoutOutlined />, danger: true, label: <span data-testid="menu-logout">{t('userMenu.logout')}</span> },
  ];
  const onUserMenu: MenuProps['onClick'] = async ({ key }) => {
    if (key === 'password') navigate('/account/password');
    else if (key === 'tokens') navigate('/tokens');
    else if (key === 'notifications') navigate('/me/notifications');
    else if (key === 'logout') {
      await logout(); // the guard then shows the sign-in page
      void message.success(t('userMenu.loggedOut'));
    }
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider collapsible collapsed={collapsed} onCollapse={setCollapsed} width={216} data-testid="side-menu">
        <div style={{ height: 56, display: 'flex', alignItems: 'center', justifyContent: 'center', color: '#fff', fontSize: 18, fontWeight: 600, whiteSpace: 'nowrap' }}>
          {collapsed ? t('app.name') : t('app.fullName')}
        </div>
        <Menu theme="dark" mode="inline" selectedKeys={[selected]} items={menuItems} />
      </Sider>
      <Layout>
        <Header
          style={{
            background: token.colorBgContainer,
            padding: '0 24px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
          }}
        >
          <Typography.Text type="secondary">{t('app.tagline')}</Typography.Text>
          <Space size="middle">
            <NotificationBell />
            <LanguageSwitch />
            <Dropdown menu={{ items: userItems, onClick: onUserMenu }} trigger={['click']}>
              <Button type="text" data-testid="user-menu">
                <Space>
                  <Avatar size="small" icon={<UserOutlined />} />
                  <span data-testid="current-user">{me?.user.displayName}</span>
                  <DownOutlined />
                </Space>
              </Button>
            </Dropdown>
          </Space>
        </Header>
        <Content style={{ margin: 24 }}>
          <Outlet />
        </Content>
      </Layout>
    </Layout>
  );
}
