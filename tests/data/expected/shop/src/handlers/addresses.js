'use strict';

const { sendList, sendCreated, sendNoContent, itemLocation } = require('../utils/responses');
const {
  listAddresses,
  getAddress,
  createAddress,
  updateAddress,
  replaceAddress,
  deleteAddress,
} = require('../services/addresses');

// HTTP <-> service for addresses. Inputs were validated by the route's
// middleware (req.validated); Express 5 forwards rejected promises to the error handler.
const COLLECTION = '/addresses';

function location(req, address) {
  return itemLocation(req, COLLECTION, [address.id]);
}

async function listAddressesHandler(req, res) {
  const { limit, offset, sort, order, cursor, count, ...filters } = req.validated.query;
  sendList(res, await listAddresses({ filters, sort, order, limit, offset, cursor, count }));
}

async function getAddressHandler(req, res) {
  res.status(200).json(await getAddress(req.validated.params));
}

async function createAddressHandler(req, res) {
  const address = await createAddress(req.validated.body);
  sendCreated(res, location(req, address), address);
}

async function updateAddressHandler(req, res) {
  res.status(200).json(await updateAddress(req.validated.params, req.validated.body));
}

async function replaceAddressHandler(req, res) {
  res.status(200).json(await replaceAddress(req.validated.params, req.validated.body));
}

async function deleteAddressHandler(req, res) {
  await deleteAddress(req.validated.params);
  sendNoContent(res);
}

module.exports = {
  listAddressesHandler,
  getAddressHandler,
  createAddressHandler,
  updateAddressHandler,
  replaceAddressHandler,
  deleteAddressHandler,
};
