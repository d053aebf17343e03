import { z } from 'zod';
import { grantsReplace, idParam, page, passwordReset, role, roleCreate, roleUpdate, user, userCreate, userQuery, userUpdate } from '../../../contracts/api.ts';
import { permissionCatalog } from '../../../contracts/permissions.ts';
import type { KefuApp } from '../../http/app.ts';
import { createRole, deleteRole, getRole, listRoles, updateRole } from './role.service.ts';
import { createUser, getUser, listUsers, replaceUserGrants, resetPassword, updateUser } from './user.service.ts';

const tags = ['staff 员工与角色'];
const created = z.object({ user, initialPassword: z.string().nullable().describe('shown once when generated') });

export function userRoutes(app: KefuApp): void {
  app.get('/api/users', {
    schema: { tags, summary: 'Staff in your scope 员工', querystring: userQuery, response: { 200: page(user) } },
    config: { access: 'user:read' },
  }, (req) => listUsers(req.ctx, req.query));

  app.get('/api/users/:id', {
    schema: { tags, params: idParam, response: { 200: user } },
    config: { access: 'user:read' },
  }, (req) => getUser(req.ctx, req.params.id));

  app.post('/api/users', {
    schema: { tags, body: userCreate, response: { 201: created } },
    config: { access: 'user:manage' },
  }, async (req, reply) => reply.code(201).send(await createUser(req.ctx, req.body)));

  app.patch('/api/users/:id', {
    schema: { tags, params: idParam, body: userUpdate, response: { 200: user } },
    config: { access: 'user:manage' },
  }, (req) => updateUser(req.ctx, req.params.id, req.body));

  app.put('/api/users/:id/grants', {
    schema: { tags, summary: 'Replace the roles granted in the units you manage 授权', params: idParam, body: grantsReplace, response: { 200: user } },
    config: { access: 'user:manage' },
  }, (req) => replaceUserGrants(req.ctx, req.params.id, req.body));

  app.post('/api/users/:id/reset-password', {
    schema: { tags, params: idParam, body: passwordReset, response: { 200: z.object({ initialPassword: z.string().nullable() }) } },
    config: { access: 'user:manage' },
  }, (req) => resetPassword(req.ctx, req.params.id, req.body.password));

  app.get('/api/roles', {
    schema: { tags, response: { 200: z.array(role) } },
    config: { access: 'role:read' },
  }, (req) => listRoles(req.ctx));

  app.get('/api/roles/:id', {
    schema: { tags, params: idParam, response: { 200: role } },
    config: { access: 'role:read' },
  }, (req) => getRole(req.ctx, req.params.id));

  app.post('/api/roles', {
    schema: { tags, body: roleCreate, response: { 201: role } },
    config: { access: 'role:manage' },
  }, async (req, reply) => reply.code(201).send(await createRole(req.ctx, req.body)));

  app.patch('/api/roles/:id', {
    schema: { tags, params: idParam, body: roleUpdate, response: { 200: role } },
    config: { access: 'role:manage' },
  }, (req) => updateRole(req.ctx, req.params.id, req.body));

  app.delete('/api/roles/:id', {
    schema: { tags, params: idParam },
    config: { access: 'role:manage' },
  }, async (req, reply) => {
    await deleteRole(req.ctx, req.params.id);
    return reply.code(204).send();
  });

  app.get('/api/permissions', {
    schema: {
      tags,
      summary: 'The permission catalog 权限目录',
      response: { 200: z.array(z.object({ key: z.string(), module: z.string(), global: z.boolean(), zh: z.string(), en: z.string() })) },
    },
    config: { access: 'authenticated' },
  }, () => Object.entries(permissionCatalog).map(([key, p]) => ({ key, ...p })));
}
