'use strict';

const credentials = {
  type: 'object',
  additionalProperties: false,
  required: ['email', 'password'],
  properties: {
    email: { type: 'string', format: 'email', maxLength: 255 },
    // bcrypt only reads the first 72 bytes of a password.
    password: { type: 'string', minLength: 8, maxLength: 72 },
  },
};

const authSchemas = {
  register: credentials,
  login: credentials,
  account: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'email', 'createdAt'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      email: { type: 'string', format: 'email' },
      createdAt: { type: 'string', format: 'date-time' },
    },
  },
  token: {
    type: 'object',
    additionalProperties: false,
    required: ['token', 'tokenType', 'expiresIn'],
    properties: {
      token: { type: 'string' },
      tokenType: { type: 'string', enum: ['Bearer'] },
      expiresIn: { type: 'string' },
    },
  },
};

module.exports = { authSchemas };
