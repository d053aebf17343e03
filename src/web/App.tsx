import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { currentLanguage } from './i18n/index.ts';
import { AuditPage } from './modules/audit/AuditPage.tsx';
import { JobsPage } from './modules/jobs/JobsPage.tsx';
import { NotificationPreferencesPage } from './modules/notifications/NotificationPreferencesPage.tsx';
import { SlaReportPage } from './modules/reports/SlaReportPage.tsx';
import { ChangePasswordPage, ForcedPasswordPage } from './modules/auth/ChangePasswordPage.tsx';
import { LoginPage } from './modules/auth/LoginPage.tsx';
import { TokensPage } from './modules/auth/TokensPage.tsx';
import { HomePage } from './modules/home/HomePage.tsx';
import { OrgUnitsPage } from './modules/org/OrgUnitsPage.tsx';
import { CallbacksPage } from './modules/tickets/CallbacksPage.tsx';
import { CustomersPage } from './modules/customers/CustomersPage.tsx';
import { CustomerDetailPage } from './modules/customers/CustomerDetailPage.tsx';
import { ReadingLogPage } from './modules/customers/ReadingLogPage.tsx';
import { CustomerImportPage } from './modules/customer-import/CustomerImportPage.tsx';
import { DuplicatesPage } from './modules/customer-merge/DuplicatesPage.tsx';
import { CarePage } from './modules/care/CarePage.tsx';
import { CustomerAccessPage } from './modules/customer-access/CustomerAccessPage.tsx';
import { VerificationPage } from './modules/verification/VerificationPage.tsx';
import { DestructionDetailPage } from './modules/destruction/DestructionDetailPage.tsx';
import { DestructionsPage } from './modules/destruction/DestructionsPage.tsx';
import { SurveyAnswerPage } from './modules/surveys/SurveyAnswerPage.tsx';
import { SurveyDetailPage } from './modules/surveys/SurveyDetailPage.tsx';
import { SurveysPage } from './modules/surveys/SurveysPage.tsx';
import { CapaDetailPage } from './modules/tickets/CapaDetailPage.tsx';
import { CapasPage } from './modules/tickets/CapasPage.tsx';
import { CompensationsPage } from './modules/tickets/CompensationsPage.tsx';
import { RoutingRulesPage } from './modules/tickets/RoutingRulesPage.tsx';
import { TransfersPage } from './modules/tickets/TransfersPage.tsx';
import { IntakePage } from './modules/tickets/IntakePage.tsx';
import { TicketDetailPage } from './modules/tickets/TicketDetailPage.tsx';
import { RatePage } from './modules/tickets/RatePage.tsx';
import { TicketsPage } from './modules/tickets/TicketsPage.tsx';
import { TicketSettingsPage } from './modules/tickets/TicketSettingsPage.tsx';
import { RolesPage } from './modules/users/RolesPage.tsx';
import { UsersPage } from './modules/users/UsersPage.tsx';
import { CalendarPage } from './modules/sla/CalendarPage.tsx';
import { SlaPoliciesPage } from './modules/sla/SlaPoliciesPage.tsx';
import { SessionProvider } from './session.tsx';
import { AppLayout } from './ui/AppLayout.tsx';
import { NotFound, RequireAuth, RequirePermission } from './ui/guards.tsx';

