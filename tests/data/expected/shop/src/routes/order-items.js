'use strict';

const express = require('express');
const { validate } = require('../middleware/validate');
const { orderItemsSchemas } = require('../schemas/order-items');
const {
  listOrderItemsHandler,
  getOrderItemHandler,
  createOrderItemHandler,
  updateOrderItemHandler,
  replaceOrderItemHandler,
  deleteOrderItemHandler,
} = require('../handlers/order-items');

const orderItemsRouter = express.Router();

orderItemsRouter.get(
  '/order-items',
  validate({ query: orderItemsSchemas.listQuery }),
  listOrderItemsHandler,
);
orderItemsRouter.post(
  '/order-items',
  validate({ body: orderItemsSchemas.create }),
  createOrderItemHandler,
);
orderItemsRouter.get(
  '/order-items/:id',
  validate({ params: orderItemsSchemas.params }),
  getOrderItemHandler,
);
orderItemsRouter.put(
  '/order-items/:id',
  validate({ params: orderItemsSchemas.params, body: orderItemsSchemas.replace }),
  replaceOrderItemHandler,
);
orderItemsRouter.patch(
  '/order-items/:id',
  validate({ params: orderItemsSchemas.params, body: orderItemsSchemas.update }),
  updateOrderItemHandler,
);
orderItemsRouter.delete(
  '/order-items/:id',
  validate({ params: orderItemsSchemas.params }),
  deleteOrderItemHandler,
);

module.exports = { orderItemsRouter };
