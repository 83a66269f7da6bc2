import { randomUUID } from 'node:crypto';
import type { Router } from 'express';
import { z } from 'zod';
import { notFound } from '../../platform/errors.ts';
import { validate } from '../../platform/http/validate.ts';
import type { SandboxContext } from '../context.ts';
import type { SandboxRoleAssignment } from '../world/model.ts';
import { principalOr404, roleOr404, scopeInTenant, tenantOr404, userOr404 } from './resolve.ts';

const text = z.string().trim().min(1);
const createBody = z.object({ tenant: text, scope: text, role: text, principal: text }).strict();
const removeRoleBody = z.object({ tenant: text, role: text }).strict();

/** Role assignments: the demo's "take Dana's Contributor away" and the tests' arrangements. */
export function registerAssignmentRoutes(router: Router, context: SandboxContext): void {
  const { world, clock } = context;

  router.post('/role-assignments', (req, res) => {
    const body = validate(createBody, req.body, 'body');
    const tenant = tenantOr404(world, body.tenant);
    const role = roleOr404(world, tenant, body.role);
    const principal = principalOr404(world, tenant, body.principal);
    const assignment: SandboxRoleAssignment = {
      id: randomUUID(),
      tenantId: tenant.id,
      scope: scopeInTenant(world, tenant, body.scope),
      roleDefinitionId: role.id,
      principalId: principal.objectId,
      principalType: principal.principalType,
      createdOn: clock.now().toISOString(),
    };
    world.change((state) => state.roleAssignments.push(assignment));
    res.status(201).json({ ...assignment, roleName: role.roleName, principal: principal.label });
  });

  router.delete('/role-assignments/:id', (req, res) => {
    const id = req.params.id.toLowerCase();
    const index = world.state.roleAssignments.findIndex((a) => a.id.toLowerCase() === id);
    if (index < 0) throw notFound(`No role assignment '${req.params.id}'`);
    world.change((state) => state.roleAssignments.splice(index, 1));
    res.status(204).end();
  });

  // Removes the user's *direct* assignments of the role in the tenant; group grants stay.
  router.post('/users/:upn/roles/remove', (req, res) => {
    const body = validate(removeRoleBody, req.body, 'body');
    const user = userOr404(world, req.params.upn);
    const tenant = tenantOr404(world, body.tenant);
    const role = roleOr404(world, tenant, body.role);
    const identity = world.identity(user.id, tenant.id);
    const doomed = (a: SandboxRoleAssignment) =>
      a.tenantId === tenant.id && a.principalId === identity?.objectId && a.roleDefinitionId === role.id;
    const removed = world.state.roleAssignments.filter(doomed);
    if (removed.length === 0) {
      throw notFound(`${user.upn} has no direct ${role.roleName} assignment in ${tenant.displayName}`);
    }
    world.change((state) => {
      state.roleAssignments = state.roleAssignments.filter((a) => !doomed(a));
    });
    res.json({ removed: removed.map((a) => ({ id: a.id, scope: a.scope, roleName: role.roleName })) });
  });
}
