'use strict';

const { query } = require('../db');

module.exports = {
  async findAll(limit) {
    const { rows } = await query('SELECT * FROM "tasks" ORDER BY "id" LIMIT $1', [limit]);
    return rows;
  },
  async findById(id) {
    const { rows } = await query('SELECT * FROM "tasks" WHERE "id" = $1', [id]);
    return rows[0] ?? null;
  },
  insert: async ({ title, done = false }) => {
    const sql = 'INSERT INTO "tasks" ("title", "done") VALUES ($1, $2) RETURNING *';
    const { rows } = await query(sql, [title, done]);
    return rows[0];
  },
};
