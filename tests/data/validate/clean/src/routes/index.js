'use strict';

const { Router } = require('express');
const tasks = require('./tasks');

function mountRoutes(app) {
  const api = Router();
  api.use('/tasks', tasks.router);
  app.use('/api/v1', api);
}

module.exports = { mountRoutes };
