import { bulkResult, ticketBulk } from '../../../contracts/queues.ts';
import type { KefuApp } from '../../http/app.ts';
import { bulkTickets } from './ticket-bulk.service.ts';

export function bulkRoutes(app: KefuApp): void {
  app.post('/api/tickets/bulk', {
    schema: {
      tags: ['tickets 工单'],
      summary: 'One action on 1–100 work orders, all or nothing 批量操作 (assign | transfer | tag | status); refusals list each id',
      body: ticketBulk,
      response: { 200: bulkResult },
    },
    config: { access: 'ticket:update' },
  }, (req) => bulkTickets(req.ctx, req.body));
}
