import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  api,
  apiPath,
  itemPath,
  resetDatabase,
  closeDatabase,
  authHeaders,
  adminHeaders,
  newAccount,
  LOGIN,
} from './helpers';

type Json = Record<string, unknown>;
type Headers = Record<string, string>;
type Method = 'get' | 'post' | 'patch' | 'delete';

// One cell: what `principal` gets for `operation` on a row of `table`, and why.
interface Cell {
  table: string;
  principal: string;
  operation: string;
  expected: number;
  reason: string;
  visible: boolean | null;
  served: boolean;
}

// A table as the cells use it: its paths, key and the bodies each principal sends.
interface TableSpec {
  name: string;
  var: string;
  collection: string;
  key: string[];
  missing: unknown[];
  users: boolean;
  owned: boolean;
  rowless: boolean;
  secret: string[];
  create: Record<string, Json>;
  update: Record<string, Json | null>;
  fresh: Json[];
}

// The authorisation matrix: who may list, read, create, update and delete the rows of
// every table (anonymous, the row's owner, another account, the admin role), and the
// status each one gets. backforge derived the cells from the effective access policy;
// `backforge verify` checks the same cells against the running app.
const CELLS: Cell[] = [
  {
    table: 'users',
    operation: 'list',
    principal: 'anonymous',
    expected: 401,
    reason: 'list: admin: no token',
    visible: null,
    served: true,
  },
  {
    table: 'users',
    operation: 'list',
    principal: 'owner',
    expected: 403,
    reason: 'list: admin: role member is not in the rule',
    visible: null,
    served: true,
  },
  {
    table: 'users',
    operation: 'list',
    principal: 'other',
    expected: 403,
    reason: 'list: admin: role member is not in the rule',
    visible: null,
    served: true,
  },
  {
    table: 'users',
    operation: 'list',
    principal: 'admin',
    expected: 200,
    reason: 'list: admin: sees every row',
    visible: true,
    served: true,
  },
  {
    table: 'users',
    operation: 'read',
    principal: 'anonymous',
    expected: 401,
    reason: 'read: owner|admin: no token',
    visible: null,
    served: true,
  },
  {
    table: 'users',
    operation: 'read',
    principal: 'owner',
    expected: 200,
    reason: 'read: owner|admin: the owner',
    visible: null,
    served: true,
  },
  {
    table: 'users',
    operation: 'read',
    principal: 'other',
    expected: 404,
    reason: 'read: owner|admin: not the owner',
    visible: null,
    served: true,
  },
  {
    table: 'users',
    operation: 'read',
    principal: 'admin',
    expected: 200,
    reason: 'read: owner|admin: may',
    visible: null,
    served: true,
  },
  {
    table: 'users',
    operation: 'create',
    principal: 'anonymous',
    expected: 405,
    reason: 'create: none: rule none: not served, the path serves other methods',
    visible: null,
    served: false,
  },
  {
    table: 'users',
    operation: 'create',
    principal: 'owner',
    expected: 405,
    reason: 'create: none: rule none: not served, the path serves other methods',
    visible: null,
    served: false,
  },
  {
    table: 'users',
    operation: 'create',
    principal: 'other',
    expected: 405,
    reason: 'create: none: rule none: not served, the path serves other methods',
    visible: null,
    served: false,
  },
  {
    table: 'users',
    operation: 'create',
    principal: 'admin',
    expected: 405,
    reason: 'create: none: rule none: not served, the path serves other methods',
    visible: null,
    served: false,
  },
  {
    table: 'users',
    operation: 'update',
    principal: 'anonymous',
    expected: 401,
    reason: 'update: owner|admin: no token',
    visible: null,
    served: true,
  },
  {
    table: 'users',
    operation: 'update',
    principal: 'owner',
    expected: 200,
    reason: 'update: owner|admin: the owner',
    visible: null,
    served: true,
  },
  {
    table: 'users',
    operation: 'update',
    principal: 'other',
    expected: 404,
    reason: 'update: owner|admin: may not read the row (read: owner|admin)',
    visible: null,
    served: true,
  },
  {
    table: 'users',
    operation: 'update',
    principal: 'admin',
    expected: 200,
    reason: 'update: owner|admin: may',
    visible: null,
    served: true,
  },
  {
    table: 'users',
    operation: 'delete',
    principal: 'anonymous',
    expected: 401,
    reason: 'delete: owner|admin: no token',
    visible: null,
    served: true,
  },
  {
    table: 'users',
    operation: 'delete',
    principal: 'owner',
    expected: 204,
    reason: 'delete: owner|admin: the owner',
    visible: null,
    served: true,
  },
  {
    table: 'users',
    operation: 'delete',
    principal: 'other',
    expected: 404,
    reason: 'delete: owner|admin: may not read the row (read: owner|admin)',
    visible: null,
    served: true,
  },
  {
    table: 'users',
    operation: 'delete',
    principal: 'admin',
    expected: 204,
    reason: 'delete: owner|admin: may',
    visible: null,
    served: true,
  },
  {
    table: 'projects',
    operation: 'list',
    principal: 'anonymous',
    expected: 401,
    reason: 'list: owner|admin: no token',
    visible: null,
    served: true,
  },
  {
    table: 'projects',
    operation: 'list',
    principal: 'owner',
    expected: 200,
    reason: 'list: owner|admin: sees only its own rows',
    visible: true,
    served: true,
  },
  {
    table: 'projects',
    operation: 'list',
    principal: 'other',
    expected: 200,
    reason: 'list: owner|admin: sees only its own rows',
    visible: false,
    served: true,
  },
  {
    table: 'projects',
    operation: 'list',
    principal: 'admin',
    expected: 200,
    reason: 'list: owner|admin: sees every row',
    visible: true,
    served: true,
  },
  {
    table: 'projects',
    operation: 'read',
    principal: 'anonymous',
    expected: 401,
    reason: 'read: owner|admin: no token',
    visible: null,
    served: true,
  },
  {
    table: 'projects',
    operation: 'read',
    principal: 'owner',
    expected: 200,
    reason: 'read: owner|admin: the owner',
    visible: null,
    served: true,
  },
  {
    table: 'projects',
    operation: 'read',
    principal: 'other',
    expected: 404,
    reason: 'read: owner|admin: not the owner',
    visible: null,
    served: true,
  },
  {
    table: 'projects',
    operation: 'read',
    principal: 'admin',
    expected: 200,
    reason: 'read: owner|admin: may',
    visible: null,
    served: true,
  },
  {
    table: 'projects',
    operation: 'create',
    principal: 'anonymous',
    expected: 401,
    reason: 'create: authenticated: no token',
    visible: null,
    served: true,
  },
  {
    table: 'projects',
    operation: 'create',
    principal: 'owner',
    expected: 201,
    reason: 'create: authenticated: may create',
    visible: null,
    served: true,
  },
  {
    table: 'projects',
    operation: 'create',
    principal: 'other',
    expected: 403,
    reason: 'create: authenticated: a row attributed to another account\'s (owner field or link)',
    visible: null,
    served: true,
  },
  {
    table: 'projects',
    operation: 'create',
    principal: 'admin',
    expected: 201,
    reason: 'create: authenticated: may create',
    visible: null,
    served: true,
  },
  {
    table: 'projects',
    operation: 'update',
    principal: 'anonymous',
    expected: 401,
    reason: 'update: owner|admin: no token',
    visible: null,
    served: true,
  },
  {
    table: 'projects',
    operation: 'update',
    principal: 'owner',
    expected: 200,
    reason: 'update: owner|admin: the owner',
    visible: null,
    served: true,
  },
  {
    table: 'projects',
    operation: 'update',
    principal: 'other',
    expected: 404,
    reason: 'update: owner|admin: may not read the row (read: owner|admin)',
    visible: null,
    served: true,
  },
  {
    table: 'projects',
    operation: 'update',
    principal: 'admin',
    expected: 200,
    reason: 'update: owner|admin: may',
    visible: null,
    served: true,
  },
  {
    table: 'projects',
    operation: 'delete',
    principal: 'anonymous',
    expected: 401,
    reason: 'delete: owner|admin: no token',
    visible: null,
    served: true,
  },
  {
    table: 'projects',
    operation: 'delete',
    principal: 'owner',
    expected: 204,
    reason: 'delete: owner|admin: the owner',
    visible: null,
    served: true,
  },
  {
    table: 'projects',
    operation: 'delete',
    principal: 'other',
    expected: 404,
    reason: 'delete: owner|admin: may not read the row (read: owner|admin)',
    visible: null,
    served: true,
  },
  {
    table: 'projects',
    operation: 'delete',
    principal: 'admin',
    expected: 204,
    reason: 'delete: owner|admin: may',
    visible: null,
    served: true,
  },
  {
    table: 'tasks',
    operation: 'list',
    principal: 'anonymous',
    expected: 401,
    reason: 'list: owner|admin: no token',
    visible: null,
    served: true,
  },
  {
    table: 'tasks',
    operation: 'list',
    principal: 'owner',
    expected: 200,
    reason: 'list: owner|admin: sees only its own rows',
    visible: true,
    served: true,
  },
  {
    table: 'tasks',
    operation: 'list',
    principal: 'other',
    expected: 200,
    reason: 'list: owner|admin: sees only its own rows',
    visible: false,
    served: true,
  },
  {
    table: 'tasks',
    operation: 'list',
    principal: 'admin',
    expected: 200,
    reason: 'list: owner|admin: sees every row',
    visible: true,
    served: true,
  },
  {
    table: 'tasks',
    operation: 'read',
    principal: 'anonymous',
    expected: 401,
    reason: 'read: owner|admin: no token',
    visible: null,
    served: true,
  },
  {
    table: 'tasks',
    operation: 'read',
    principal: 'owner',
    expected: 200,
    reason: 'read: owner|admin: the owner',
    visible: null,
    served: true,
  },
  {
    table: 'tasks',
    operation: 'read',
    principal: 'other',
    expected: 404,
    reason: 'read: owner|admin: not the owner',
    visible: null,
    served: true,
  },
  {
    table: 'tasks',
    operation: 'read',
    principal: 'admin',
    expected: 200,
    reason: 'read: owner|admin: may',
    visible: null,
    served: true,
  },
  {
    table: 'tasks',
    operation: 'create',
    principal: 'anonymous',
    expected: 401,
    reason: 'create: authenticated: no token',
    visible: null,
    served: true,
  },
  {
    table: 'tasks',
    operation: 'create',
    principal: 'owner',
    expected: 201,
    reason: 'create: authenticated: may create',
    visible: null,
    served: true,
  },
  {
    table: 'tasks',
    operation: 'create',
    principal: 'other',
    expected: 403,
    reason: 'create: authenticated: a row attributed to another account\'s (owner field or link)',
    visible: null,
    served: true,
  },
  {
    table: 'tasks',
    operation: 'create',
    principal: 'admin',
    expected: 201,
    reason: 'create: authenticated: may create',
    visible: null,
    served: true,
  },
  {
    table: 'tasks',
    operation: 'update',
    principal: 'anonymous',
    expected: 401,
    reason: 'update: owner|admin: no token',
    visible: null,
    served: true,
  },
  {
    table: 'tasks',
    operation: 'update',
    principal: 'owner',
    expected: 200,
    reason: 'update: owner|admin: the owner',
    visible: null,
    served: true,
  },
  {
    table: 'tasks',
    operation: 'update',
    principal: 'other',
    expected: 404,
    reason: 'update: owner|admin: may not read the row (read: owner|admin)',
    visible: null,
    served: true,
  },
  {
    table: 'tasks',
    operation: 'update',
    principal: 'admin',
    expected: 200,
    reason: 'update: owner|admin: may',
    visible: null,
    served: true,
  },
  {
    table: 'tasks',
    operation: 'delete',
    principal: 'anonymous',
    expected: 401,
    reason: 'delete: owner|admin: no token',
    visible: null,
    served: true,
  },
  {
    table: 'tasks',
    operation: 'delete',
    principal: 'owner',
    expected: 204,
    reason: 'delete: owner|admin: the owner',
    visible: null,
    served: true,
  },
  {
    table: 'tasks',
    operation: 'delete',
    principal: 'other',
    expected: 404,
    reason: 'delete: owner|admin: may not read the row (read: owner|admin)',
    visible: null,
    served: true,
  },
  {
    table: 'tasks',
    operation: 'delete',
    principal: 'admin',
    expected: 204,
    reason: 'delete: owner|admin: may',
    visible: null,
    served: true,
  },
  {
    table: 'comments',
    operation: 'list',
    principal: 'anonymous',
    expected: 401,
    reason: 'list: owner|admin: no token',
    visible: null,
    served: true,
  },
  {
    table: 'comments',
    operation: 'list',
    principal: 'owner',
    expected: 200,
    reason: 'list: owner|admin: sees only its own rows',
    visible: true,
    served: true,
  },
  {
    table: 'comments',
    operation: 'list',
    principal: 'other',
    expected: 200,
    reason: 'list: owner|admin: sees only its own rows',
    visible: false,
    served: true,
  },
  {
    table: 'comments',
    operation: 'list',
    principal: 'admin',
    expected: 200,
    reason: 'list: owner|admin: sees every row',
    visible: true,
    served: true,
  },
  {
    table: 'comments',
    operation: 'read',
    principal: 'anonymous',
    expected: 401,
    reason: 'read: owner|admin: no token',
    visible: null,
    served: true,
  },
  {
    table: 'comments',
    operation: 'read',
    principal: 'owner',
    expected: 200,
    reason: 'read: owner|admin: the owner',
    visible: null,
    served: true,
  },
  {
    table: 'comments',
    operation: 'read',
    principal: 'other',
    expected: 404,
    reason: 'read: owner|admin: not the owner',
    visible: null,
    served: true,
  },
  {
    table: 'comments',
    operation: 'read',
    principal: 'admin',
    expected: 200,
    reason: 'read: owner|admin: may',
    visible: null,
    served: true,
  },
  {
    table: 'comments',
    operation: 'create',
    principal: 'anonymous',
    expected: 401,
    reason: 'create: authenticated: no token',
    visible: null,
    served: true,
  },
  {
    table: 'comments',
    operation: 'create',
    principal: 'owner',
    expected: 201,
    reason: 'create: authenticated: may create',
    visible: null,
    served: true,
  },
  {
    table: 'comments',
    operation: 'create',
    principal: 'other',
    expected: 403,
    reason: 'create: authenticated: a row attributed to another account\'s (owner field or link)',
    visible: null,
    served: true,
  },
  {
    table: 'comments',
    operation: 'create',
    principal: 'admin',
    expected: 201,
    reason: 'create: authenticated: may create',
    visible: null,
    served: true,
  },
  {
    table: 'comments',
    operation: 'update',
    principal: 'anonymous',
    expected: 401,
    reason: 'update: owner|admin: no token',
    visible: null,
    served: true,
  },
  {
    table: 'comments',
    operation: 'update',
    principal: 'owner',
    expected: 200,
    reason: 'update: owner|admin: the owner',
    visible: null,
    served: true,
  },
  {
    table: 'comments',
    operation: 'update',
    principal: 'other',
    expected: 404,
    reason: 'update: owner|admin: may not read the row (read: owner|admin)',
    visible: null,
    served: true,
  },
  {
    table: 'comments',
    operation: 'update',
    principal: 'admin',
    expected: 200,
    reason: 'update: owner|admin: may',
    visible: null,
    served: true,
  },
  {
    table: 'comments',
    operation: 'delete',
    principal: 'anonymous',
    expected: 401,
    reason: 'delete: owner|admin: no token',
    visible: null,
    served: true,
  },
  {
    table: 'comments',
    operation: 'delete',
    principal: 'owner',
    expected: 204,
    reason: 'delete: owner|admin: the owner',
    visible: null,
    served: true,
  },
  {
    table: 'comments',
    operation: 'delete',
    principal: 'other',
    expected: 404,
    reason: 'delete: owner|admin: may not read the row (read: owner|admin)',
    visible: null,
    served: true,
  },
  {
    table: 'comments',
    operation: 'delete',
    principal: 'admin',
    expected: 204,
    reason: 'delete: owner|admin: may',
    visible: null,
    served: true,
  },
];

