'use strict';

const { sendList, sendCreated, sendNoContent, itemLocation } = require('../utils/responses');
const {
  listReviews,
  getReview,
  createReview,
  updateReview,
  replaceReview,
  deleteReview,
} = require('../services/reviews');

// HTTP <-> service for reviews. Inputs were validated by the route's
// middleware (req.validated); Express 5 forwards rejected promises to the error handler.
const COLLECTION = '/reviews';

function location(req, review) {
  return itemLocation(req, COLLECTION, [review.id]);
}

async function listReviewsHandler(req, res) {
  const { limit, offset, sort, order, cursor, count, ...filters } = req.validated.query;
  sendList(res, await listReviews({ filters, sort, order, limit, offset, cursor, count }));
}

async function getReviewHandler(req, res) {
  res.status(200).json(await getReview(req.validated.params));
}

async function createReviewHandler(req, res) {
  const review = await createReview(req.validated.body);
  sendCreated(res, location(req, review), review);
}

async function updateReviewHandler(req, res) {
  res.status(200).json(await updateReview(req.validated.params, req.validated.body));
}

async function replaceReviewHandler(req, res) {
  res.status(200).json(await replaceReview(req.validated.params, req.validated.body));
}

async function deleteReviewHandler(req, res) {
  await deleteReview(req.validated.params);
  sendNoContent(res);
}

module.exports = {
  listReviewsHandler,
  getReviewHandler,
  createReviewHandler,
  updateReviewHandler,
  replaceReviewHandler,
  deleteReviewHandler,
};
