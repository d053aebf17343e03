import { z } from 'zod';
import { idParam } from '../../../contracts/api.ts';
import { calendarImport, calendarInput, deadlineQuery, deadlineResult, effectiveCalendar } from '../../../contracts/calendar.ts';
import type { KefuApp } from '../../http/app.ts';
import { calculateDeadline, deleteCalendar, exportCalendarIcs, getCalendar, importCalendarIcs, putCalendar } from './calendar.service.ts';

const tags = ['calendar 工作日历'];

export function calendarRoutes(app: KefuApp): void {
  app.get('/api/org-units/:id/calendar', {
    schema: { tags, summary: 'Effective working calendar 工作日历 (own, inherited or default)', params: idParam, response: { 200: effectiveCalendar } },
    config: { access: 'org:read' },
  }, (req) => getCalendar(req.ctx, req.params.id));

  app.put('/api/org-units/:id/calendar', {
    schema: { tags, summary: 'Set the unit’s own calendar', params: idParam, body: calendarInput, response: { 200: effectiveCalendar } },
    config: { access: 'sla:manage' },
  }, (req) => putCalendar(req.ctx, req.params.id, req.body));

  app.delete('/api/org-units/:id/calendar', {
    schema: { tags, summary: 'Remove the unit’s own calendar (back to the inherited one)', params: idParam },
    config: { access: 'sla:manage' },
  }, async (req, reply) => {
    await deleteCalendar(req.ctx, req.params.id);
    return reply.code(204).send();
  });

  app.get('/api/org-units/:id/calendar/ics', {
    schema: { tags, summary: 'Days off and make-up days as iCalendar', params: idParam },
    config: { access: 'org:read' },
  }, async (req, reply) => {
    const { filename, body } = await exportCalendarIcs(req.ctx, req.params.id);
    return reply
      .header('content-type', 'text/calendar; charset=utf-8')
      .header('content-disposition', `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`)
      .send(body);
  });

  app.post('/api/org-units/:id/calendar/ics', {
    schema: { tags, summary: 'Import days off and make-up days from iCalendar', params: idParam, body: calendarImport, response: { 200: effectiveCalendar } },
    config: { access: 'sla:manage' },
    // JSON escaping can grow a 1 MB file; the service checks the file's own size.
    bodyLimit: 3 * 1024 * 1024,
  }, (req) => importCalendarIcs(req.ctx, req.params.id, req.body));

  app.get('/api/calendar/deadline', {
    schema: { tags, summary: 'Deadline calculator: minutes of working time after start', querystring: deadlineQuery, response: { 200: deadlineResult } },
    config: { access: 'org:read' },
  }, (req) => calculateDeadline(req.ctx, req.query));
}
