import { idParam, page } from '../../../contracts/api.ts';
import { notification, notificationQuery } from '../../../contracts/tickets.ts';
import type { KefuApp } from '../../http/app.ts';
import { listNotifications, readNotification } from './notification.service.ts';

/** Everyone's own notifications: no permission beyond being signed in, and only one's own rows. */
export function notificationRoutes(app: KefuApp): void {
  const tags = ['notifications 通知'];
  app.get('/api/notifications', {
    schema: { tags, summary: 'My notifications, newest first 我的通知', querystring: notificationQuery, response: { 200: page(notification) } },
    config: { access: 'authenticated' },
  }, (req) => listNotifications(req.ctx, req.query));

  app.post('/api/notifications/:id/read', {
    schema: { tags, summary: 'Mark one of mine read 标为已读', params: idParam, response: { 200: notification } },
    config: { access: 'authenticated' },
  }, (req) => readNotification(req.ctx, req.params.id));
}
