'use strict';

const { NotFoundError } = require('../utils/errors');
const {
  findProductCategories,
  findProductCategoryByKey,
  insertProductCategory,
  deleteProductCategoryByKey,
} = require('../models/product-categories');

// Business rules for product categories; handlers call these, never the model directly.
const MAX_LIMIT = 100;

function notFound() {
  return new NotFoundError('Product category not found');
}

// One page (at most MAX_LIMIT rows) and the total count of matching product categories.
async function listProductCategories({ filters = {}, sort, order, limit = 20, offset = 0, cursor, count = true } = {}) {
  const pageLimit = Math.min(limit, MAX_LIMIT);
  const { rows, total, nextCursor } = await findProductCategories({ filters, sort, order, limit: pageLimit, offset, cursor, count });
  return { rows, total, limit: pageLimit, offset, nextCursor };
}

async function getProductCategory(key) {
  const productCategory = await findProductCategoryByKey(key);
  if (productCategory === null) {
    throw notFound();
  }
  return productCategory;
}

async function createProductCategory(data) {
  return insertProductCategory(data);
}

async function deleteProductCategory(key) {
  const deleted = await deleteProductCategoryByKey(key);
  if (!deleted) {
    throw notFound();
  }
}

module.exports = {
  listProductCategories,
  getProductCategory,
  createProductCategory,
  deleteProductCategory,
};
