'use strict';

// Register takes the fields a new author needs (never its role) and a password;
// bcrypt reads only the first 72 bytes, so longer passwords are refused, not cut.
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
      password: { type: 'string', minLength: 8, maxLength: 72 },
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
      password: { type: 'string', minLength: 8, maxLength: 72 },
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
