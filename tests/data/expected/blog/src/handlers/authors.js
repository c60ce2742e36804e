'use strict';

const { sendList, sendCreated, sendNoContent, itemLocation } = require('../utils/responses');
const {
  listAuthors,
  getAuthor,
  createAuthor,
  updateAuthor,
  replaceAuthor,
  deleteAuthor,
} = require('../services/authors');

// HTTP <-> service for authors. Inputs were validated by the route's
// middleware (req.validated); Express 5 forwards rejected promises to the error handler.
const COLLECTION = '/authors';

function location(req, author) {
  return itemLocation(req, COLLECTION, [author.id]);
}

async function listAuthorsHandler(req, res) {
  const { limit, offset, sort, order, cursor, count, ...filters } = req.validated.query;
  sendList(res, await listAuthors({ filters, sort, order, limit, offset, cursor, count }, req.user));
}

async function getAuthorHandler(req, res) {
  res.status(200).json(await getAuthor(req.validated.params, req.user));
}

async function createAuthorHandler(req, res) {
  const author = await createAuthor(req.validated.body, req.user);
  sendCreated(res, location(req, author), author);
}

async function updateAuthorHandler(req, res) {
  res.status(200).json(await updateAuthor(req.validated.params, req.validated.body, req.user));
}

async function replaceAuthorHandler(req, res) {
  res.status(200).json(await replaceAuthor(req.validated.params, req.validated.body, req.user));
}

async function deleteAuthorHandler(req, res) {
  await deleteAuthor(req.validated.params, req.user);
  sendNoContent(res);
}

module.exports = {
  listAuthorsHandler,
  getAuthorHandler,
  createAuthorHandler,
  updateAuthorHandler,
  replaceAuthorHandler,
  deleteAuthorHandler,
};
