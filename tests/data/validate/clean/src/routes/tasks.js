'use strict';

const express = require('express');
const { list, getById, create } = require('../services/tasks');
const { formatDate } = require('@scope/toolkit/dates');

const router = express.Router();

router.get('/', async (req, res, next) => {
  try {
    const rows = await list({ limit: Number(req.query.limit ?? 50) });
    res.json({ data: rows.map((r) => ({ ...r, due: formatDate(r.due) })) });
  } catch (err) {
    next(err);
  }
});

router.get('/:id', async (req, res, next) => {
  try {
    res.json({ data: await getById(req.params.id) });
  } catch (err) {
    next(err);
  }
});

router.post('/', async (req, res, next) => {
  try {
    res.status(201).json({ data: await create(req.body) });
  } catch (err) {
    next(err);
  }
});

exports.router = router;
