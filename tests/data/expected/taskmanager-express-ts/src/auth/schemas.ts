// Register takes the fields a new user needs (never its role) and a password.
// Passwords are hashed whole, never cut; the schema caps their length (the service also
// caps their UTF-8 bytes at 1024).
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

export { authSchemas };