// Per table, parents first: the bodies the cells send. {$ref: [table, property]} is a
// property of that table's row of the owner ('@admin': the admin's own account row);
// {$same: property} is the row's current value.
const TABLES: TableSpec[] = [
  {
    name: 'users',
    var: 'users',
    collection: '/users',
    key: ['id'],
    users: true,
    owned: true,
    create: {
      owner: { email: 'user51@example.com', display_name: 'Display name 51', role: 'admin' },
      admin: { email: 'user52@example.com', display_name: 'Display name 52', role: 'member' },
      other: { email: 'user53@example.com', display_name: 'Display name 53', role: 'admin' },
      anonymous: { email: 'user54@example.com', display_name: 'Display name 54', role: 'member' },
    },
    fresh: [
      { email: 'user300@example.com', display_name: 'Display name 300', role: 'member' },
      { email: 'user301@example.com', display_name: 'Display name 301', role: 'admin' },
      { email: 'user302@example.com', display_name: 'Display name 302', role: 'member' },
    ],
    update: {
      anonymous: { display_name: 'Display name 71' },
      owner: { display_name: 'Display name 74' },
      other: { display_name: 'Display name 77' },
      admin: { display_name: 'Display name 80' },
    },
    secret: [],
    rowless: false,
    missing: ['00000000-0000-4000-8000-000000000000'],
  },
  {
    name: 'projects',
    var: 'projects',
    collection: '/projects',
    key: ['id'],
    users: false,
    owned: true,
    create: {
      owner: {
        name: 'Name 51',
        description: 'Sample description 51.',
        owner_id: { $ref: ['users', 'id', false] },
        archived: false,
      },
      admin: {
        name: 'Name 52',
        description: 'Sample description 52.',
        owner_id: { $ref: ['users', 'id', false] },
        archived: true,
      },
      other: {
        name: 'Name 53',
        description: 'Sample description 53.',
        owner_id: { $ref: ['users', 'id', false] },
        archived: false,
      },
      anonymous: {
        name: 'Name 54',
        description: 'Sample description 54.',
        owner_id: { $ref: ['users', 'id', false] },
        archived: true,
      },
    },
    fresh: [
      {
        name: 'Name 300',
        description: 'Sample description 300.',
        owner_id: { $ref: ['users', 'id', false] },
        archived: true,
      },
      {
        name: 'Name 301',
        description: 'Sample description 301.',
        owner_id: { $ref: ['users', 'id', false] },
        archived: false,
      },
      {
        name: 'Name 302',
        description: 'Sample description 302.',
        owner_id: { $ref: ['users', 'id', false] },
        archived: true,
      },
    ],
    update: {
      anonymous: { name: 'Name 71' },
      owner: { name: 'Name 74' },
      other: { name: 'Name 77' },
      admin: { name: 'Name 80' },
    },
    secret: [],
    rowless: false,
    missing: ['00000000-0000-4000-8000-000000000000'],
  },
  {
    name: 'tasks',
    var: 'tasks',
    collection: '/tasks',
    key: ['id'],
    users: false,
    owned: true,
    create: {
      owner: {
        project_id: { $ref: ['projects', 'id', false] },
        assignee_id: { $ref: ['users', 'id', false] },
        title: 'Title 51',
        status: 'todo',
        priority: 2,
        due_date: '2024-04-24',
        estimate_hours: '52.25',
      },
      admin: {
        project_id: { $ref: ['projects', 'id', false] },
        assignee_id: { $ref: ['users', 'id', false] },
        title: 'Title 52',
        status: 'in_progress',
        priority: 3,
        due_date: '2024-05-25',
        estimate_hours: '53.25',
      },
      other: {
        project_id: { $ref: ['projects', 'id', false] },
        assignee_id: { $ref: ['users', 'id', false] },
        title: 'Title 53',
        status: 'done',
        priority: 4,
        due_date: '2024-06-26',
        estimate_hours: '54.25',
      },
      anonymous: {
        project_id: { $ref: ['projects', 'id', false] },
        assignee_id: { $ref: ['users', 'id', false] },
        title: 'Title 54',
        status: 'todo',
        priority: 5,
        due_date: '2024-07-27',
        estimate_hours: '55.25',
      },
    },
    fresh: [
      {
        project_id: { $ref: ['projects', 'id', false] },
        assignee_id: { $ref: ['users', 'id', false] },
        title: 'Title 300',
        status: 'todo',
        priority: 1,
        due_date: '2024-01-21',
        estimate_hours: '301.25',
      },
      {
        project_id: { $ref: ['projects', 'id', false] },
        assignee_id: { $ref: ['users', 'id', false] },
        title: 'Title 301',
        status: 'in_progress',
        priority: 2,
        due_date: '2024-02-22',
        estimate_hours: '302.25',
      },
      {
        project_id: { $ref: ['projects', 'id', false] },
        assignee_id: { $ref: ['users', 'id', false] },
        title: 'Title 302',
        status: 'done',
        priority: 3,
        due_date: '2024-03-23',
        estimate_hours: '303.25',
      },
    ],
    update: {
      anonymous: { title: 'Title 71' },
      owner: { title: 'Title 74' },
      other: { title: 'Title 77' },
      admin: { title: 'Title 80' },
    },
    secret: [],
    rowless: false,
    missing: ['00000000-0000-4000-8000-000000000000'],
  },
  {
    name: 'comments',
    var: 'comments',
    collection: '/comments',
    key: ['id'],
    users: false,
    owned: true,
    create: {
      owner: {
        task_id: { $ref: ['tasks', 'id', false] },
        author_id: { $ref: ['users', 'id', false] },
        body: 'Sample body 51.',
      },
      admin: {
        task_id: { $ref: ['tasks', 'id', false] },
        author_id: { $ref: ['users', 'id', false] },
        body: 'Sample body 52.',
      },
      other: {
        task_id: { $ref: ['tasks', 'id', false] },
        author_id: { $ref: ['users', 'id', false] },
        body: 'Sample body 53.',
      },
      anonymous: {
        task_id: { $ref: ['tasks', 'id', false] },
        author_id: { $ref: ['users', 'id', false] },
        body: 'Sample body 54.',
      },
    },
    fresh: [
      {
        task_id: { $ref: ['tasks', 'id', false] },
        author_id: { $ref: ['users', 'id', false] },
        body: 'Sample body 300.',
      },
      {
        task_id: { $ref: ['tasks', 'id', false] },
        author_id: { $ref: ['users', 'id', false] },
        body: 'Sample body 301.',
      },
      {
        task_id: { $ref: ['tasks', 'id', false] },
        author_id: { $ref: ['users', 'id', false] },
        body: 'Sample body 302.',
      },
    ],
    update: {
      anonymous: { body: 'Sample body 71.' },
      owner: { body: 'Sample body 74.' },
      other: { body: 'Sample body 77.' },
      admin: { body: 'Sample body 80.' },
    },
    secret: [],
    rowless: false,
    missing: ['00000000-0000-4000-8000-000000000000'],
  },
];

