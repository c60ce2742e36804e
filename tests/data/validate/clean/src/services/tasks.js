'use strict';

const model = require('../models/tasks');
const { NotFoundError, ValidationError } = require('../utils/errors');

async function list({ limit = 50 } = {}) {
  return model.findAll(limit);
}

async function getById(id) {
  const row = await model.findById(id);
  if (!row) throw new NotFoundError(`task ${id} not found`);
  return row;
}

const create = async (input) => {
  if (!input || typeof input.title !== 'string') {
    throw new ValidationError('title is required');
  }
  return model.insert(input);
};

module.exports = { list, getById, create };
