'use strict';

const { sendList, sendCreated, sendNoContent, itemLocation } = require('../utils/responses');
const {
  listCategories,
  getCategory,
  createCategory,
  updateCategory,
  replaceCategory,
  deleteCategory,
} = require('../services/categories');

// HTTP <-> service for categories. Inputs were validated by the route's
// middleware (req.validated); Express 5 forwards rejected promises to the error handler.
const COLLECTION = '/categories';

function location(req, category) {
  return itemLocation(req, COLLECTION, [category.id]);
}

async function listCategoriesHandler(req, res) {
  const { limit, offset, sort, order, cursor, count, ...filters } = req.validated.query;
  sendList(res, await listCategories({ filters, sort, order, limit, offset, cursor, count }));
}

async function getCategoryHandler(req, res) {
  res.status(200).json(await getCategory(req.validated.params));
}

async function createCategoryHandler(req, res) {
  const category = await createCategory(req.validated.body);
  sendCreated(res, location(req, category), category);
}

async function updateCategoryHandler(req, res) {
  res.status(200).json(await updateCategory(req.validated.params, req.validated.body));
}

async function replaceCategoryHandler(req, res) {
  res.status(200).json(await replaceCategory(req.validated.params, req.validated.body));
}

async function deleteCategoryHandler(req, res) {
  await deleteCategory(req.validated.params);
  sendNoContent(res);
}

module.exports = {
  listCategoriesHandler,
  getCategoryHandler,
  createCategoryHandler,
  updateCategoryHandler,
  replaceCategoryHandler,
  deleteCategoryHandler,
};