const headers: Record<string, Headers> = {}; // principal -> request headers
const accounts: Record<string, Json> = {}; // principal -> its account row
const rows: Record<string, Json> = {}; // table var -> the owner's row every cell of that table works on
const extra: Record<string, Json[]> = {}; // table var -> more rows the allowed deletes may remove
let fresh = 0;

function cellsOf(table: string, operation: string, order: readonly string[]): Cell[] {
  const found = CELLS.filter((c) => c.table === table && c.operation === operation);
  return order.map((who) => found.find((c) => c.principal === who))
    .filter((c): c is Cell => c !== undefined);
}

function resolve(body: Json, row: Json): Json {
  const out: Json = {};
  for (const [prop, value] of Object.entries(body)) {
    const marker = value !== null && typeof value === 'object' && !Array.isArray(value)
      ? value as { $ref?: [string, string, boolean?]; $same?: string }
      : undefined;
    if (marker?.$ref !== undefined) {
      const [table, key, asInteger] = marker.$ref;
      const source = table.startsWith('@') ? accounts[table.slice(1)] : rows[table];
      if (source !== undefined) {
        // else the reference closes a cycle: the column is nullable
        out[prop] = asInteger ? Number(source[key]) : source[key];
      }
    } else if (marker?.$same !== undefined) {
      out[prop] = row[marker.$same];
    } else {
      out[prop] = value;
    }
  }
  return out;
}

