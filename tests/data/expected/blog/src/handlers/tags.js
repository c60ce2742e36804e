'use strict';

const { sendList, sendCreated, sendNoContent, itemLocation } = require('../utils/responses');
const {
  listTags,
  getTag,
  createTag,
  updateTag,
  replaceTag,
  deleteTag,
} = require('../services/tags');

// HTTP <-> service for tags. Inputs were validated by the route's
// middleware (req.validated); Express 5 forwards rejected promises to the error handler.
const COLLECTION = '/tags';

function location(req, tag) {
  return itemLocation(req, COLLECTION, [tag.id]);
}

async function listTagsHandler(req, res) {
  const { limit, offset, sort, order, cursor, count, ...filters } = req.validated.query;
  sendList(res, await listTags({ filters, sort, order, limit, offset, cursor, count }, req.user));
}

async function getTagHandler(req, res) {
  res.status(200).json(await getTag(req.validated.params, req.user));
}

async function createTagHandler(req, res) {
  const tag = await createTag(req.validated.body, req.user);
  sendCreated(res, location(req, tag), tag);
}

async function updateTagHandler(req, res) {
  res.status(200).json(await updateTag(req.validated.params, req.validated.body, req.user));
}

async function replaceTagHandler(req, res) {
  res.status(200).json(await replaceTag(req.validated.params, req.validated.body, req.user));
}

async function deleteTagHandler(req, res) {
  await deleteTag(req.validated.params, req.user);
  sendNoContent(res);
}

module.exports = {
  listTagsHandler,
  getTagHandler,
  createTagHandler,
  updateTagHandler,
  replaceTagHandler,
  deleteTagHandler,
};
