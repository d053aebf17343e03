import { z } from 'zod';
import { idParam, orgUnit, orgUnitCreate, orgUnitUpdate } from '../../../contracts/api.ts';
import type { KefuApp } from '../../http/app.ts';
import { createOrgUnit, deleteOrgUnit, getOrgUnit, listOrgUnits, updateOrgUnit } from './org-unit.service.ts';

const tags = ['org 组织架构'];

export function orgUnitRoutes(app: KefuApp): void {
  app.get('/api/org-units', {
    schema: { tags, summary: 'Org units in your scope 组织单元', response: { 200: z.array(orgUnit) } },
    config: { access: 'org:read' },
  }, (req) => listOrgUnits(req.ctx));

  app.get('/api/org-units/:id', {
    schema: { tags, params: idParam, response: { 200: orgUnit } },
    config: { access: 'org:read' },
  }, (req) => getOrgUnit(req.ctx, req.params.id));

  app.post('/api/org-units', {
    schema: { tags, body: orgUnitCreate, response: { 201: orgUnit } },
    config: { access: 'org:manage' },
  }, async (req, reply) => reply.code(201).send(await createOrgUnit(req.ctx, req.body)));

  app.patch('/api/org-units/:id', {
    schema: { tags, params: idParam, body: orgUnitUpdate, response: { 200: orgUnit } },
    config: { access: 'org:manage' },
  }, (req) => updateOrgUnit(req.ctx, req.params.id, req.body));

  app.delete('/api/org-units/:id', {
    schema: { tags, params: idParam },
    config: { access: 'org:manage' },
  }, async (req, reply) => {
    await deleteOrgUnit(req.ctx, req.params.id);
    return reply.code(204).send();
  });
}