function send(who: string, method: Method, path: string, body?: Json): ReturnType<ReturnType<typeof api>['get']> {
  let req = api()[method](apiPath(path));
  const sent = headers[who];
  if (sent !== undefined) {
    req = req.set(sent);
  }
  return body === undefined ? req : req.send(body);
}

function itemOf(t: TableSpec, row: Json): string {
  return itemPath(t.collection, t.key.map((k) => row[k]));
}

function sameRow(t: TableSpec, a: Json, b: Json): boolean {
  return t.key.every((k) => a[k] === b[k]);
}

async function adminRead(t: TableSpec, row: Json): Promise<Json | null> {
  const res = await send('admin', 'get', itemOf(t, row));
  return res.status === 200 ? res.body as Json : null;
}

function judge(failures: string[], cell: Cell, status: number, note = ''): void {
  if (status !== cell.expected || note) {
    failures.push(`${cell.principal} ${cell.operation} ${cell.table}: expected ${cell.expected}, `
      + `got ${status} (${cell.reason})${note ? `: ${note}` : ''}`);
  }
}

async function created(who: string, t: TableSpec, body: Json): Promise<Json | null> {
  const res = await send(who, 'post', t.collection, body);
  return res.status === 201 ? res.body as Json : null;
}

async function signIn(who: string, makeHeaders: () => Promise<Headers>): Promise<void> {
  headers[who] = await makeHeaders();
  accounts[who] = (await send(who, 'get', '/auth/me').expect(200)).body as Json;
}

