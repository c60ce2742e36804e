'use strict';

const { sendCreated } = require('../utils/responses');
const { registerAccount, login, getAccount } = require('./service');

async function registerHandler(req, res) {
  const account = await registerAccount(req.validated.body);
  sendCreated(res, `${req.baseUrl}/auth/me`, account);
}

async function loginHandler(req, res) {
  res.status(200).json(await login(req.validated.body));
}

async function meHandler(req, res) {
  res.status(200).json(await getAccount(req.user.id));
}

module.exports = { registerHandler, loginHandler, meHandler };
