'use strict';

const { NotFoundError } = require('../utils/errors');
const {
  findCategories,
  findCategoryByKey,
  insertCategory,
  updateCategoryByKey,
  replaceCategoryByKey,
  deleteCategoryByKey,
} = require('../models/categories');

// Business rules for categories; handlers call these, never the model directly.
const MAX_LIMIT = 100;

function notFound() {
  return new NotFoundError('Category not found');
}

// One page (at most MAX_LIMIT rows) and the total count of matching categories.
async function listCategories({ filters = {}, sort, order, limit = 20, offset = 0, cursor, count = true } = {}) {
  const pageLimit = Math.min(limit, MAX_LIMIT);
  const { rows, total, nextCursor } = await findCategories({ filters, sort, order, limit: pageLimit, offset, cursor, count });
  return { rows, total, limit: pageLimit, offset, nextCursor };
}

async function getCategory(key) {
  const category = await findCategoryByKey(key);
  if (category === null) {
    throw notFound();
  }
  return category;
}

async function createCategory(data) {
  return insertCategory(data);
}

async function updateCategory(key, changes) {
  const category = await updateCategoryByKey(key, changes);
  if (category === null) {
    throw notFound();
  }
  return category;
}

async function replaceCategory(key, data) {
  const category = await replaceCategoryByKey(key, data);
  if (category === null) {
    throw notFound();
  }
  return category;
}

async function deleteCategory(key) {
  const deleted = await deleteCategoryByKey(key);
  if (!deleted) {
    throw notFound();
  }
}

module.exports = {
  listCategories,
  getCategory,
  createCategory,
  updateCategory,
  replaceCategory,
  deleteCategory,
};