// A fresh account that is deleted in a users-table delete cell.
async function throwaway(): Promise<{ row: Json; headers: Headers }> {
  const account = newAccount();
  const made = await api().post(apiPath('/auth/register')).send(account).expect(201);
  const credentials = { [LOGIN]: account[LOGIN], password: account.password };
  const login = await api().post(apiPath('/auth/login')).send(credentials).expect(200);
  const token = String((login.body as { token: string }).token);
  return { row: made.body as Json, headers: { Authorization: `Bearer ${token}` } };
}

beforeAll(async () => {
  await resetDatabase();
  await signIn('owner', authHeaders);
  await signIn('other', authHeaders);
  await signIn('admin', adminHeaders);
  const owner = accounts.owner;
  if (owner !== undefined) {
    rows['users'] = owner;
  }
});

afterAll(closeDatabase);

async function createCells(t: TableSpec): Promise<string[]> {
  const failures: string[] = [];
  for (const cell of cellsOf(t.name, 'create', ['owner', 'admin', 'other', 'anonymous'])) {
    const res = await send(cell.principal, 'post', t.collection, resolve(t.create[cell.principal] ?? {}, {}));
    judge(failures, cell, res.status);
    if (res.status === 201 && !t.users && rows[t.var] === undefined) {
      rows[t.var] = res.body as Json;
    } else if (res.status === 201) {
      (extra[t.var] ??= []).push(res.body as Json);
    }
  }
  return failures;
}

