import { z } from 'zod';
import { idParam } from '../../../contracts/api.ts';
import { slaPolicy, slaPolicyCreate, slaPolicyQuery, slaPolicyReorder, slaPolicyUpdate, ticketSla } from '../../../contracts/sla.ts';
import type { KefuApp } from '../../http/app.ts';
import type { Kefu } from '../../http/kefu.ts';
import { iso, ShiftedClock } from '../../platform/clock.ts';
import { sweepSla } from './sla.sweep.ts';
import { createPolicy, deletePolicy, listPolicies, reorderPolicies, ticketSlaOf, updatePolicy } from './sla.service.ts';

export function slaRoutes(app: KefuApp, kefu: Kefu): void {
  const tags = ['sla 服务时限'];
  const clock = kefu.clock;
  if (kefu.config.testClock && clock instanceof ShiftedClock) {
    // End-to-end and fault tests only (KEFU_TEST_CLOCK=true): move time forward, then sweep at once (unless sweep: false,
    // which leaves the stages due for a later sweep — e.g. the one at the next start, after a kill -9).
    app.post('/api/test/clock', {
      schema: {
        tags,
        summary: 'TESTS ONLY: advance the server clock and run the escalation sweep',
        body: z.strictObject({ advanceMinutes: z.number().int().min(0).max(525_600), sweep: z.boolean().default(true) }),
        response: { 200: z.object({ now: z.string(), fired: z.number() }) },
      },
      config: { access: 'role:manage' },
    }, async (req) => {
      clock.advance(req.body.advanceMinutes * 60_000);
      const fired = req.body.sweep ? await sweepSla(kefu.db, kefu.dialect, clock, kefu.log) : 0;
      kefu.sealer.poke();
      return { now: iso(clock.now()), fired };
    });
  }
  app.get('/api/sla-policies', {
    schema: { tags, summary: 'Time-limit policies in your scope, by unit and order 服务时限策略', querystring: slaPolicyQuery, response: { 200: z.array(slaPolicy) } },
    config: { access: 'sla:manage' },
  }, (req) => listPolicies(req.ctx, req.query));

  app.post('/api/sla-policies', {
    schema: { tags, summary: 'Add a policy at the end of its unit’s list 新增策略', body: slaPolicyCreate, response: { 201: slaPolicy } },
    config: { access: 'sla:manage' },
  }, async (req, reply) => reply.code(201).send(await createPolicy(req.ctx, req.body)));

  app.post('/api/sla-policies/reorder', {
    schema: { tags, summary: 'Put every policy of a unit in a new order 调整顺序', body: slaPolicyReorder, response: { 200: z.array(slaPolicy) } },
    config: { access: 'sla:manage' },
  }, (req) => reorderPolicies(req.ctx, req.body));

  app.patch('/api/sla-policies/:id', {
    schema: { tags, summary: 'Change a policy 修改策略', params: idParam, body: slaPolicyUpdate, response: { 200: slaPolicy } },
    config: { access: 'sla:manage' },
  }, (req) => updatePolicy(req.ctx, req.params.id, req.body));

  app.delete('/api/sla-policies/:id', {
    schema: { tags, summary: 'Delete a policy 删除策略', params: idParam },
    config: { access: 'sla:manage' },
  }, async (req, reply) => {
    await deletePolicy(req.ctx, req.params.id);
    return reply.code(204).send();
  });

  app.get('/api/tickets/:id/sla', {
    schema: { tags, summary: 'The policy and clocks of a work order: deadlines, time left, stages fired 工单时限', params: idParam, response: { 200: ticketSla } },
    config: { access: 'ticket:read' },
  }, (req) => ticketSlaOf(req.ctx, req.params.id));
}
