'use strict';

const express = require('express');
const { validate } = require('../middleware/validate');
const { customersSchemas } = require('../schemas/customers');
const {
  listCustomersHandler,
  getCustomerHandler,
  createCustomerHandler,
  updateCustomerHandler,
  replaceCustomerHandler,
  deleteCustomerHandler,
} = require('../handlers/customers');

const customersRouter = express.Router();

customersRouter.get(
  '/customers',
  validate({ query: customersSchemas.listQuery }),
  listCustomersHandler,
);
customersRouter.post(
  '/customers',
  validate({ body: customersSchemas.create }),
  createCustomerHandler,
);
customersRouter.get(
  '/customers/:id',
  validate({ params: customersSchemas.params }),
  getCustomerHandler,
);
customersRouter.put(
  '/customers/:id',
  validate({ params: customersSchemas.params, body: customersSchemas.replace }),
  replaceCustomerHandler,
);
customersRouter.patch(
  '/customers/:id',
  validate({ params: customersSchemas.params, body: customersSchemas.update }),
  updateCustomerHandler,
);
customersRouter.delete(
  '/customers/:id',
  validate({ params: customersSchemas.params }),
  deleteCustomerHandler,
);

module.exports = { customersRouter };