async function listed(who: string, t: TableSpec, row: Json): Promise<boolean> {
  let path = `${t.collection}?limit=100`;
  for (let page = 0; page < 20 && path; page += 1) {
    const res = await send(who, 'get', path);
    if (res.status !== 200) {
      return false;
    }
    const body = res.body as { data: Json[]; meta: { next_cursor: string | null } };
    if (body.data.some((r) => sameRow(t, r, row))) {
      return true;
    }
    const cursor = body.meta.next_cursor;
    path = cursor ? `${t.collection}?limit=100&cursor=${encodeURIComponent(cursor)}` : '';
  }
  return false;
}

async function rowCells(t: TableSpec): Promise<string[]> {
  const failures: string[] = [];
  const row = rows[t.var];
  expect(row).toBeDefined(); // no row of the owner could be made
  if (row === undefined) {
    return failures;
  }
  for (const cell of cellsOf(t.name, 'list', ['anonymous', 'owner', 'other', 'admin'])) {
    const res = await send(cell.principal, 'get', `${t.collection}?limit=1`);
    let note = '';
    if (res.status === 200 && cell.visible !== null
      && (await listed(cell.principal, t, row)) !== cell.visible) {
      note = cell.visible ? "the owner's row is missing" : "the owner's row is listed";
    }
    judge(failures, cell, res.status, note);
  }
  for (const cell of cellsOf(t.name, 'read', ['anonymous', 'owner', 'other', 'admin'])) {
    const res = await send(cell.principal, 'get', itemOf(t, row));
    const leaked = res.status === 200 ? t.secret.filter((p) => p in (res.body as Json)) : [];
    judge(failures, cell, res.status, leaked.length ? `returned ${leaked.join(', ')}` : '');
  }
  let current = row;
  for (const cell of cellsOf(t.name, 'update', ['anonymous', 'owner', 'other', 'admin'])) {
    const body = t.update[cell.principal];
    const before = await adminRead(t, current);
    const res = await send(cell.principal, 'patch', itemOf(t, current),
      body === null || body === undefined ? {} : resolve(body, current));
    const after = await adminRead(t, current);
    const allowed = cell.expected === 200;
    judge(failures, cell, res.status, !allowed && JSON.stringify(before) !== JSON.stringify(after)
      ? 'a refused update changed the row' : '');
    if (after !== null) {
      current = after;
      rows[t.var] = after; // children reference its current values
    }
  }
  return failures;
}

