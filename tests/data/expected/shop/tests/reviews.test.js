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

// Reviews through the HTTP API, against a real database.
const COLLECTION = '/reviews';

let auth;
const parents = {};

// The item path of a row returned by the API.
function pathOf(row) {
  return apiPath(itemPath(COLLECTION, [row.id]));
}

// A valid create body; foreign keys point at the parent rows made in beforeAll.
function validBody() {
  return {
    product_id: parents.products.id,
    customer_id: parents.customers.id,
    rating: 1,
    title: 'Title 0',
    body: 'Sample body 0.',
  };
}

beforeAll(async () => {
  await resetDatabase();
  auth = await authHeaders();
  parents.products = await createRecord('/products', {
    sku: 'Sku 1',
    name: 'Name 1',
    description: 'Sample description 1.',
    price: 2.25,
    stock: 1,
    attributes: { label: 'sample 1', rank: 1 },
    active: false,
  }, auth);
  parents.customers = await createRecord('/customers', {
    email: 'user1@example.com',
    full_name: 'Full name 1',
    phone: 'Phone 1',
    marketing_opt_in: false,
  }, auth);
});

afterAll(closeDatabase);

describe('/reviews API', () => {
  test('creates, reads, lists, updates, and deletes a review', async () => {
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

    const patch = { rating: 2 };
    const updated = await api().patch(pathOf(row)).set(auth).send(patch).expect(200);
    expect(updated.body).toMatchObject(patch);

    const replacement = {
      product_id: parents.products.id,
      customer_id: parents.customers.id,
      rating: 3,
      title: 'Title 2',
      body: 'Sample body 2.',
    };
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
      .query({ rating: 1 })
      .expect(200);
    expect(match.body.data).toEqual([row]);
    const miss = await api()
      .get(apiPath(COLLECTION))
      .query({ rating: 2 })
      .expect(200);
    expect(miss.body.meta.total).toBe(0);
    await api().delete(pathOf(row)).set(auth).expect(204);
  });

  test('answers 404 for a review that does not exist', async () => {
    const res = await api().get(apiPath('/reviews/00000000-0000-4000-8000-000000000000')).expect(404);
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
    expect(fields).toEqual(expect.arrayContaining(['unknownProperty', 'product_id', 'rating']));
  });
});
