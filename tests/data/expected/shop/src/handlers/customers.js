'use strict';

const { sendList, sendCreated, sendNoContent, itemLocation } = require('../utils/responses');
const {
  listCustomers,
  getCustomer,
  createCustomer,
  updateCustomer,
  replaceCustomer,
  deleteCustomer,
} = require('../services/customers');

// HTTP <-> service for customers. Inputs were validated by the route's
// middleware (req.validated); Express 5 forwards rejected promises to the error handler.
const COLLECTION = '/customers';

function location(req, customer) {
  return itemLocation(req, COLLECTION, [customer.id]);
}

async function listCustomersHandler(req, res) {
  const { limit, offset, sort, order, cursor, count, ...filters } = req.validated.query;
  sendList(res, await listCustomers({ filters, sort, order, limit, offset, cursor, count }));
}

async function getCustomerHandler(req, res) {
  res.status(200).json(await getCustomer(req.validated.params));
}

async function createCustomerHandler(req, res) {
  const customer = await createCustomer(req.validated.body);
  sendCreated(res, location(req, customer), customer);
}

async function updateCustomerHandler(req, res) {
  res.status(200).json(await updateCustomer(req.validated.params, req.validated.body));
}

async function replaceCustomerHandler(req, res) {
  res.status(200).json(await replaceCustomer(req.validated.params, req.validated.body));
}

async function deleteCustomerHandler(req, res) {
  await deleteCustomer(req.validated.params);
  sendNoContent(res);
}

module.exports = {
  listCustomersHandler,
  getCustomerHandler,
  createCustomerHandler,
  updateCustomerHandler,
  replaceCustomerHandler,
  deleteCustomerHandler,
};