// A row an allowed delete may remove, and who removes it.
async function victim(t: TableSpec, who: string): Promise<{ row: Json; headers: Headers | undefined } | null> {
  if (t.users) {
    const account = await throwaway();
    return who === 'owner' ? account : { row: account.row, headers: headers[who] };
  }
  const spare = (extra[t.var] ?? []).pop();
  if (spare !== undefined) {
    return { row: spare, headers: headers[who] };
  }
  for (const creator of ['owner', 'admin', 'anonymous', 'other']) {
    const [cell] = cellsOf(t.name, 'create', [creator]);
    const body = t.fresh[fresh % t.fresh.length];
    if (cell !== undefined && cell.expected === 201 && body !== undefined) {
      fresh += 1;
      const row = await created(creator, t, resolve(body, {}));
      if (row !== null) {
        return { row, headers: headers[who] };
      }
    }
  }
  return null;
}

async function deleteCells(t: TableSpec): Promise<string[]> {
  const failures: string[] = [];
  const row = rows[t.var];
  expect(row).toBeDefined(); // no row of the owner could be made
  if (row === undefined) {
    return failures;
  }
  const cells = cellsOf(t.name, 'delete', ['anonymous', 'other', 'admin', 'owner']);
  const allowed = cells.filter((c) => c.expected === 204);
  for (const cell of cells) {
    if (cell.expected !== 204) {
      const res = await send(cell.principal, 'delete', itemOf(t, row));
      const gone = res.status < 300 && (await adminRead(t, row)) === null;
      judge(failures, cell, res.status, gone ? 'a refused delete removed the row' : '');
      continue;
    }
    let target: { row: Json; headers: Headers | undefined } | null;
    if (cell === allowed[allowed.length - 1] && !t.users) {
      // The last allowed delete removes the owner's row; spare rows would block its parents.
      for (const spare of extra[t.var] ?? []) {
        await send(cell.principal, 'delete', itemOf(t, spare));
      }
      extra[t.var] = [];
      target = { row, headers: headers[cell.principal] };
    } else {
      target = await victim(t, cell.principal);
    }
    expect(target).not.toBeNull(); // no row could be made to delete
    if (target === null) {
      continue;
    }
    let req = api().delete(apiPath(itemOf(t, target.row)));
    if (target.headers !== undefined) {
      req = req.set(target.headers);
    }
    judge(failures, cell, (await req).status);
  }
  return failures;
}

