'use strict';

const { sendList, sendCreated, sendNoContent, itemLocation } = require('../utils/responses');
const {
  listOrderItems,
  getOrderItem,
  createOrderItem,
  updateOrderItem,
  replaceOrderItem,
  deleteOrderItem,
} = require('../services/order-items');

// HTTP <-> service for order items. Inputs were validated by the route's
// middleware (req.validated); Express 5 forwards rejected promises to the error handler.
const COLLECTION = '/order-items';

function location(req, orderItem) {
  return itemLocation(req, COLLECTION, [orderItem.id]);
}

async function listOrderItemsHandler(req, res) {
  const { limit, offset, sort, order, cursor, count, ...filters } = req.validated.query;
  sendList(res, await listOrderItems({ filters, sort, order, limit, offset, cursor, count }));
}

async function getOrderItemHandler(req, res) {
  res.status(200).json(await getOrderItem(req.validated.params));
}

async function createOrderItemHandler(req, res) {
  const orderItem = await createOrderItem(req.validated.body);
  sendCreated(res, location(req, orderItem), orderItem);
}

async function updateOrderItemHandler(req, res) {
  res.status(200).json(await updateOrderItem(req.validated.params, req.validated.body));
}

async function replaceOrderItemHandler(req, res) {
  res.status(200).json(await replaceOrderItem(req.validated.params, req.validated.body));
}

async function deleteOrderItemHandler(req, res) {
  await deleteOrderItem(req.validated.params);
  sendNoContent(res);
}

module.exports = {
  listOrderItemsHandler,
  getOrderItemHandler,
  createOrderItemHandler,
  updateOrderItemHandler,
  replaceOrderItemHandler,
  deleteOrderItemHandler,
};
