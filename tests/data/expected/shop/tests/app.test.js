'use strict';

const { api, apiPath, resetDatabase, closeDatabase } = require('./helpers');

beforeAll(resetDatabase);
afterAll(closeDatabase);

describe('the app', () => {
  test('GET /health reports the database as up', async () => {
    const res = await api().get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok', database: 'up' });
  });

  test('GET /openapi.json documents every resource', async () => {
    const res = await api().get('/openapi.json').expect(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining([
      '/customers',
      '/customers/{id}',
      '/addresses',
      '/addresses/{id}',
      '/categories',
      '/categories/{id}',
      '/products',
      '/products/{id}',
      '/product-categories',
      '/product-categories/{product_id}/{category_id}',
      '/orders',
      '/orders/{id}',
      '/order-items',
      '/order-items/{id}',
      '/reviews',
      '/reviews/{id}',
    ]));
  });

  test('GET /docs/ serves Swagger UI', async () => {
    const res = await api().get('/docs/').expect(200);
    expect(res.text).toContain('swagger-ui');
  });

  test('an unknown route answers a JSON 404', async () => {
    const res = await api().get(apiPath('/no-such-route')).expect(404);
    expect(res.body.error.code).toBe('not_found');
  });

  test('malformed JSON answers 400', async () => {
    const res = await api()
      .post(apiPath('/customers'))
      .set('content-type', 'application/json')
      .send('{"broken":');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_json');
  });
});
