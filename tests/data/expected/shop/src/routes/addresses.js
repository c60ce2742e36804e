'use strict';

const express = require('express');
const { validate } = require('../middleware/validate');
const { addressesSchemas } = require('../schemas/addresses');
const {
  listAddressesHandler,
  getAddressHandler,
  createAddressHandler,
  updateAddressHandler,
  replaceAddressHandler,
  deleteAddressHandler,
} = require('../handlers/addresses');

const addressesRouter = express.Router();

addressesRouter.get(
  '/addresses',
  validate({ query: addressesSchemas.listQuery }),
  listAddressesHandler,
);
addressesRouter.post(
  '/addresses',
  validate({ body: addressesSchemas.create }),
  createAddressHandler,
);
addressesRouter.get(
  '/addresses/:id',
  validate({ params: addressesSchemas.params }),
  getAddressHandler,
);
addressesRouter.put(
  '/addresses/:id',
  validate({ params: addressesSchemas.params, body: addressesSchemas.replace }),
  replaceAddressHandler,
);
addressesRouter.patch(
  '/addresses/:id',
  validate({ params: addressesSchemas.params, body: addressesSchemas.update }),
  updateAddressHandler,
);
addressesRouter.delete(
  '/addresses/:id',
  validate({ params: addressesSchemas.params }),
  deleteAddressHandler,
);

module.exports = { addressesRouter };
