import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { api, apiPath, resetDatabase, closeDatabase, newAccount, LOGIN } from './helpers';

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
      '/users',
      '/users/{id}',
      '/projects',
      '/projects/{id}',
      '/tasks',
      '/tasks/{id}',
      '/comments',
      '/comments/{id}',
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
      .post(apiPath('/users'))
      .set('content-type', 'application/json')
      .send('{"broken":');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_json');
  });
});

describe('authentication', () => {
  const credentials = newAccount();
  const login = { [LOGIN]: credentials[LOGIN], password: credentials.password };

  test('register, log in and read the account', async () => {
    const created = await api().post(apiPath('/auth/register')).send(credentials).expect(201);
    expect(created.body).toMatchObject({ [LOGIN]: credentials[LOGIN] });
    expect(JSON.stringify(created.body)).not.toMatch(/scrypt\$/);

    const res = await api().post(apiPath('/auth/login')).send(login).expect(200);
    expect(typeof res.body.token).toBe('string');

    const me = await api()
      .get(apiPath('/auth/me'))
      .set('Authorization', `Bearer ${res.body.token}`)
      .expect(200);
    expect(me.body).toEqual(created.body);
  });

  test('a taken login answers 409', async () => {
    const res = await api().post(apiPath('/auth/register')).send(credentials).expect(409);
    expect(res.body.error.fields).toEqual([{ field: LOGIN, message: expect.any(String) }]);
  });

  test('a wrong password answers 401', async () => {
    await api()
      .post(apiPath('/auth/login'))
      .send({ ...login, password: 'not the password' })
      .expect(401);
  });

  test('a short password answers 400', async () => {
    const res = await api()
      .post(apiPath('/auth/register'))
      .send({ ...newAccount(), password: 'short' })
      .expect(400);
    expect(res.body.error.fields.map((f: { field: string }) => f.field)).toContain('password');
  });

  test('the token of a deleted account answers 401', async () => {
    const account = newAccount();
    const created = await api().post(apiPath('/auth/register')).send(account).expect(201);
    const res = await api()
      .post(apiPath('/auth/login'))
      .send({ [LOGIN]: account[LOGIN], password: account.password })
      .expect(200);
    const bearer = { Authorization: `Bearer ${res.body.token}` };
    const own = apiPath(`/users/${encodeURIComponent(String(created.body['id']))}`);
    await api().delete(own).set(bearer).expect(204);
    await api().get(apiPath('/auth/me')).set(bearer).expect(401);
  });

  test('GET /auth/me without a valid token answers 401', async () => {
    await api().get(apiPath('/auth/me')).expect(401);
    await api().get(apiPath('/auth/me')).set('Authorization', 'Bearer not-a-token').expect(401);
  });
});
