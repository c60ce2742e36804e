'use strict';

const { sendList, sendCreated, sendNoContent, itemLocation } = require('../utils/responses');
const {
  listProducts,
  getProduct,
  createProduct,
  updateProduct,
  replaceProduct,
  deleteProduct,
} = require('../services/products');

// HTTP <-> service for products. Inputs were validated by the route's
// middleware (req.validated); Express 5 forwards rejected promises to the error handler.
const COLLECTION = '/products';

function location(req, product) {
  return itemLocation(req, COLLECTION, [product.id]);
}

async function listProductsHandler(req, res) {
  const { limit, offset, sort, order, cursor, count, ...filters } = req.validated.query;
  sendList(res, await listProducts({ filters, sort, order, limit, offset, cursor, count }));
}

async function getProductHandler(req, res) {
  res.status(200).json(await getProduct(req.validated.params));
}

async function createProductHandler(req, res) {
  const product = await createProduct(req.validated.body);
  sendCreated(res, location(req, product), product);
}

async function updateProductHandler(req, res) {
  res.status(200).json(await updateProduct(req.validated.params, req.validated.body));
}

async function replaceProductHandler(req, res) {
  res.status(200).json(await replaceProduct(req.validated.params, req.validated.body));
}

async function deleteProductHandler(req, res) {
  await deleteProduct(req.validated.params);
  sendNoContent(res);
}

module.exports = {
  listProductsHandler,
  getProductHandler,
  createProductHandler,
  updateProductHandler,
  replaceProductHandler,
  deleteProductHandler,
};