/** Providers (antd locale follows the UI language), the session, and the routes. */
export function KefuApp() {
  useTranslation(); // re-render on language change
  const lang = currentLanguage();
  dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  return (
    <ConfigProvider locale={lang === 'en' ? enUS : zhCN} theme={{ token: { colorPrimary: '#1668dc', borderRadius: 6 } }} button={{ autoInsertSpace: false }}>
      <AntApp>
        <SessionProvider>
          <BrowserRouter>
            <Routes>
              <Route path="/login" element={<LoginPage />} />
              <Route path="/change-password" element={<ForcedPasswordPage />} />
              <Route path="/rate/:token" element={<RatePage />} />
              <Route path="/survey/:token" element={<SurveyAnswerPage />} />
              <Route
                element={
                  <RequireAuth>
                    <AppLayout />
                  </RequireAuth>
                }
              >
                <Route index element={<HomePage />} />
                <Route path="tickets" element={<RequirePermission permission="ticket:read"><TicketsPage /></RequirePermission>} />
                <Route path="tickets/new" element={<RequirePermission permission="ticket:create"><IntakePage /></RequirePermission>} />
                <Route path="tickets/:id" element={<RequirePermission permission="ticket:read"><TicketDetailPage /></RequirePermission>} />
                <Route path="callbacks" element={<RequirePermission permission="callback:perform"><CallbacksPage /></RequirePermission>} />
                <Route path="customers" element={<RequirePermission permission="customer:read"><CustomersPage /></RequirePermission>} />
                <Route path="customers/duplicates" element={<RequirePermission permission="customer:manage"><DuplicatesPage /></RequirePermission>} />
                <Route path="customers/import" element={<RequirePermission permission="customer:manage"><CustomerImportPage /></RequirePermission>} />
                <Route path="customers/:id" element={<RequirePermission permission="customer:read"><CustomerDetailPage /></RequirePermission>} />
                <Route path="customer-reading-log" element={<RequirePermission permission="customer:manage"><ReadingLogPage /></RequirePermission>} />
                <Route path="care" element={<RequirePermission permission="customer:manage"><CarePage /></RequirePermission>} />
                <Route path="customer-access" element={<RequirePermission permission="customer:read"><CustomerAccessPage /></RequirePermission>} />
                <Route path="customer-verification" element={<RequirePermission permission="customer:manage"><VerificationPage /></RequirePermission>} />
                <Route path="customer-destruction" element={<RequirePermission permission="customer:manage"><DestructionsPage /></RequirePermission>} />
                <Route path="customer-destruction/:id" element={<RequirePermission permission="customer:manage"><DestructionDetailPage /></RequirePermission>} />
                <Route path="surveys" element={<RequirePermission permission="customer:manage"><SurveysPage /></RequirePermission>} />
                <Route path="surveys/:id" element={<RequirePermission permission="customer:read"><SurveyDetailPage /></RequirePermission>} />
                <Route path="transfers" element={<RequirePermission permission="ticket:update"><TransfersPage /></RequirePermission>} />
                <Route path="compensations" element={<RequirePermission permission="ticket:approve_compensation"><CompensationsPage /></RequirePermission>} />
                <Route path="capas" element={<RequirePermission permission="ticket:read"><CapasPage /></RequirePermission>} />
                <Route path="capas/:id" element={<RequirePermission permission="ticket:read"><CapaDetailPage /></RequirePermission>} />
                <Route path="routing-rules" element={<RequirePermission permission="routing:manage"><RoutingRulesPage /></RequirePermission>} />
                <Route path="sla-policies" element={<RequirePermission permission="sla:manage"><SlaPoliciesPage /></RequirePermission>} />
                <Route path="calendars" element={<RequirePermission permission="org:read"><CalendarPage /></RequirePermission>} />
                <Route path="ticket-settings" element={<RequirePermission permission="ticket:configure"><TicketSettingsPage /></RequirePermission>} />
                <Route path="org" element={<RequirePermission permission="org:read"><OrgUnitsPage /></RequirePermission>} />
                <Route path="users" element={<RequirePermission permission="user:read"><UsersPage /></RequirePermission>} />
                <Route path="roles" element={<RequirePermission permission="role:read"><RolesPage /></RequirePermission>} />
                <Route path="audit" element={<RequirePermission permission="audit:read"><AuditPage /></RequirePermission>} />
                <Route path="jobs" element={<RequirePermission permission="system:jobs"><JobsPage /></RequirePermission>} />
                <Route path="reports/sla" element={<RequirePermission permission="report:read"><SlaReportPage /></RequirePermission>} />
                <Route path="tokens" element={<TokensPage />} />
                <Route path="me/notifications" element={<NotificationPreferencesPage />} />
                <Route path="account/password" element={<ChangePasswordPage />} />
                <Route path="*" element={<NotFound />} />
              </Route>
            </Routes>
          </BrowserRouter>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}
