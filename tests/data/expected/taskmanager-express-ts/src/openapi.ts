import { config } from './utils/config';
import { JSON_VALUE } from './utils/validation';
import { authSchemas } from './auth/schemas';
import { usersSchemas } from './schemas/users';
import { projectsSchemas } from './schemas/projects';
import { tasksSchemas } from './schemas/tasks';
import { commentsSchemas } from './schemas/comments';

type Json = Record<string, unknown>;

interface JsonSchema {
  required?: readonly string[];
  properties?: Readonly<Record<string, unknown>>;
}

interface Resource {
  tag: string;
  name: string;
  label: string;
  aLabel: string;
  labelPlural: string;
  schemas: {
    row: Json;
    create: Json;
    update?: Json;
    replace?: Json;
    listQuery: JsonSchema;
    params: JsonSchema;
  };
  collectionPath: string;
  itemPath: string;
  operationIds: Record<string, string>;
  createLinks: Json;
  auth: Record<string, boolean>;
  served: Record<string, boolean>;
}

interface CustomEndpoint {
  method: string;
  path: string;
  tag: string;
  operationId: string;
  summary: string;
  auth: boolean;
  params: JsonSchema;
  implemented?: boolean;
}

// The OpenAPI 3.1 document, built at startup from the same JSON Schemas that
// validate requests, so the documentation cannot drift from the behaviour.
const INFO = {
  title: 'Task Manager',
  version: '0.1.0',
  description: 'Team task tracking API with projects, tasks and comments.',
};

// One entry per table: its schemas, paths, operation ids and whether writes need a token.
const RESOURCES: Resource[] = [
  {
    tag: 'users',
    name: 'User',
    label: 'user',
    aLabel: 'a user',
    labelPlural: 'users',
    schemas: usersSchemas,
    collectionPath: '/users',
    itemPath: '/users/{id}',
    operationIds: {
      list: 'listUsers',
      get: 'getUser',
      create: 'createUser',
      update: 'updateUser',
      replace: 'replaceUser',
      delete: 'deleteUser',
    },
    createLinks: {
      GetById: {
        operationId: 'getUser',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the get operation\'s path',
      },
      ReplaceById: {
        operationId: 'replaceUser',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the replace operation\'s path',
      },
      UpdateById: {
        operationId: 'updateUser',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the update operation\'s path',
      },
      DeleteById: {
        operationId: 'deleteUser',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the delete operation\'s path',
      },
    },
    auth: { list: true, read: true, create: true, update: true, delete: true },
    served: { list: true, read: true, create: false, update: true, delete: true },
  },
  {
    tag: 'projects',
    name: 'Project',
    label: 'project',
    aLabel: 'a project',
    labelPlural: 'projects',
    schemas: projectsSchemas,
    collectionPath: '/projects',
    itemPath: '/projects/{id}',
    operationIds: {
      list: 'listProjects',
      get: 'getProject',
      create: 'createProject',
      update: 'updateProject',
      replace: 'replaceProject',
      delete: 'deleteProject',
    },
    createLinks: {
      GetById: {
        operationId: 'getProject',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the get operation\'s path',
      },
      ReplaceById: {
        operationId: 'replaceProject',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the replace operation\'s path',
      },
      UpdateById: {
        operationId: 'updateProject',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the update operation\'s path',
      },
      DeleteById: {
        operationId: 'deleteProject',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the delete operation\'s path',
      },
    },
    auth: { list: true, read: true, create: true, update: true, delete: true },
    served: { list: true, read: true, create: true, update: true, delete: true },
  },
  {
    tag: 'tasks',
    name: 'Task',
    label: 'task',
    aLabel: 'a task',
    labelPlural: 'tasks',
    schemas: tasksSchemas,
    collectionPath: '/tasks',
    itemPath: '/tasks/{id}',
    operationIds: {
      list: 'listTasks',
      get: 'getTask',
      create: 'createTask',
      update: 'updateTask',
      replace: 'replaceTask',
      delete: 'deleteTask',
    },
    createLinks: {
      GetById: {
        operationId: 'getTask',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the get operation\'s path',
      },
      ReplaceById: {
        operationId: 'replaceTask',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the replace operation\'s path',
      },
      UpdateById: {
        operationId: 'updateTask',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the update operation\'s path',
      },
      DeleteById: {
        operationId: 'deleteTask',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the delete operation\'s path',
      },
    },
    auth: { list: true, read: true, create: true, update: true, delete: true },
    served: { list: true, read: true, create: true, update: true, delete: true },
  },
  {
    tag: 'comments',
    name: 'Comment',
    label: 'comment',
    aLabel: 'a comment',
    labelPlural: 'comments',
    schemas: commentsSchemas,
    collectionPath: '/comments',
    itemPath: '/comments/{id}',
    operationIds: {
      list: 'listComments',
      get: 'getComment',
      create: 'createComment',
      update: 'updateComment',
      replace: 'replaceComment',
      delete: 'deleteComment',
    },
    createLinks: {
      GetById: {
        operationId: 'getComment',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the get operation\'s path',
      },
      ReplaceById: {
        operationId: 'replaceComment',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the replace operation\'s path',
      },
      UpdateById: {
        operationId: 'updateComment',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the update operation\'s path',
      },
      DeleteById: {
        operationId: 'deleteComment',
        parameters: { id: '$response.body#/id' },
        description: 'The new row\'s key as the delete operation\'s path',
      },
    },
    auth: { list: true, read: true, create: true, update: true, delete: true },
    served: { list: true, read: true, create: true, update: true, delete: true },
  },
];

