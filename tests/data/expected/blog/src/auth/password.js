'use strict';

// Password hashes with scrypt from node:crypto: memory-hard, no native add-on to build,
// and it reads every byte of the password (bcrypt silently ignores bytes after the 72nd).
// It runs on libuv's thread pool, so hashing never blocks the event loop.
// Stored as scrypt$<log2 N>$<r>$<p>$<salt>$<hash> (base64url): the cost travels with
// the hash, so raising SCRYPT_COST leaves older hashes verifiable.
const crypto = require('node:crypto');
const { promisify } = require('node:util');
const { config } = require('../utils/config');

const scrypt = promisify(crypto.scrypt);
const BLOCK_SIZE = 8;
const PARALLEL = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
const MAX_LOG_N = 20;

function options(logN, r, p) {
  // scrypt needs 128 * N * r bytes; allow twice that.
  return { N: 2 ** logN, r, p, maxmem: 256 * (2 ** logN) * r };
}

async function hashPassword(password) {
  const logN = config.auth.scryptCost;
  const salt = crypto.randomBytes(SALT_BYTES);
  const key = await scrypt(password.normalize('NFC'), salt, KEY_BYTES,
    options(logN, BLOCK_SIZE, PARALLEL));
  return ['scrypt', logN, BLOCK_SIZE, PARALLEL, salt.toString('base64url'),
    key.toString('base64url')].join('$');
}

function parse(stored) {
  const parts = typeof stored === 'string' ? stored.split('$') : [];
  const [scheme, logN, r, p, salt, key] = parts;
  const numbers = [logN, r, p].map(Number);
  if (parts.length !== 6 || scheme !== 'scrypt' || !numbers.every(Number.isSafeInteger)
    || numbers[0] < 1 || numbers[0] > MAX_LOG_N || numbers[1] < 1 || numbers[1] > 32
    || numbers[2] !== PARALLEL) {
    return null;
  }
  return { logN: numbers[0], r: numbers[1], p: numbers[2], salt: Buffer.from(salt, 'base64url'),
    key: Buffer.from(key, 'base64url') };
}

// True when `password` matches `stored`; false for a wrong password or a hash this
// module did not write (never throws on a bad hash: that would answer differently).
async function verifyPassword(password, stored) {
  const hash = parse(stored);
  if (hash === null || hash.key.length !== KEY_BYTES) {
    return false;
  }
  const key = await scrypt(password.normalize('NFC'), hash.salt, KEY_BYTES,
    options(hash.logN, hash.r, hash.p));
  return crypto.timingSafeEqual(key, hash.key);
}

let dummy;

// Costs what checking a real account's password costs, for a login that names no
// account: both answers take the same time, so timing does not tell which emails exist.
async function verifyDummy(password) {
  dummy ??= hashPassword(crypto.randomBytes(18).toString('base64url'));
  await verifyPassword(password, await dummy);
  return false;
}

module.exports = { hashPassword, verifyPassword, verifyDummy };
