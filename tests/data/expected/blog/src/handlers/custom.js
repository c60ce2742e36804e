'use strict';

const { getSearch } = require('../services/custom');

// GET /search: Search posts by text
async function getSearchHandler(req, res) {
  const { params, query, body } = req.validated;
  res.status(200).json(await getSearch({ params, query, body, user: req.user }));
}

module.exports = { getSearchHandler };
