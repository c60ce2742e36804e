'use strict';

const { NotFoundError } = require('../utils/errors');
const {
  findAddresses,
  findAddressByKey,
  insertAddress,
  updateAddressByKey,
  replaceAddressByKey,
  deleteAddressByKey,
} = require('../models/addresses');

// Business rules for addresses; handlers call these, never the model directly.
const MAX_LIMIT = 100;

function notFound() {
  return new NotFoundError('Address not found');
}

// One page (at most MAX_LIMIT rows) and the total count of matching addresses.
async function listAddresses({ filters = {}, sort, order, limit = 20, offset = 0, cursor, count = true } = {}) {
  const pageLimit = Math.min(limit, MAX_LIMIT);
  const { rows, total, nextCursor } = await findAddresses({ filters, sort, order, limit: pageLimit, offset, cursor, count });
  return { rows, total, limit: pageLimit, offset, nextCursor };
}

async function getAddress(key) {
  const address = await findAddressByKey(key);
  if (address === null) {
    throw notFound();
  }
  return address;
}

async function createAddress(data) {
  return insertAddress(data);
}

async function updateAddress(key, changes) {
  const address = await updateAddressByKey(key, changes);
  if (address === null) {
    throw notFound();
  }
  return address;
}

async function replaceAddress(key, data) {
  const address = await replaceAddressByKey(key, data);
  if (address === null) {
    throw notFound();
  }
  return address;
}

async function deleteAddress(key) {
  const deleted = await deleteAddressByKey(key);
  if (!deleted) {
    throw notFound();
  }
}

module.exports = {
  listAddresses,
  getAddress,
  createAddress,
  updateAddress,
  replaceAddress,
  deleteAddress,
};
