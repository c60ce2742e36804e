'use strict';

const { NotFoundError } = require('../utils/errors');
const {
  findProducts,
  findProductByKey,
  insertProduct,
  updateProductByKey,
  replaceProductByKey,
  deleteProductByKey,
} = require('../models/products');

// Business rules for products; handlers call these, never the model directly.
const MAX_LIMIT = 100;

function notFound() {
  return new NotFoundError('Product not found');
}

// One page (at most MAX_LIMIT rows) and the total count of matching products.
async function listProducts({ filters = {}, sort, order, limit = 20, offset = 0, cursor, count = true } = {}) {
  const pageLimit = Math.min(limit, MAX_LIMIT);
  const { rows, total, nextCursor } = await findProducts({ filters, sort, order, limit: pageLimit, offset, cursor, count });
  return { rows, total, limit: pageLimit, offset, nextCursor };
}

async function getProduct(key) {
  const product = await findProductByKey(key);
  if (product === null) {
    throw notFound();
  }
  return product;
}

async function createProduct(data) {
  return insertProduct(data);
}

async function updateProduct(key, changes) {
  const product = await updateProductByKey(key, changes);
  if (product === null) {
    throw notFound();
  }
  return product;
}

async function replaceProduct(key, data) {
  const product = await replaceProductByKey(key, data);
  if (product === null) {
    throw notFound();
  }
  return product;
}

async function deleteProduct(key) {
  const deleted = await deleteProductByKey(key);
  if (!deleted) {
    throw notFound();
  }
}

module.exports = {
  listProducts,
  getProduct,
  createProduct,
  updateProduct,
  replaceProduct,
  deleteProduct,
};
