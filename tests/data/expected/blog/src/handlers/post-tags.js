'use strict';

const { sendList, sendCreated, sendNoContent, itemLocation } = require('../utils/responses');
const {
  listPostTags,
  getPostTag,
  createPostTag,
  updatePostTag,
  replacePostTag,
  deletePostTag,
} = require('../services/post-tags');

// HTTP <-> service for post tags. Inputs were validated by the route's
// middleware (req.validated); Express 5 forwards rejected promises to the error handler.
const COLLECTION = '/post-tags';

function location(req, postTag) {
  return itemLocation(req, COLLECTION, [postTag.id]);
}

async function listPostTagsHandler(req, res) {
  const { limit, offset, sort, order, cursor, count, ...filters } = req.validated.query;
  sendList(res, await listPostTags({ filters, sort, order, limit, offset, cursor, count }, req.user));
}

async function getPostTagHandler(req, res) {
  res.status(200).json(await getPostTag(req.validated.params, req.user));
}

async function createPostTagHandler(req, res) {
  const postTag = await createPostTag(req.validated.body, req.user);
  sendCreated(res, location(req, postTag), postTag);
}

async function updatePostTagHandler(req, res) {
  res.status(200).json(await updatePostTag(req.validated.params, req.validated.body, req.user));
}

async function replacePostTagHandler(req, res) {
  res.status(200).json(await replacePostTag(req.validated.params, req.validated.body, req.user));
}

async function deletePostTagHandler(req, res) {
  await deletePostTag(req.validated.params, req.user);
  sendNoContent(res);
}

module.exports = {
  listPostTagsHandler,
  getPostTagHandler,
  createPostTagHandler,
  updatePostTagHandler,
  replacePostTagHandler,
  deletePostTagHandler,
};
