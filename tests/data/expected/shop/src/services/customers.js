'use strict';

const { NotFoundError } = require('../utils/errors');
const {
  findCustomers,
  findCustomerByKey,
  insertCustomer,
  updateCustomerByKey,
  replaceCustomerByKey,
  deleteCustomerByKey,
} = require('../models/customers');

// Business rules for customers; handlers call these, never the model directly.
const MAX_LIMIT = 100;

function notFound() {
  return new NotFoundError('Customer not found');
}

// One page (at most MAX_LIMIT rows) and the total count of matching customers.
async function listCustomers({ filters = {}, sort, order, limit = 20, offset = 0, cursor, count = true } = {}) {
  const pageLimit = Math.min(limit, MAX_LIMIT);
  const { rows, total, nextCursor } = await findCustomers({ filters, sort, order, limit: pageLimit, offset, cursor, count });
  return { rows, total, limit: pageLimit, offset, nextCursor };
}

async function getCustomer(key) {
  const customer = await findCustomerByKey(key);
  if (customer === null) {
    throw notFound();
  }
  return customer;
}

async function createCustomer(data) {
  return insertCustomer(data);
}

async function updateCustomer(key, changes) {
  const customer = await updateCustomerByKey(key, changes);
  if (customer === null) {
    throw notFound();
  }
  return customer;
}

async function replaceCustomer(key, data) {
  const customer = await replaceCustomerByKey(key, data);
  if (customer === null) {
    throw notFound();
  }
  return customer;
}

async function deleteCustomer(key) {
  const deleted = await deleteCustomerByKey(key);
  if (!deleted) {
    throw notFound();
  }
}

module.exports = {
  listCustomers,
  getCustomer,
  createCustomer,
  updateCustomer,
  replaceCustomer,
  deleteCustomer,
};
