import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  api,
  apiPath,
  itemPath,
  resetDatabase,
  closeDatabase,
  adminHeaders,
  createRecord,
} from './helpers';

// Tasks through the HTTP API, against a real database.
const COLLECTION = '/tasks';

let auth: Record<string, string>;
// Rows as the API returned them (JSON: any shape the schema allows).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const parents: Record<string, any> = {};

// The item path of a row returned by the API.
function pathOf(row: Record<string, unknown>): string {
  return apiPath(itemPath(COLLECTION, [row.id]));
}

// A valid create body; foreign keys point at the parent rows made in beforeAll.
function validBody(): Record<string, unknown> {
  return {
    project_id: parents.projects.id,
    assignee_id: parents.users.id,
    title: 'Title 0',
    status: 'todo',
    priority: 1,
    due_date: '2024-01-01',
    estimate_hours: '1.25',
  };
}

beforeAll(async () => {
  await resetDatabase();
  // Every route of this table, as the admin role: tests/access.test.ts checks what
  // everyone else may do.
  auth = await adminHeaders();
  // No create route: the signed-in account's own row is the parent.
  parents.users = (await api().get(apiPath('/auth/me')).set(auth).expect(200)).body;
  parents.projects = await createRecord('/projects', {
    name: 'Name 1',
    description: 'Sample description 1.',
    owner_id: parents.users.id,
    archived: false,
  }, auth);
});

afterAll(closeDatabase);

describe('/tasks API', () => {
  test('creates, reads, lists, updates, and deletes a task', async () => {
    const body = validBody();
    const created = await api().post(apiPath(COLLECTION)).set(auth).send(body).expect(201);
    expect(created.body).toMatchObject(body);
    expect(created.headers.location).toBe(pathOf(created.body));
    const row = created.body;

    const fetched = await api().get(pathOf(row)).set(auth).expect(200);
    expect(fetched.body).toEqual(row);

    const list = await api().get(apiPath(COLLECTION)).set(auth).expect(200);
    expect(list.body.meta).toEqual({ total: 1, limit: 20, offset: 0, next_cursor: null });
    expect(list.body.data).toEqual([row]);

    const patch = { title: 'Title 1' };
    const updated = await api().patch(pathOf(row)).set(auth).send(patch).expect(200);
    expect(updated.body).toMatchObject(patch);

    // PUT replaces the whole item: every updatable property, null for an empty one.
    const replacement = {
      ...Object.fromEntries(['project_id', 'assignee_id', 'title', 'status', 'priority', 'due_date', 'estimate_hours'].map((prop) => [prop, row[prop]])),
      ...{
        project_id: parents.projects.id,
        assignee_id: parents.users.id,
        title: 'Title 2',
        status: 'done',
        priority: 3,
        due_date: '2024-03-03',
        estimate_hours: '3.25',
      },
    };
    const replaced = await api().put(pathOf(row)).set(auth).send(replacement).expect(200);
    expect(replaced.body).toMatchObject(replacement);

    await api().delete(pathOf(row)).set(auth).expect(204);
    await api().get(pathOf(row)).set(auth).expect(404);
  });

  test('pages, sorts and filters the list', async () => {
    const row = await createRecord(COLLECTION, validBody(), auth);
    const page = await api().get(apiPath(COLLECTION)).set(auth).query({ limit: 1000, offset: 0 }).expect(200);
    expect(page.body.meta).toEqual({ total: 1, limit: 100, offset: 0, next_cursor: null });
    const first = await api().get(apiPath(COLLECTION)).set(auth).query({ limit: 1, count: false }).expect(200);
    expect(first.body.meta.total).toBeNull();
    expect(first.body.data).toEqual([row]);
    const rest = await api().get(apiPath(COLLECTION)).set(auth).query({ limit: 1, cursor: first.body.meta.next_cursor }).expect(200);
    expect(rest.body.data).toEqual([]);
    expect(rest.body.meta.next_cursor).toBeNull();
    const deep = await api().get(apiPath(COLLECTION)).set(auth).query({ offset: 10001 }).expect(400);
    expect(deep.body.error.fields[0].message).toMatch(/cursor/);
    await api().get(apiPath(COLLECTION)).set(auth).query({ sort: 'id', order: 'desc' }).expect(200);
    const badSort = await api().get(apiPath(COLLECTION)).set(auth).query({ sort: 'noSuchProperty' }).expect(400);
    expect(badSort.body.error.code).toBe('validation_failed');
    const match = await api()
      .get(apiPath(COLLECTION))
      .set(auth)
      .query({ title: 'Title 0' })
      .expect(200);
    expect(match.body.data).toEqual([row]);
    const miss = await api()
      .get(apiPath(COLLECTION))
      .set(auth)
      .query({ title: 'Title 1' })
      .expect(200);
    expect(miss.body.meta.total).toBe(0);
    await api().delete(pathOf(row)).set(auth).expect(204);
  });

  test('answers 404 for a task that does not exist', async () => {
    const res = await api().get(apiPath('/tasks/00000000-0000-4000-8000-000000000000')).set(auth).expect(404);
    expect(res.body.error.code).toBe('not_found');
  });

  test('answers 405 with Allow for a method the path does not serve', async () => {
    const res = await api().trace(apiPath(COLLECTION)).expect(405);
    expect(res.headers.allow).toMatch(/GET/);
  });

  test('takes JSON bodies only, and requires them', async () => {
    await api().post(apiPath(COLLECTION)).set(auth).set('Content-Type', 'text/plain').send('x').expect(415);
    const res = await api().post(apiPath(COLLECTION)).set(auth).expect(400);
    expect(res.body.error.fields[0].field).toBe('body');
    await api().put(apiPath('/tasks/00000000-0000-4000-8000-000000000000')).set(auth).expect(400);
  });

  test('refuses values PostgreSQL would round or reject, naming the field', async () => {
    const rounded = await api()
      .post(apiPath(COLLECTION))
      .set(auth)
      .send({ ...validBody(), estimate_hours: '1.999' })
      .expect(400);
    expect(rounded.body.error.fields.map((f: { field: string }) => f.field)).toContain('estimate_hours');
    const nul = await api()
      .post(apiPath(COLLECTION))
      .set(auth)
      .send({ ...validBody(), title: 'a\u0000b' })
      .expect(400);
    expect(nul.body.error.fields.map((f: { field: string }) => f.field)).toContain('title');
  });

  test('rejects an invalid body with 400 and names the fields', async () => {
    const res = await api()
      .post(apiPath(COLLECTION))
      .set(auth)
      .send({ unknownProperty: 'x' })
      .expect(400);
    expect(res.body.error.code).toBe('validation_failed');
    const fields = res.body.error.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['unknownProperty', 'project_id', 'title']));
  });

  test('requires a token to write', async () => {
    await api().post(apiPath(COLLECTION)).send(validBody()).expect(401);
    await api().delete(apiPath('/tasks/00000000-0000-4000-8000-000000000000')).expect(401);
  });

  test('POST /tasks/{id}/complete answers 501 until it is implemented', async () => {
    const res = await api()
      .post(apiPath('/tasks/00000000-0000-4000-8000-000000000000/complete'))
      .set(auth);
    expect(res.status).toBe(501);
    expect(res.body.error).toEqual({
      code: 'not_implemented',
      message: expect.stringContaining('POST /tasks/{id}/complete'),
    });
  });

  test('POST /tasks/{id}/complete requires a token', async () => {
    await api().post(apiPath('/tasks/00000000-0000-4000-8000-000000000000/complete')).expect(401);
  });
});
