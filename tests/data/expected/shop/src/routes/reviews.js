'use strict';

const express = require('express');
const { validate } = require('../middleware/validate');
const { reviewsSchemas } = require('../schemas/reviews');
const {
  listReviewsHandler,
  getReviewHandler,
  createReviewHandler,
  updateReviewHandler,
  replaceReviewHandler,
  deleteReviewHandler,
} = require('../handlers/reviews');

const reviewsRouter = express.Router();

reviewsRouter.get(
  '/reviews',
  validate({ query: reviewsSchemas.listQuery }),
  listReviewsHandler,
);
reviewsRouter.post(
  '/reviews',
  validate({ body: reviewsSchemas.create }),
  createReviewHandler,
);
reviewsRouter.get(
  '/reviews/:id',
  validate({ params: reviewsSchemas.params }),
  getReviewHandler,
);
reviewsRouter.put(
  '/reviews/:id',
  validate({ params: reviewsSchemas.params, body: reviewsSchemas.replace }),
  replaceReviewHandler,
);
reviewsRouter.patch(
  '/reviews/:id',
  validate({ params: reviewsSchemas.params, body: reviewsSchemas.update }),
  updateReviewHandler,
);
reviewsRouter.delete(
  '/reviews/:id',
  validate({ params: reviewsSchemas.params }),
  deleteReviewHandler,
);

module.exports = { reviewsRouter };
