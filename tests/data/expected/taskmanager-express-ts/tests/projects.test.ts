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

// Projects through the HTTP API, against a real database.
const COLLECTION = '/projects';

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
    name: 'Name 0',
    description: 'Sample description 0.',
    owner_id: parents.users.id,
    archived: true,
  };
}

beforeAll(async () => {
  await resetDatabase();
  // Every route of this table, as the admin role: tests/access.test.ts checks what
  // everyone else may do.
  auth = await adminHeaders();
  // No create route: the signed-in account's own row is the parent.
  parents.users = (await api().get(apiPath('/auth/me')).set(auth).expect(200)).body;
});

afterAll(closeDatabase);

describe('/projects API', () => {
  test('creates, reads, lists, updates, and deletes a project', async () => {
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

    const patch = { name: 'Name 1' };
    const updated = await api().patch(pathOf(row)).set(auth).send(patch).expect(200);
    expect(updated.body).toMatchObject(patch);

    // PUT replaces the whole item: every updatable property, null for an empty one.
    const replacement = {
      ...Object.fromEntries(['name', 'description', 'owner_id', 'archived'].map((prop) => [prop, row[prop]])),
      ...{
        name: 'Name 2',
        description: 'Sample description 2.',
        owner_id: parents.users.id,
        archived: true,
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
      .query({ name: 'Name 0' })
      .expect(200);
    expect(match.body.data).toEqual([row]);
    const miss = await api()
      .get(apiPath(COLLECTION))
      .set(auth)
      .query({ name: 'Name 1' })
      .expect(200);
    expect(miss.body.meta.total).toBe(0);
    await api().delete(pathOf(row)).set(auth).expect(204);
  });

  test('answers 404 for a project that does not exist', async () => {
    const res = await api().get(apiPath('/projects/00000000-0000-4000-8000-000000000000')).set(auth).expect(404);
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
    await api().put(apiPath('/projects/00000000-0000-4000-8000-000000000000')).set(auth).expect(400);
  });

  test('refuses values PostgreSQL would round or reject, naming the field', async () => {
    const nul = await api()
      .post(apiPath(COLLECTION))
      .set(auth)
      .send({ ...validBody(), name: 'a\u0000b' })
      .expect(400);
    expect(nul.body.error.fields.map((f: { field: string }) => f.field)).toContain('name');
  });

  test('rejects an invalid body with 400 and names the fields', async () => {
    const res = await api()
      .post(apiPath(COLLECTION))
      .set(auth)
      .send({ unknownProperty: 'x' })
      .expect(400);
    expect(res.body.error.code).toBe('validation_failed');
    const fields = res.body.error.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['unknownProperty', 'name']));
  });

  test('requires a token to write', async () => {
    await api().post(apiPath(COLLECTION)).send(validBody()).expect(401);
    await api().delete(apiPath('/projects/00000000-0000-4000-8000-000000000000')).expect(401);
  });

  test('GET /projects/{id}/stats answers 501 until it is implemented', async () => {
    const res = await api()
      .get(apiPath('/projects/00000000-0000-4000-8000-000000000000/stats'))
      .set(auth);
    expect(res.status).toBe(501);
    expect(res.body.error).toEqual({
      code: 'not_implemented',
      message: expect.stringContaining('GET /projects/{id}/stats'),
    });
  });

  test('GET /projects/{id}/stats requires a token', async () => {
    await api().get(apiPath('/projects/00000000-0000-4000-8000-000000000000/stats')).expect(401);
  });
});
