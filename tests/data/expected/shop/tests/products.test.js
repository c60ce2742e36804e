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

// Products through the HTTP API, against a real database.
const COLLECTION = '/products';

let auth;

// The item path of a row returned by the API.
function pathOf(row) {
  return apiPath(itemPath(COLLECTION, [row.id]));
}

// A valid create body; foreign keys point at the parent rows made in beforeAll.
function validBody() {
  return {
    sku: 'Sku 0',
    name: 'Name 0',
    description: 'Sample description 0.',
    price: '1.25',
    stock: 0,
    attributes: { label: 'sample 0', rank: 0 },
    active: true,
  };
}

beforeAll(async () => {
  await resetDatabase();
  auth = await authHeaders();
});

afterAll(closeDatabase);

describe('/products API', () => {
  test('creates, reads, lists, updates, and deletes a product', async () => {
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

    const patch = { sku: 'Sku 1' };
    const updated = await api().patch(pathOf(row)).set(auth).send(patch).expect(200);
    expect(updated.body).toMatchObject(patch);

    // PUT replaces the whole item: every updatable property, null for an empty one.
    const replacement = {
      ...Object.fromEntries(['sku', 'name', 'description', 'price', 'stock', 'attributes', 'active'].map((prop) => [prop, row[prop]])),
      ...{
        sku: 'Sku 2',
        name: 'Name 2',
        description: 'Sample description 2.',
        price: '3.25',
        stock: 2,
        attributes: { label: 'sample 2', rank: 2 },
        active: true,
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
      .query({ sku: 'Sku 0' })
      .expect(200);
    expect(match.body.data).toEqual([row]);
    const miss = await api()
      .get(apiPath(COLLECTION))
      .set(auth)
      .query({ sku: 'Sku 1' })
      .expect(200);
    expect(miss.body.meta.total).toBe(0);
    await api().delete(pathOf(row)).set(auth).expect(204);
  });

  test('answers 404 for a product that does not exist', async () => {
    const res = await api().get(apiPath('/products/00000000-0000-4000-8000-000000000000')).set(auth).expect(404);
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
    await api().put(apiPath('/products/00000000-0000-4000-8000-000000000000')).set(auth).expect(400);
  });

  test('refuses values PostgreSQL would round or reject, naming the field', async () => {
    const rounded = await api()
      .post(apiPath(COLLECTION))
      .set(auth)
      .send({ ...validBody(), price: '1.999' })
      .expect(400);
    expect(rounded.body.error.fields.map((f) => f.field)).toContain('price');
    const nul = await api()
      .post(apiPath(COLLECTION))
      .set(auth)
      .send({ ...validBody(), sku: 'a\u0000b' })
      .expect(400);
    expect(nul.body.error.fields.map((f) => f.field)).toContain('sku');
  });

  test('rejects an invalid body with 400 and names the fields', async () => {
    const res = await api()
      .post(apiPath(COLLECTION))
      .set(auth)
      .send({ unknownProperty: 'x' })
      .expect(400);
    expect(res.body.error.code).toBe('validation_failed');
    const fields = res.body.error.fields.map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['unknownProperty', 'sku', 'name', 'price']));
  });

  test('answers 409 for a duplicate', async () => {
    const row = await createRecord(COLLECTION, validBody(), auth);
    const res = await api().post(apiPath(COLLECTION)).set(auth).send(validBody()).expect(409);
    expect(res.body.error.code).toBe('duplicate');
    await api().delete(pathOf(row)).set(auth).expect(204);
  });
});
