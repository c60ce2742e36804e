'use strict';

const { sendList, sendCreated, sendNoContent, itemLocation } = require('../utils/responses');
const {
  listUsers,
  getUser,
  createUser,
  updateUser,
  replaceUser,
  deleteUser,
} = require('../services/users');

// HTTP <-> service for users. Inputs were validated by the route's
// middleware (req.validated); Express 5 forwards rejected promises to the error handler.
const COLLECTION = '/users';

function location(req, user) {
  return itemLocation(req, COLLECTION, [user.id]);
}

async function listUsersHandler(req, res) {
  const { limit, offset, sort, order, cursor, count, ...filters } = req.validated.query;
  sendList(res, await listUsers({ filters, sort, order, limit, offset, cursor, count }, req.user));
}

async function getUserHandler(req, res) {
  res.status(200).json(await getUser(req.validated.params, req.user));
}

async function createUserHandler(req, res) {
  const user = await createUser(req.validated.body, req.user);
  sendCreated(res, location(req, user), user);
}

async function updateUserHandler(req, res) {
  res.status(200).json(await updateUser(req.validated.params, req.validated.body, req.user));
}

async function replaceUserHandler(req, res) {
  res.status(200).json(await replaceUser(req.validated.params, req.validated.body, req.user));
}

async function deleteUserHandler(req, res) {
  await deleteUser(req.validated.params, req.user);
  sendNoContent(res);
}

module.exports = {
  listUsersHandler,
  getUserHandler,
  createUserHandler,
  updateUserHandler,
  replaceUserHandler,
  deleteUserHandler,
};
