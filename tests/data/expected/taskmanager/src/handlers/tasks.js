'use strict';

const { sendList, sendCreated, sendNoContent, itemLocation } = require('../utils/responses');
const {
  listTasks,
  getTask,
  createTask,
  updateTask,
  replaceTask,
  deleteTask,
  completeTask,
} = require('../services/tasks');

// HTTP <-> service for tasks. Inputs were validated by the route's
// middleware (req.validated); Express 5 forwards rejected promises to the error handler.
const COLLECTION = '/tasks';

function location(req, task) {
  return itemLocation(req, COLLECTION, [task.id]);
}

async function listTasksHandler(req, res) {
  const { limit, offset, sort, order, cursor, count, ...filters } = req.validated.query;
  sendList(res, await listTasks({ filters, sort, order, limit, offset, cursor, count }, req.user));
}

async function getTaskHandler(req, res) {
  res.status(200).json(await getTask(req.validated.params, req.user));
}

async function createTaskHandler(req, res) {
  const task = await createTask(req.validated.body, req.user);
  sendCreated(res, location(req, task), task);
}

async function updateTaskHandler(req, res) {
  res.status(200).json(await updateTask(req.validated.params, req.validated.body, req.user));
}

async function replaceTaskHandler(req, res) {
  res.status(200).json(await replaceTask(req.validated.params, req.validated.body, req.user));
}

async function deleteTaskHandler(req, res) {
  await deleteTask(req.validated.params, req.user);
  sendNoContent(res);
}

// POST /tasks/{id}/complete: Mark a task as done and return it.
async function completeTaskHandler(req, res) {
  const { params, query, body } = req.validated;
  res.status(200).json(await completeTask({ params, query, body, user: req.user }));
}

module.exports = {
  listTasksHandler,
  getTaskHandler,
  createTaskHandler,
  updateTaskHandler,
  replaceTaskHandler,
  deleteTaskHandler,
  completeTaskHandler,
};
