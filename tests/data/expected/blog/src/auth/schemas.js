'use strict';

// Register takes the fields a new author needs (never its role) and a password.
// Passwords are hashed whole, never cut; the schema caps their length (the service also
// caps their UTF-8 bytes at 1024).
const authSchemas = {
  register: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'email', 'password'],
    properties: {
      name: {
        type: 'string',
        maxLength: 120,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      email: {
        type: 'string',
        maxLength: 255,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      bio: {
        type: ['string', 'null'],
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      createdAt: {
        type: ['string', 'null'],
        format: 'date-time',
        pattern: '^(?!0000)\\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])[Tt](?:[01]\\d|2[0-3]):[0-5]\\d:(?:[0-5]\\d|60)(?:\\.\\d{1,6})?(?:[Zz]|[+-](?:0\\d|1[0-5]):[0-5]\\d)$',
        'x-expected': 'must be an RFC 3339 date-time from year 0001 to 9999 with at most 6 fractional digits and a UTC offset (Z or at most ±15:59, PostgreSQL\'s limit)',
      },
      password: { type: 'string', minLength: 8, maxLength: 256 },
    },
  },
  login: {
    type: 'object',
    additionalProperties: false,
    required: ['email', 'password'],
    properties: {
      email: {
        type: 'string',
        maxLength: 255,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      password: { type: 'string', minLength: 8, maxLength: 256 },
    },
  },
  refresh: {
    type: 'object',
    additionalProperties: false,
    required: ['refreshToken'],
    properties: { refreshToken: { type: 'string', minLength: 1, maxLength: 200 } },
  },
  passwordChange: {
    type: 'object',
    additionalProperties: false,
    required: ['currentPassword', 'newPassword'],
    properties: {
      currentPassword: { type: 'string', minLength: 8, maxLength: 256 },
      newPassword: { type: 'string', minLength: 8, maxLength: 256 },
    },
  },
  token: {
    type: 'object',
    additionalProperties: false,
    required: ['token', 'tokenType', 'expiresIn', 'refreshToken', 'refreshExpiresIn'],
    properties: {
      token: { type: 'string', description: 'the access token (a JWT)' },
      tokenType: { type: 'string', enum: ['Bearer'] },
      expiresIn: { type: 'string', description: 'access token lifetime' },
      refreshToken: { type: 'string', description: 'single use: POST it to /auth/refresh' },
      refreshExpiresIn: { type: 'string' },
    },
  },
};

module.exports = { authSchemas };
