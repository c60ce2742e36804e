import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { api, apiPath, itemPath, resetDatabase, closeDatabase, adminHeaders } from './helpers';

// Users through the HTTP API, against a real database.
const COLLECTION = '/users';

let auth: Record<string, string>;
// The signed-in account is a row of this table too: lists hold it before the row under test.
let me: Record<string, unknown>;

// The item path of a row returned by the API.
function pathOf(row: Record<string, unknown>): string {
  return apiPath(itemPath(COLLECTION, [row.id]));
}


beforeAll(async () => {
  await resetDatabase();
  // Every route of this table, as the admin role: tests/access.test.ts checks what
  // everyone else may do.
  auth = await adminHeaders();
  me = (await api().get(apiPath('/auth/me')).set(auth).expect(200)).body as Record<string, unknown>;
});

afterAll(closeDatabase);

describe('/users API', () => {
  test('serves no create: accounts come from register', async () => {
    await api().post(apiPath(COLLECTION)).set(auth).send({}).expect(405);
  });

  test('reads, updates and lists the signed-in account', async () => {
    const fetched = await api().get(pathOf(me)).set(auth).expect(200);
    expect(fetched.body).toEqual(me);
    const patch = { email: 'user1@example.com' };
    const updated = await api().patch(pathOf(me)).set(auth).send(patch).expect(200);
    expect(updated.body).toMatchObject(patch);
    const list = await api().get(apiPath(COLLECTION)).set(auth).expect(200);
    expect(list.body.data.map((r: Record<string, unknown>) => pathOf(r))).toContain(pathOf(me));
  });

  test('answers 404 for a user that does not exist', async () => {
    const res = await api().get(apiPath('/users/00000000-0000-4000-8000-000000000000')).set(auth).expect(404);
    expect(res.body.error.code).toBe('not_found');
  });

  test('answers 405 with Allow for a method the path does not serve', async () => {
    const res = await api().trace(apiPath(COLLECTION)).expect(405);
    expect(res.headers.allow).toMatch(/GET/);
  });


  test('requires a token to write', async () => {
    await api().delete(apiPath('/users/00000000-0000-4000-8000-000000000000')).expect(401);
  });
});
