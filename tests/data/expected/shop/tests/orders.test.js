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

// Orders through the HTTP API, against a real database.
const COLLECTION = '/orders';

let auth;
const parents = {};

// The item path of a row returned by the API.
function pathOf(row) {
  return apiPath(itemPath(COLLECTION, [row.id]));
}

// A valid create body; foreign keys point at the parent rows made in beforeAll.
function validBody() {
  return {
    customer_id: parents.customers.id,
    shipping_address_id: parents.addresses.id,
    status: 'pending',
    placed_at: '2024-01-01T10:30:00Z',
    total: '1.25',
  };
}

beforeAll(async () => {
  await resetDatabase();
  auth = await authHeaders();
  parents.customers = await createRecord('/customers', {
    email: 'user1@example.com',
    full_name: 'Full name 1',
    phone: 'Phone 1',
    marketing_opt_in: false,
  }, auth);
  parents.addresses = await createRecord('/addresses', {
    customer_id: parents.customers.id,
    line1: 'Line1 1',
    line2: 'Line2 1',
    city: 'City 1',
    postal_code: 'Postal code 1',
    country: 'AB',
  }, auth);
});

afterAll(closeDatabase);

describe('/orders API', () => {
  test('creates, reads, lists, updates, and deletes an order', async () => {
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

    const patch = { status: 'paid' };
    const updated = await api().patch(pathOf(row)).set(auth).send(patch).expect(200);
    expect(updated.body).toMatchObject(patch);

    // PUT replaces the whole item: every updatable property, null for an empty one.
    const replacement = {
      ...Object.fromEntries(['customer_id', 'shipping_address_id', 'status', 'placed_at', 'total'].map((prop) => [prop, row[prop]])),
      ...{
        customer_id: parents.customers.id,
        shipping_address_id: parents.addresses.id,
        status: 'shipped',
        placed_at: '2024-03-03T10:30:00Z',
        total: '3.25',
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
      .query({ status: 'pending' })
      .expect(200);
    expect(match.body.data).toEqual([row]);
    const miss = await api()
      .get(apiPath(COLLECTION))
      .set(auth)
      .query({ status: 'paid' })
      .expect(200);
    expect(miss.body.meta.total).toBe(0);
    await api().delete(pathOf(row)).set(auth).expect(204);
  });

  test('answers 404 for an order that does not exist', async () => {
    const res = await api().get(apiPath('/orders/00000000-0000-4000-8000-000000000000')).set(auth).expect(404);
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
    await api().put(apiPath('/orders/00000000-0000-4000-8000-000000000000')).set(auth).expect(400);
  });

  test('refuses values PostgreSQL would round or reject, naming the field', async () => {
    const rounded = await api()
      .post(apiPath(COLLECTION))
      .set(auth)
      .send({ ...validBody(), total: '1.999' })
      .expect(400);
    expect(rounded.body.error.fields.map((f) => f.field)).toContain('total');
  });

  test('rejects an invalid body with 400 and names the fields', async () => {
    const res = await api()
      .post(apiPath(COLLECTION))
      .set(auth)
      .send({ unknownProperty: 'x' })
      .expect(400);
    expect(res.body.error.code).toBe('validation_failed');
    const fields = res.body.error.fields.map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['unknownProperty', 'customer_id', 'placed_at', 'total']));
  });
});
