'use strict';

const { sendCreated } = require('../utils/responses');
const service = require('./service');

async function registerHandler(req, res) {
  const account = await service.registerAccount(req.validated.body);
  sendCreated(res, `${req.baseUrl}/auth/me`, account);
}

async function loginHandler(req, res) {
  res.status(200).json(await service.login(req.validated.body));
}

async function refreshHandler(req, res) {
  res.status(200).json(await service.refresh(req.validated.body));
}

async function logoutHandler(req, res) {
  await service.logout(req.validated.body);
  res.status(204).end();
}

async function passwordHandler(req, res) {
  res.status(200).json(await service.changePassword(req.user, req.validated.body));
}

async function meHandler(req, res) {
  res.status(200).json(await service.getAccount(req.user.id));
}

module.exports = {
  registerHandler, loginHandler, refreshHandler, logoutHandler, passwordHandler, meHandler,
};
