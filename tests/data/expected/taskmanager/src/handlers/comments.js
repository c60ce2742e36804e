'use strict';

const { sendList, sendCreated, sendNoContent, itemLocation } = require('../utils/responses');
const {
  listComments,
  getComment,
  createComment,
  updateComment,
  replaceComment,
  deleteComment,
} = require('../services/comments');

// HTTP <-> service for comments. Inputs were validated by the route's
// middleware (req.validated); Express 5 forwards rejected promises to the error handler.
const COLLECTION = '/comments';

function location(req, comment) {
  return itemLocation(req, COLLECTION, [comment.id]);
}

async function listCommentsHandler(req, res) {
  const { limit, offset, sort, order, cursor, count, ...filters } = req.validated.query;
  sendList(res, await listComments({ filters, sort, order, limit, offset, cursor, count }, req.user));
}

async function getCommentHandler(req, res) {
  res.status(200).json(await getComment(req.validated.params, req.user));
}

async function createCommentHandler(req, res) {
  const comment = await createComment(req.validated.body, req.user);
  sendCreated(res, location(req, comment), comment);
}

async function updateCommentHandler(req, res) {
  res.status(200).json(await updateComment(req.validated.params, req.validated.body, req.user));
}

async function replaceCommentHandler(req, res) {
  res.status(200).json(await replaceComment(req.validated.params, req.validated.body, req.user));
}

async function deleteCommentHandler(req, res) {
  await deleteComment(req.validated.params, req.user);
  sendNoContent(res);
}

module.exports = {
  listCommentsHandler,
  getCommentHandler,
  createCommentHandler,
  updateCommentHandler,
  replaceCommentHandler,
  deleteCommentHandler,
};
