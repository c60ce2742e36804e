'use strict';

const { sendList, sendCreated, sendNoContent, itemLocation } = require('../utils/responses');
const {
  listOrders,
  getOrder,
  createOrder,
  updateOrder,
  replaceOrder,
  deleteOrder,
} = require('../services/orders');

// HTTP <-> service for orders. Inputs were validated by the route's
// middleware (req.validated); Express 5 forwards rejected promises to the error handler.
const COLLECTION = '/orders';

function location(req, orderRow) {
  return itemLocation(req, COLLECTION, [orderRow.id]);
}

async function listOrdersHandler(req, res) {
  const { limit, offset, sort, order, cursor, count, ...filters } = req.validated.query;
  sendList(res, await listOrders({ filters, sort, order, limit, offset, cursor, count }));
}

async function getOrderHandler(req, res) {
  res.status(200).json(await getOrder(req.validated.params));
}

async function createOrderHandler(req, res) {
  const orderRow = await createOrder(req.validated.body);
  sendCreated(res, location(req, orderRow), orderRow);
}

async function updateOrderHandler(req, res) {
  res.status(200).json(await updateOrder(req.validated.params, req.validated.body));
}

async function replaceOrderHandler(req, res) {
  res.status(200).json(await replaceOrder(req.validated.params, req.validated.body));
}

async function deleteOrderHandler(req, res) {
  await deleteOrder(req.validated.params);
  sendNoContent(res);
}

module.exports = {
  listOrdersHandler,
  getOrderHandler,
  createOrderHandler,
  updateOrderHandler,
  replaceOrderHandler,
  deleteOrderHandler,
};
