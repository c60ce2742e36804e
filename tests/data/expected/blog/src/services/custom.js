'use strict';

const { NotImplementedError } = require('../utils/errors');

// Endpoints declared in the spec that belong to no table. Each one is wired
// (route, validation, handler, OpenAPI) and answers 501 until written here.

/**
 * GET /search: Search posts by text
 * `request` holds the validated { params, query, body } and `user` (the signed-in account, if any).
 */
async function getSearch(_request) {
  throw new NotImplementedError('GET /search');
}

module.exports = { getSearch };
