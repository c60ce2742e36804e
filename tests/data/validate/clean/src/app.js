'use strict';

const express = require('express');
const path = require('path');
const { mountRoutes } = require('./routes');
const { AppError, NotFoundError } = require('./utils/errors');

const app = express();
app.use(express.json());
app.use(express.static(path.join(__dirname, 'public')));
mountRoutes(app);
app.use((req, res, next) => next(new NotFoundError(`${req.path} not found`)));
app.use((err, req, res, _next) => {
  const status = err instanceof AppError ? err.status : 500;
  res.status(status).json({ error: err.message });
});

module.exports = app;
