import type { NextFunction, Request, Response } from 'express';
import { query } from '../db';
import type { Row } from '../db/sql';
import { ForbiddenError } from '../utils/errors';
import type { RequestUser } from '../middleware/validate';

export type Operation = 'list' | 'read' | 'create' | 'update' | 'delete';

interface Rule {
  readonly grant: string;
  readonly roles: readonly unknown[];
}

interface Policy {
  readonly admin: string;
  readonly rules: Readonly<Record<Operation, Rule>>;
  readonly ownerCondition: string | null;
  readonly ownerField: string | null;
  readonly link: { readonly prop: string; readonly sql: string } | null;
  readonly adminOnly: readonly string[];
  readonly readOnly: readonly string[];
}

// Who may list, read, create, update and delete projects: the effective access policy
// backforge resolved from the spec (the admin role is already in every rule but `none`).
// ownerCondition limits a query to the caller's rows in SQL ($OWNER is a parameter).
const POLICY: Policy = Object.freeze({
  admin: 'admin',
  rules: {
    list: { grant: 'owner', roles: ['admin'] },
    read: { grant: 'owner', roles: ['admin'] },
    create: { grant: 'authenticated', roles: [] },
    update: { grant: 'owner', roles: ['admin'] },
    delete: { grant: 'owner', roles: ['admin'] },
  },
  ownerCondition: '"projects"."owner_id" = $OWNER',
  ownerField: 'owner_id',
  link: null,
  adminOnly: [],
  readOnly: [],
});

function isAdmin(user: RequestUser | undefined): boolean {
  return user !== undefined && user.role === POLICY.admin;
}

// The account whose rows an operation is limited to, or null when the caller may touch
// every row (the rule lets its role, or anyone, do it).
function ownerScope(operation: Operation, user: RequestUser | undefined): unknown {
  const rule = POLICY.rules[operation];
  if (rule.grant !== 'owner' || user === undefined || rule.roles.includes(user.role)) {
    return null;
  }
  return user.id;
}

function changes(data: Row, current: Row | undefined, prop: string): boolean {
  return data[prop] !== undefined
    && (current === undefined || JSON.stringify(data[prop]) !== JSON.stringify(current[prop]));
}

// Refuses (403) what a caller may not write: read-only fields, admin-only fields for
// non-admins, another owner, or a link to a row the caller does not own. `current` is the
// row an update or replace changes (undefined on create).
async function checkWrite(data: Row, user: RequestUser | undefined,
  current: Row | undefined): Promise<void> {
  for (const prop of POLICY.readOnly) {
    if (changes(data, current, prop)) {
      throw new ForbiddenError(`${prop} is read-only`);
    }
  }
  if (isAdmin(user)) {
    return;
  }
  for (const prop of POLICY.adminOnly) {
    if (changes(data, current, prop)) {
      throw new ForbiddenError(`Only ${POLICY.admin} may set ${prop}`);
    }
  }
  const owner = POLICY.ownerField;
  if (owner !== null && changes(data, current, owner)
    && (user === undefined || String(data[owner]) !== String(user.id) || current !== undefined)) {
    throw new ForbiddenError(`Only ${POLICY.admin} may give a row another owner (${owner})`);
  }
  const link = POLICY.link;
  if (link !== null && changes(data, current, link.prop) && data[link.prop] !== null) {
    const result = await query(link.sql, [data[link.prop], user?.id ?? null]);
    if (result.rows.length === 0) {
      throw new ForbiddenError(`${link.prop} must reference a row you own`);
    }
  }
}

// Before validation: a create without the owner field gets the caller as its owner.
function fillOwner(req: Request, _res: Response, next: NextFunction): void {
  const owner = POLICY.ownerField;
  const body: unknown = req.body;
  if (owner !== null && req.user !== undefined && body !== null && typeof body === 'object'
    && !Array.isArray(body) && (body as Row)[owner] === undefined) {
    (body as Row)[owner] = req.user.id;
  }
  next();
}

export { POLICY, ownerScope, checkWrite, fillOwner };
