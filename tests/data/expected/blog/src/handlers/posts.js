'use strict';

const { sendList, sendCreated, sendNoContent, itemLocation } = require('../utils/responses');
const {
  listPosts,
  getPost,
  createPost,
  updatePost,
  replacePost,
  deletePost,
  publishPost,
} = require('../services/posts');

// HTTP <-> service for posts. Inputs were validated by the route's
// middleware (req.validated); Express 5 forwards rejected promises to the error handler.
const COLLECTION = '/posts';

function location(req, post) {
  return itemLocation(req, COLLECTION, [post.id]);
}

async function listPostsHandler(req, res) {
  const { limit, offset, sort, order, cursor, count, ...filters } = req.validated.query;
  sendList(res, await listPosts({ filters, sort, order, limit, offset, cursor, count }, req.user));
}

async function getPostHandler(req, res) {
  res.status(200).json(await getPost(req.validated.params, req.user));
}

async function createPostHandler(req, res) {
  const post = await createPost(req.validated.body, req.user);
  sendCreated(res, location(req, post), post);
}

async function updatePostHandler(req, res) {
  res.status(200).json(await updatePost(req.validated.params, req.validated.body, req.user));
}

async function replacePostHandler(req, res) {
  res.status(200).json(await replacePost(req.validated.params, req.validated.body, req.user));
}

async function deletePostHandler(req, res) {
  await deletePost(req.validated.params, req.user);
  sendNoContent(res);
}

// POST /posts/{id}/publish: Publish a draft post now
async function publishPostHandler(req, res) {
  const { params, query, body } = req.validated;
  res.status(200).json(await publishPost({ params, query, body, user: req.user }));
}

module.exports = {
  listPostsHandler,
  getPostHandler,
  createPostHandler,
  updatePostHandler,
  replacePostHandler,
  deletePostHandler,
  publishPostHandler,
};
