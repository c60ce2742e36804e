// Register takes the fields a new user needs (never its role) and a password;
// bcrypt reads only the first 72 bytes, so longer passwords are refused, not cut.
const authSchemas = {
  register: {
    type: 'object',
    additionalProperties: false,
    required: ['email', 'display_name', 'password'],
    properties: {
      email: {
        type: 'string',
        maxLength: 255,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
      },
      display_name: {
        type: 'string',
        maxLength: 100,
        pattern: '^[^\\u0000]*$',
        'x-expected': 'must be text without NUL (\\u0000) characters',
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

export { authSchemas };