// Endpoints declared in the spec: wired, documented, answering 501 until implemented.
const CUSTOM_ENDPOINTS: CustomEndpoint[] = [
  {
    method: 'post',
    path: '/tasks/{id}/complete',
    tag: 'tasks',
    operationId: 'completeTask',
    summary: 'Mark a task as done and return it.',
    auth: true,
    params: tasksSchemas.endpoints.completeTask.params,
  },
  {
    method: 'get',
    path: '/projects/{id}/stats',
    tag: 'projects',
    operationId: 'getProjectStats',
    summary: 'Count the project\'s tasks by status.',
    auth: true,
    params: projectsSchemas.endpoints.getProjectStats.params,
  },
];

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        fields: {
          type: 'array',
          items: {
            type: 'object',
            required: ['field', 'message'],
            properties: { field: { type: 'string' }, message: { type: 'string' } },
          },
        },
      },
    },
  },
};

const PAGE_META = {
  type: 'object',
  required: ['total', 'limit', 'offset', 'next_cursor'],
  properties: {
    total: { type: ['integer', 'null'], description: 'rows matching the filters (null with count=false)' },
    limit: { type: 'integer' },
    offset: { type: 'integer' },
    next_cursor: {
      type: ['string', 'null'],
      description: 'pass as `cursor` (same sort and order) for the next page; null on the last page',
    },
  },
};

const ERROR_RESPONSES: Record<string, string> = {
  BadRequest: 'The request is not valid: see error.fields',
  UnsupportedMediaType: 'The request body must be JSON (Content-Type: application/json)',
  PayloadTooLarge: 'The request body is larger than JSON_BODY_LIMIT',
  Unauthorized: 'A valid bearer token is required',
  Forbidden: 'The access policy does not let this account do this',
  NotFound: 'No item has this key',
  TooManyRequests: 'Rate limited: retry after the number of seconds in Retry-After',
  ServiceUnavailable: 'The rate limit store (Redis) does not answer',
  Conflict: 'Conflicts with stored data: a duplicate unique value or a missing reference',
  NotImplemented: 'Declared in the spec but not implemented yet',
  InternalError: 'Unexpected server error',
};

function schemaRef(name: string): Json {
  return { $ref: `#/components/schemas/${name}` };
}

function responseRef(name: string): Json {
  return { $ref: `#/components/responses/${name}` };
}

function jsonContent(schema: unknown): Json {
  return { 'application/json': { schema } };
}

function parameters(schema: JsonSchema, location: string): Json[] {
  const required = schema.required ?? [];
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || required.includes(name),
    schema: property,
  }));
}

interface OperationSpec {
  tag: string;
  operationId: string | undefined;
  summary: string;
  auth?: boolean | undefined;
  params?: Json[];
  body?: Json;
  responses: Record<number, Json>;
}

interface Operation {
  tags: string[];
  operationId: string | undefined;
  summary: string;
  responses: Record<number, Json>;
  parameters?: Json[];
  requestBody?: Json;
  security?: Json[];
}

