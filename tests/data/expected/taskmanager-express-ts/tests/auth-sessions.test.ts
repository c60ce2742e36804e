// Sessions and abuse limits, the same checks `backforge verify` makes: refresh rotates
// and detects reuse, logout and a password change revoke, the hash is never returned,
// passwords are never cut, a login flood meets 429, and a login for an unknown account
// takes about as long as a wrong password for a known one.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Response } from 'supertest';
import {
  api, apiPath, resetDatabase, closeDatabase, isolatedApp, newAccount, LOGIN,
} from './helpers';

type Account = Record<string, unknown> & { password: string };

interface Pair {
  token: string;
  refreshToken: string;
}

const TIMING_SAMPLES = 20;
const TIMING_ACCOUNTS = 4;
const FLOOD_ATTEMPTS = 20;
const WRONG = 'a wrong passphrase 789';
const TIMING_TIMEOUT_MS = 60000; // 44 password hashes at a real cost on a busy CI machine

beforeAll(resetDatabase);
afterAll(closeDatabase);

function account(overrides: Record<string, unknown> = {}): Account {
  return { ...newAccount(), ...overrides } as Account;
}

async function register(body: Account = account()): Promise<{ account: Account; row: Record<string, unknown> }> {
  const res = await api().post(apiPath('/auth/register')).send(body).expect(201);
  return { account: body, row: res.body as Record<string, unknown> };
}

function credentials(who: Account, password: string = who.password): Record<string, unknown> {
  return { [LOGIN]: who[LOGIN], password };
}

async function login(who: Account, password?: string): Promise<Pair> {
  const res = await api().post(apiPath('/auth/login')).send(credentials(who, password)).expect(200);
  return res.body as Pair;
}

function refresh(pair: Pair): ReturnType<ReturnType<typeof api>['post']> {
  return api().post(apiPath('/auth/refresh')).send({ refreshToken: pair.refreshToken });
}

