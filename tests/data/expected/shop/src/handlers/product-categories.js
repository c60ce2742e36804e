'use strict';

const { sendList, sendCreated, sendNoContent, itemLocation } = require('../utils/responses');
const {
  listProductCategories,
  getProductCategory,
  createProductCategory,
  deleteProductCategory,
} = require('../services/product-categories');

// HTTP <-> service for product categories. Inputs were validated by the route's
// middleware (req.validated); Express 5 forwards rejected promises to the error handler.
const COLLECTION = '/product-categories';

function location(req, productCategory) {
  return itemLocation(req, COLLECTION, [productCategory.product_id, productCategory.category_id]);
}

async function listProductCategoriesHandler(req, res) {
  const { limit, offset, sort, order, cursor, count, ...filters } = req.validated.query;
  sendList(res, await listProductCategories({ filters, sort, order, limit, offset, cursor, count }));
}

async function getProductCategoryHandler(req, res) {
  res.status(200).json(await getProductCategory(req.validated.params));
}

async function createProductCategoryHandler(req, res) {
  const productCategory = await createProductCategory(req.validated.body);
  sendCreated(res, location(req, productCategory), productCategory);
}

async function deleteProductCategoryHandler(req, res) {
  await deleteProductCategory(req.validated.params);
  sendNoContent(res);
}

module.exports = {
  listProductCategoriesHandler,
  getProductCategoryHandler,
  createProductCategoryHandler,
  deleteProductCategoryHandler,
};