// A table no one may create rows of starts empty here: the cells whose status comes
// before any row lookup (401, 403, 405) run against a key no row has; the rest wait for
// a row (backforge verify checks them on the seeded rows).
async function rowlessCells(t: TableSpec, operations: string[]): Promise<string[]> {
  const failures: string[] = [];
  const path = itemPath(t.collection, t.missing);
  const methods: Record<string, Method> = { read: 'get', update: 'patch', delete: 'delete' };
  for (const operation of operations) {
    for (const cell of cellsOf(t.name, operation, ['anonymous', 'owner', 'other', 'admin'])) {
      if ([401, 403, 405].includes(cell.expected)) {
        const body = operation === 'update' ? resolve(t.update[cell.principal] ?? {}, {}) : undefined;
        const res = operation === 'list'
          ? await send(cell.principal, 'get', `${t.collection}?limit=1`)
          : await send(cell.principal, methods[operation] ?? 'get', path, body);
        judge(failures, cell, res.status);
      }
    }
  }
  return failures;
}

function waiting(t: TableSpec, operations: string[]): Cell[] {
  return CELLS.filter((c) => c.table === t.name && operations.includes(c.operation)
    && ![401, 403, 405].includes(c.expected));
}

describe('the authorisation matrix (80 cells)', () => {
  for (const t of TABLES.filter((table) => table.rowless)) {
    for (const c of waiting(t, ['list', 'read', 'update', 'delete'])) {
      test.todo(`${t.name}: ${c.principal} ${c.operation} -> ${c.expected} needs a row (no create route)`);
    }
  }
  for (const t of TABLES) {
    if (t.users) {
      test(`${t.name}: create`, async () => {
        const failures: string[] = [];
        for (const cell of cellsOf(t.name, 'create', ['anonymous', 'owner', 'other', 'admin'])) {
          const res = await send(cell.principal, 'post', t.collection, resolve(t.create[cell.principal] ?? {}, {}));
          judge(failures, cell, res.status);
        }
        expect(failures).toEqual([]);
      });
    } else {
      test(`${t.name}: create`, async () => {
        expect(await createCells(t)).toEqual([]);
      });
    }
    test(`${t.name}: list, read and update`, async () => {
      expect(await (t.rowless ? rowlessCells(t, ['list', 'read', 'update']) : rowCells(t))).toEqual([]);
    });
  }
  for (const t of [...TABLES].reverse()) {
    test(`${t.name}: delete`, async () => {
      expect(await (t.rowless ? rowlessCells(t, ['delete']) : deleteCells(t))).toEqual([]);
    });
  }
});