function operation({ tag, operationId, summary, auth = false, params = [], body, responses }:
  OperationSpec): Operation {
  const op: Operation = { tags: [tag], operationId, summary, responses: { ...responses } };
  if (params.length > 0) {
    op.parameters = params;
  }
  if (body !== undefined) {
    op.requestBody = { required: true, content: jsonContent(body) };
    op.responses[413] = responseRef('PayloadTooLarge');
    op.responses[415] = responseRef('UnsupportedMediaType');
  }
  if (auth) {
    op.security = [{ bearerAuth: [] }];
    op.responses[401] = responseRef('Unauthorized');
    op.responses[403] = responseRef('Forbidden');
  }
  // Every route but /health counts against the global rate limit.
  op.responses[429] = responseRef('TooManyRequests');
  op.responses[500] = responseRef('InternalError');
  op.responses[503] = responseRef('ServiceUnavailable');
  return op;
}

function collectionOperations(r: Resource): Record<string, Operation> {
  const page = {
    type: 'object',
    required: ['data', 'meta'],
    properties: { data: { type: 'array', items: schemaRef(r.name) }, meta: schemaRef('PageMeta') },
  };
  const operations: Record<string, Operation> = {};
  if (r.served.list) {
    operations.get = operation({
      tag: r.tag,
      operationId: r.operationIds.list,
      auth: r.auth.list,
      summary: `List ${r.labelPlural}`,
      params: parameters(r.schemas.listQuery, 'query'),
      responses: {
        200: { description: `A page of ${r.labelPlural}`, content: jsonContent(page) },
        400: responseRef('BadRequest'),
      },
    });
  }
  if (r.served.create) {
    operations.post = operation({
      tag: r.tag,
      operationId: r.operationIds.create,
      summary: `Create ${r.aLabel}`,
      auth: r.auth.create,
      body: schemaRef(`${r.name}Create`),
      responses: {
        201: {
          description: `The new ${r.label}`,
          headers: { Location: { description: 'URL of the new item', schema: { type: 'string' } } },
          content: jsonContent(schemaRef(r.name)),
          links: r.createLinks,
        },
        400: responseRef('BadRequest'),
        409: responseRef('Conflict'),
      },
    });
  }
  return operations;
}

function itemOperations(r: Resource): Record<string, Operation> {
  const key = parameters(r.schemas.params, 'path');
  const write = r.auth.update;
  const found = { description: `The ${r.label}`, content: jsonContent(schemaRef(r.name)) };
  const operations: Record<string, Operation> = {};
  if (r.served.read) {
    operations.get = operation({
      tag: r.tag,
      operationId: r.operationIds.get,
      summary: `Get ${r.aLabel}`,
      auth: r.auth.read,
      params: key,
      responses: { 200: found, 400: responseRef('BadRequest'), 404: responseRef('NotFound') },
    });
  }
  if (r.schemas.update !== undefined && r.served.update) {
    const changed = { 200: found, 400: responseRef('BadRequest'), 404: responseRef('NotFound'), 409: responseRef('Conflict') };
    operations.put = operation({
      tag: r.tag,
      operationId: r.operationIds.replace,
      summary: `Replace ${r.aLabel} (every property must be given; null clears a nullable one)`,
      auth: write,
      params: key,
      body: schemaRef(`${r.name}Replace`),
      responses: changed,
    });
    operations.patch = operation({
      tag: r.tag,
      operationId: r.operationIds.update,
      summary: `Update some properties of ${r.aLabel}`,
      auth: write,
      params: key,
      body: schemaRef(`${r.name}Update`),
      responses: changed,
    });
  }
  if (r.served.delete) {
    operations.delete = operation({
      tag: r.tag,
      operationId: r.operationIds.delete,
      summary: `Delete ${r.aLabel}`,
      auth: r.auth.delete,
      params: key,
      responses: {
        204: { description: 'Deleted' },
        400: responseRef('BadRequest'),
        404: responseRef('NotFound'),
        409: responseRef('Conflict'),
      },
    });
  }
  return operations;
}

function customOperation(e: CustomEndpoint): Operation {
  return operation({
    tag: e.tag,
    operationId: e.operationId,
    summary: e.summary,
    auth: e.auth,
    params: parameters(e.params, 'path'),
    responses: {
      200: { description: 'Success' },
      400: responseRef('BadRequest'),
      501: responseRef('NotImplemented'),
    },
  });
}

