import { emailOutboxPage, emailOutboxQuery, notificationPreferences, notificationPreferencesUpdate } from '../../../contracts/notifications.ts';
import type { KefuApp } from '../../http/app.ts';
import { getMyPreferences, listEmailOutbox, updateMyPreferences } from './delivery.service.ts';

/** A person's own notification preferences; the administrators' view of the e-mail outbox. */
export function deliveryRoutes(app: KefuApp): void {
  const tags = ['notifications 通知'];
  app.get('/api/me/notification-preferences', {
    schema: { tags, summary: 'My notification preferences per kind and channel 我的通知设置', response: { 200: notificationPreferences } },
    config: { access: 'authenticated' },
  }, (req) => getMyPreferences(req.ctx));

  app.put('/api/me/notification-preferences', {
    schema: { tags, summary: 'Save my notification preferences (and my e-mail address) 保存通知设置', body: notificationPreferencesUpdate, response: { 200: notificationPreferences } },
    config: { access: 'authenticated' },
  }, (req) => updateMyPreferences(req.ctx, req.body));

  app.get('/api/email-outbox', {
    schema: { tags: ['system'], summary: 'Notification e-mails, newest first, with counts per status 邮件发件箱', querystring: emailOutboxQuery, response: { 200: emailOutboxPage } },
    config: { access: 'system:jobs' },
  }, (req) => listEmailOutbox(req.ctx, req.query));
}
