'use strict';

const {
  api,
  apiPath,
  itemPath,
  resetDatabase,
  closeDatabase,
  authHeaders,
  createRecord,
} = require('./helpers');

// Categories through the HTTP API, against a real database.
const COLLECTION = '/categories';

let auth;

// The item path of a row returned by the API.
function pathOf(row) {
  return apiPath(itemPath(COLLECTION, [row.id]));
}

// A valid create body; foreign keys point at the parent rows made in beforeAll.
function validBody() {
  return { name: 'Name 0' };
}

beforeAll(async () => {
  await resetDatabase();
  auth = await authHeaders();
});

afterAll(closeDatabase);

describe('/categories API', () => {
  test('creates, reads, lists, updates, and deletes a category', async () => {
    const body = validBody();
    const created = await api().post(apiPath(COLLECTION)).set(auth).send(body).expect(201);
    expect(created.body).toMatchObject(body);
    expect(created.headers.location).toBe(pathOf(created.body));
    const row = created.body;

    const fetched = await api().get(pathOf(row)).expect(200);
    expect(fetched.body).toEqual(row);

    const list = await api().get(apiPath(COLLECTION)).expect(200);
    expect(list.body.meta).toEqual({ total: 1, limit: 20, offset: 0 });
    expect(list.body.data).toEqual([row]);

    const patch = { name: 'Name 1' };
    const updated = await api().patch(pathOf(row)).set(auth).send(patch).expect(200);
    expect(updated.body).toMatchObject(patch);

    const replacement = { name: 'Name 2' };
    const replaced = await api().put(pathOf(row)).set(auth).send(replacement).expect(200);
    expect(replaced.body).toMatchObject(replacement);

    await api().delete(pathOf(row)).set(auth).expect(204);
    await api().get(pathOf(row)).expect(404);
  });

  test('pages, sorts and filters the list', async () => {
    const row = await createRecord(COLLECTION, validBody(), auth);
    const page = await api().get(apiPath(COLLECTION)).query({ limit: 1000, offset: 0 }).expect(200);
    expect(page.body.meta).toEqual({ total: 1, limit: 100, offset: 0 });
    await api().get(apiPath(COLLECTION)).query({ sort: 'id', order: 'desc' }).expect(200);
    const badSort = await api().get(apiPath(COLLECTION)).query({ sort: 'noSuchProperty' }).expect(400);
    expect(badSort.body.error.code).toBe('validation_failed');
    const match = await api()
      .get(apiPath(COLLECTION))
      .query({ name: 'Name 0' })
      .expect(200);
    expect(match.body.data).toEqual([row]);
    const miss = await api()
      .get(apiPath(COLLECTION))
      .query({ name: 'Name 1' })
      .expect(200);
    expect(miss.body.meta.total).toBe(0);
    await api().delete(pathOf(row)).set(auth).expect(204);
  });

  test('answers 404 for a category that does not exist', async () => {
    const res = await api().get(apiPath('/categories/2147483647')).expect(404);
    expect(res.body.error.code).toBe('not_found');
  });

  test('rejects an invalid body with 400 and names the fields', async () => {
    const res = await api()
      .post(apiPath(COLLECTION))
      .set(auth)
      .send({ unknownProperty: 'x' })
      .expect(400);
    expect(res.body.error.code).toBe('validation_failed');
    const fields = res.body.error.fields.map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['unknownProperty', 'name']));
  });

  test('answers 409 for a duplicate', async () => {
    const row = await createRecord(COLLECTION, validBody(), auth);
    const res = await api().post(apiPath(COLLECTION)).set(auth).send(validBody()).expect(409);
    expect(res.body.error.code).toBe('duplicate');
    await api().delete(pathOf(row)).set(auth).expect(204);
  });
});
