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

// Product categories through the HTTP API, against a real database.
const COLLECTION = '/product-categories';

let auth;
const parents = {};

// The item path of a row returned by the API.
function pathOf(row) {
  return apiPath(itemPath(COLLECTION, [row.product_id, row.category_id]));
}

// A valid create body; foreign keys point at the parent rows made in beforeAll.
function validBody() {
  return { product_id: parents.products.id, category_id: parents.categories.id };
}

beforeAll(async () => {
  await resetDatabase();
  auth = await authHeaders();
  parents.products = await createRecord('/products', {
    sku: 'Sku 1',
    name: 'Name 1',
    description: 'Sample description 1.',
    price: '2.25',
    stock: 1,
    attributes: { label: 'sample 1', rank: 1 },
    active: false,
  }, auth);
  parents.categories = await createRecord('/categories', { name: 'Name 1' }, auth);
});

afterAll(closeDatabase);

describe('/product-categories API', () => {
  test('creates, reads, lists, and deletes a product category', async () => {
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
    await api().get(apiPath(COLLECTION)).set(auth).query({ sort: 'product_id', order: 'desc' }).expect(200);
    const badSort = await api().get(apiPath(COLLECTION)).set(auth).query({ sort: 'noSuchProperty' }).expect(400);
    expect(badSort.body.error.code).toBe('validation_failed');
    await api().delete(pathOf(row)).set(auth).expect(204);
  });

  test('answers 404 for a product category that does not exist', async () => {
    const res = await api().get(apiPath('/product-categories/00000000-0000-4000-8000-000000000000/2147483647')).set(auth).expect(404);
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
  });

  test('rejects an invalid body with 400 and names the fields', async () => {
    const res = await api()
      .post(apiPath(COLLECTION))
      .set(auth)
      .send({ unknownProperty: 'x' })
      .expect(400);
    expect(res.body.error.code).toBe('validation_failed');
    const fields = res.body.error.fields.map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['unknownProperty', 'product_id', 'category_id']));
  });

  test('answers 409 for a duplicate', async () => {
    const row = await createRecord(COLLECTION, validBody(), auth);
    const res = await api().post(apiPath(COLLECTION)).set(auth).send(validBody()).expect(409);
    expect(res.body.error.code).toBe('duplicate');
    await api().delete(pathOf(row)).set(auth).expect(204);
  });
});
