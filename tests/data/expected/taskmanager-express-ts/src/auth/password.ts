// Password hashes with scrypt from node:crypto: memory-hard, no native add-on to build,
// and it reads every byte of the password (bcrypt silently ignores bytes after the 72nd).
// It runs on libuv's thread pool, so hashing never blocks the event loop.
// Stored as scrypt$<log2 N>$<r>$<p>$<salt>$<hash> (base64url): the cost travels with
// the hash, so raising SCRYPT_COST leaves older hashes verifiable.
import crypto from 'node:crypto';
import { config } from '../utils/config';

const BLOCK_SIZE = 8;
const PARALLEL = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
const MAX_LOG_N = 20;

interface Hash {
  logN: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function scrypt(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  // scrypt needs 128 * N * r bytes; allow twice that.
  const options = { N: 2 ** logN, r, p, maxmem: 256 * (2 ** logN) * r };
  return new Promise((resolve, reject) => {
    crypto.scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (err, key) => {
      if (err) {
        reject(err);
      } else {
        resolve(key);
      }
    });
  });
}

async function hashPassword(password: string): Promise<string> {
  const logN = config.auth.scryptCost;
  const salt = crypto.randomBytes(SALT_BYTES);
  const key = await scrypt(password, salt, logN, BLOCK_SIZE, PARALLEL);
  return ['scrypt', logN, BLOCK_SIZE, PARALLEL, salt.toString('base64url'),
    key.toString('base64url')].join('$');
}

function parse(stored: unknown): Hash | null {
  const parts = typeof stored === 'string' ? stored.split('$') : [];
  const [scheme, logN, r, p, salt, key] = parts;
  const [n, blocks, parallel] = [logN, r, p].map(Number);
  if (parts.length !== 6 || scheme !== 'scrypt' || salt === undefined || key === undefined
    || n === undefined || blocks === undefined || parallel === undefined
    || ![n, blocks, parallel].every(Number.isSafeInteger)
    || n < 1 || n > MAX_LOG_N || blocks < 1 || blocks > 32 || parallel !== PARALLEL) {
    return null;
  }
  return { logN: n, r: blocks, p: parallel, salt: Buffer.from(salt, 'base64url'),
    key: Buffer.from(key, 'base64url') };
}

// True when `password` matches `stored`; false for a wrong password or a hash this
// module did not write (never throws on a bad hash: that would answer differently).
async function verifyPassword(password: string, stored: unknown): Promise<boolean> {
  const hash = parse(stored);
  if (hash === null || hash.key.length !== KEY_BYTES) {
    return false;
  }
  const key = await scrypt(password, hash.salt, hash.logN, hash.r, hash.p);
  return crypto.timingSafeEqual(key, hash.key);
}

let dummy: Promise<string> | undefined;

// Costs what checking a real account's password costs, for a login that names no
// account: both answers take the same time, so timing does not tell which emails exist.
async function verifyDummy(password: string): Promise<boolean> {
  dummy ??= hashPassword(crypto.randomBytes(18).toString('base64url'));
  await verifyPassword(password, await dummy);
  return false;
}

export { hashPassword, verifyPassword, verifyDummy };
