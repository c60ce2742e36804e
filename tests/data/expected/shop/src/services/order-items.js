'use strict';

const { NotFoundError } = require('../utils/errors');
const {
  findOrderItems,
  findOrderItemByKey,
  insertOrderItem,
  updateOrderItemByKey,
  replaceOrderItemByKey,
  deleteOrderItemByKey,
} = require('../models/order-items');

// Business rules for order items; handlers call these, never the model directly.
const MAX_LIMIT = 100;

function notFound() {
  return new NotFoundError('Order item not found');
}

// One page (at most MAX_LIMIT rows) and the total count of matching order items.
async function listOrderItems({ filters = {}, sort, order, limit = 20, offset = 0, cursor, count = true } = {}) {
  const pageLimit = Math.min(limit, MAX_LIMIT);
  const { rows, total, nextCursor } = await findOrderItems({ filters, sort, order, limit: pageLimit, offset, cursor, count });
  return { rows, total, limit: pageLimit, offset, nextCursor };
}

async function getOrderItem(key) {
  const orderItem = await findOrderItemByKey(key);
  if (orderItem === null) {
    throw notFound();
  }
  return orderItem;
}

async function createOrderItem(data) {
  return insertOrderItem(data);
}

async function updateOrderItem(key, changes) {
  const orderItem = await updateOrderItemByKey(key, changes);
  if (orderItem === null) {
    throw notFound();
  }
  return orderItem;
}

async function replaceOrderItem(key, data) {
  const orderItem = await replaceOrderItemByKey(key, data);
  if (orderItem === null) {
    throw notFound();
  }
  return orderItem;
}

async function deleteOrderItem(key) {
  const deleted = await deleteOrderItemByKey(key);
  if (!deleted) {
    throw notFound();
  }
}

module.exports = {
  listOrderItems,
  getOrderItem,
  createOrderItem,
  updateOrderItem,
  replaceOrderItem,
  deleteOrderItem,
};