// The account routes (backforge.rest.auth lists them for every stack).
function authPaths(): Record<string, Json> {
  const paths: Record<string, Json> = {};
  addPaths(paths, {
    '/auth/register': {
      post: operation({
        tag: 'auth',
        operationId: 'register',
        summary: 'Create an account',
        body: schemaRef('Credentials'),
        responses: {
          201: { description: 'OK', content: jsonContent(schemaRef('User')) },
          400: responseRef('BadRequest'),
          409: responseRef('Conflict'),
        },
      }),
    },
  });
  addPaths(paths, {
    '/auth/login': {
      post: operation({
        tag: 'auth',
        operationId: 'login',
        summary: 'Exchange credentials for an access token and a refresh token',
        body: schemaRef('Login'),
        responses: {
          200: { description: 'OK', content: jsonContent(schemaRef('Token')) },
          400: responseRef('BadRequest'),
          401: responseRef('Unauthorized'),
        },
      }),
    },
  });
  addPaths(paths, {
    '/auth/refresh': {
      post: operation({
        tag: 'auth',
        operationId: 'refresh',
        summary: 'Exchange a refresh token for a new pair (the old one stops working; using it again signs out every session of its family)',
        body: schemaRef('Refresh'),
        responses: {
          200: { description: 'OK', content: jsonContent(schemaRef('Token')) },
          400: responseRef('BadRequest'),
          401: responseRef('Unauthorized'),
        },
      }),
    },
  });
  addPaths(paths, {
    '/auth/logout': {
      post: operation({
        tag: 'auth',
        operationId: 'logout',
        summary: 'Revoke the session of a refresh token (its access tokens stop working too)',
        body: schemaRef('Refresh'),
        responses: {
          204: { description: 'Done' },
          400: responseRef('BadRequest'),
        },
      }),
    },
  });
  addPaths(paths, {
    '/auth/password': {
      post: operation({
        tag: 'auth',
        operationId: 'changePassword',
        summary: 'Change the password: every session of the account is revoked and a new pair is returned (403 when the current password is wrong)',
        auth: true,
        body: schemaRef('PasswordChange'),
        responses: {
          200: { description: 'OK', content: jsonContent(schemaRef('Token')) },
          400: responseRef('BadRequest'),
        },
      }),
    },
  });
  addPaths(paths, {
    '/auth/me': {
      get: operation({
        tag: 'auth',
        operationId: 'me',
        summary: 'The account of the bearer token',
        auth: true,
        responses: {
          200: { description: 'OK', content: jsonContent(schemaRef('User')) },
        },
      }),
    },
  });
  return paths;
}

function addPaths(paths: Record<string, Json>, more: Record<string, Json>): void {
  for (const [path, operations] of Object.entries(more)) {
    paths[path] = { ...paths[path], ...operations };
  }
}

function buildOpenApiDocument(): Json {
  const paths: Record<string, Json> = {};
  // JsonValue: what a json column's schema refers to (see utils/validation).
  const schemas: Record<string, unknown> = {
    Error: ERROR_SCHEMA,
    PageMeta: PAGE_META,
    JsonValue: JSON_VALUE,
  };
  addPaths(paths, authPaths());
  Object.assign(schemas, {
    Credentials: authSchemas.register,
    Login: authSchemas.login,
    Refresh: authSchemas.refresh,
    PasswordChange: authSchemas.passwordChange,
    Token: authSchemas.token,
  });
  for (const r of RESOURCES) {
    addPaths(paths, { [r.collectionPath]: collectionOperations(r), [r.itemPath]: itemOperations(r) });
    schemas[r.name] = r.schemas.row;
    schemas[`${r.name}Create`] = r.schemas.create;
    if (r.schemas.update !== undefined) {
      schemas[`${r.name}Update`] = r.schemas.update;
      schemas[`${r.name}Replace`] = r.schemas.replace;
    }
  }
  for (const e of CUSTOM_ENDPOINTS) {
    addPaths(paths, { [e.path]: { [e.method]: customOperation(e) } });
  }
  const responses = Object.fromEntries(Object.entries(ERROR_RESPONSES).map(([name, description]) => [
    name,
    { description, content: jsonContent(schemaRef('Error')) },
  ]));
  const limited = responses.TooManyRequests as Json | undefined;
  if (limited !== undefined) {
    limited.headers = {
      'Retry-After': { description: 'seconds until the limit resets', schema: { type: 'integer', minimum: 1 } },
    };
  }
  const components: Json = { schemas, responses };
  components.securitySchemes = { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } };
  return {
    openapi: '3.1.0',
    info: INFO,
    servers: [{ url: config.apiPrefix || '/' }],
    tags: [
      { name: 'auth', description: 'Accounts and access tokens' },
      { name: 'users', description: 'People who sign in and own projects.' },
      { name: 'projects', description: 'A project groups tasks.' },
      { name: 'tasks', description: 'A unit of work inside a project.' },
      { name: 'comments', description: 'Discussion on a task.' },
    ],
    paths,
    components,
  };
}

export { buildOpenApiDocument };