function me(pair: Pair): ReturnType<ReturnType<typeof api>['get']> {
  return api().get(apiPath('/auth/me')).set('Authorization', `Bearer ${pair.token}`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const at = (i: number): number => sorted[i] ?? 0;
  return sorted.length % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
}

function fieldsOf(res: Response): string[] {
  return (res.body as { error: { fields: { field: string }[] } }).error.fields.map((f) => f.field);
}

describe('sessions', () => {
  test('refresh rotates the token; a retired token revokes its family', async () => {
    const { account: who } = await register();
    const first = await login(who);
    expect(first).toMatchObject({ tokenType: 'Bearer', token: expect.any(String), refreshToken: expect.any(String) });
    const second = (await refresh(first).expect(200)).body as Pair;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    await me(second).expect(200);
    await refresh(first).expect(401);
    await refresh(second).expect(401);
    await me(second).expect(401);
  });

  test('logout revokes the session and its access token', async () => {
    const { account: who } = await register();
    const pair = await login(who);
    await api().post(apiPath('/auth/logout')).send({ refreshToken: pair.refreshToken }).expect(204);
    await refresh(pair).expect(401);
    await me(pair).expect(401);
  });

  test('a password change revokes every session of the account', async () => {
    const { account: who } = await register();
    const old = await login(who);
    const other = await login(who);
    const change = (body: Record<string, string>): ReturnType<ReturnType<typeof api>['post']> => api()
      .post(apiPath('/auth/password'))
      .set('Authorization', `Bearer ${old.token}`)
      .send(body);
    await change({ currentPassword: WRONG, newPassword: 'a new passphrase 456' }).expect(403);
    const fresh = (await change({ currentPassword: who.password, newPassword: 'a new passphrase 456' }).expect(200)).body as Pair;
    await refresh(old).expect(401);
    await refresh(other).expect(401);
    await me(other).expect(401);
    await me(fresh).expect(200);
    await api().post(apiPath('/auth/login')).send(credentials(who)).expect(401);
    await login(who, 'a new passphrase 456');
  });

  test('no answer carries the password hash', async () => {
    const { account: who, row } = await register();
    const pair = await login(who);
    const own = apiPath(`/users/${encodeURIComponent(String(row['id']))}`);
    const answers: unknown[] = [row, pair, (await me(pair).expect(200)).body,
      (await api().get(own).set('Authorization', `Bearer ${pair.token}`).expect(200)).body];
    for (const body of answers) {
      expect(JSON.stringify(body)).not.toMatch(/scrypt\$|\$2[aby]\$/);
      expect(Object.keys(body as object)).not.toContain('password_hash');
    }
  });
});

describe('passwords', () => {
  test('a password over the cap is a 400 naming it, not cut', async () => {
    const res = await api()
      .post(apiPath('/auth/register'))
      .send(account({ password: 'x'.repeat(256 + 1) }))
      .expect(400);
    expect(fieldsOf(res)).toEqual(['password']);
  });

  test('a password is hashed whole: no prefix signs in, however many bytes', async () => {
    // bcrypt would have kept 72 bytes: 36 of these characters.
    const { account: who } = await register(account({ password: '😀'.repeat(128) }));
    await api().post(apiPath('/auth/login')).send(credentials(who, '😀'.repeat(18))).expect(401);
    await api().post(apiPath('/auth/login')).send(credentials(who, '😀'.repeat(127))).expect(401);
    await login(who);
  });

  test('an unknown login costs about what a wrong password costs', async () => {
    // A realistic scrypt cost (the suites use the cheapest): the password checks must
    // outweigh the noise of the test process.
    const costly = await isolatedApp({ SCRYPT_COST: '12' });
    try {
      const known: Account[] = [];
      for (let i = 0; i < TIMING_ACCOUNTS; i += 1) {
        const who = account();
        await costly.api().post(apiPath('/auth/register')).send(who).expect(201);
        known.push(who);
      }
      const timed = async (body: Record<string, unknown>): Promise<number> => {
        const started = process.hrtime.bigint();
        const res = await costly.api().post(apiPath('/auth/login')).send(body);
        expect(res.status).toBe(401);
        return Number(process.hrtime.bigint() - started) / 1e6;
      };
      const unknownMs: number[] = [];
      const knownMs: number[] = [];
      for (let i = 0; i < TIMING_SAMPLES; i += 1) {
        const nobody = `nobody${i}@example.com`;
        unknownMs.push(await timed({ [LOGIN]: nobody, password: WRONG }));
        const who = known[i % TIMING_ACCOUNTS];
        if (who !== undefined) {
          knownMs.push(await timed(credentials(who, WRONG)));
        }
      }
      const [low = 0, high = 0] = [median(unknownMs), median(knownMs)].sort((a, b) => a - b);
      expect(high / low).toBeLessThan(2);
    } finally {
      await costly.close();
    }
  }, TIMING_TIMEOUT_MS);
});

describe('rate limits', () => {
  test('a login flood on one account meets 429 with Retry-After', async () => {
    const { account: who } = await register();
    let attempts = 0;
    let res: Response;
    do {
      attempts += 1;
      res = await api().post(apiPath('/auth/login')).send(credentials(who, WRONG));
    } while (res.status === 401 && attempts < FLOOD_ATTEMPTS);
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // The right password waits for the window too.
    await api().post(apiPath('/auth/login')).send(credentials(who)).expect(429);
  });

  test('the global limit answers 429 on any route but /health', async () => {
    const limited = await isolatedApp({ RATE_LIMIT_GLOBAL: '3/1m' });
    try {
      for (let i = 0; i < 3; i += 1) {
        await limited.api().get(apiPath('/no-such-route')).expect(404);
      }
      const res = await limited.api().get(apiPath('/no-such-route')).expect(429);
      expect((res.body as { error: { code: string } }).error.code).toBe('too_many_requests');
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      await limited.api().get('/health').expect(200);
    } finally {
      await limited.close();
    }
  });
});
