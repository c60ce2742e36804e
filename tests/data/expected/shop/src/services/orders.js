'use strict';

const { NotFoundError } = require('../utils/errors');
const {
  findOrders,
  findOrderByKey,
  insertOrder,
  updateOrderByKey,
  replaceOrderByKey,
  deleteOrderByKey,
} = require('../models/orders');

// Business rules for orders; handlers call these, never the model directly.
const MAX_LIMIT = 100;

function notFound() {
  return new NotFoundError('Order not found');
}

// One page (at most MAX_LIMIT rows) and the total count of matching orders.
async function listOrders({ filters = {}, sort, order, limit = 20, offset = 0, cursor, count = true } = {}) {
  const pageLimit = Math.min(limit, MAX_LIMIT);
  const { rows, total, nextCursor } = await findOrders({ filters, sort, order, limit: pageLimit, offset, cursor, count });
  return { rows, total, limit: pageLimit, offset, nextCursor };
}

async function getOrder(key) {
  const orderRow = await findOrderByKey(key);
  if (orderRow === null) {
    throw notFound();
  }
  return orderRow;
}

async function createOrder(data) {
  return insertOrder(data);
}

async function updateOrder(key, changes) {
  const orderRow = await updateOrderByKey(key, changes);
  if (orderRow === null) {
    throw notFound();
  }
  return orderRow;
}

async function replaceOrder(key, data) {
  const orderRow = await replaceOrderByKey(key, data);
  if (orderRow === null) {
    throw notFound();
  }
  return orderRow;
}

async function deleteOrder(key) {
  const deleted = await deleteOrderByKey(key);
  if (!deleted) {
    throw notFound();
  }
}

module.exports = {
  listOrders,
  getOrder,
  createOrder,
  updateOrder,
  replaceOrder,
  deleteOrder,
};
