'use strict';

const { NotFoundError } = require('../utils/errors');

function notFound(req, res, next) {
  next(new NotFoundError(`No route for ${req.method} ${req.path}`));
}

module.exports = { notFound };
