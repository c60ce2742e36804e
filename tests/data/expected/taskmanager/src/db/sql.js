'use strict';

// Builders for the dynamic parts of parameterized SQL. Identifiers come only
// from a model's TABLE definition (generated from the spec, always quoted);
// every value travels as a $n parameter. Nothing a client sends is ever
// spliced into SQL text: unknown properties are skipped.

function param(values, value) {
  values.push(value);
  return '$' + values.length;
}

// node-postgres would send a JS array as a PostgreSQL array: JSON columns get JSON text.
function toDatabase(table, prop, value) {
  if (value === null || !table.json.includes(prop)) {
    return value;
  }
  return JSON.stringify(value);
}

function keyValues(table, key) {
  return table.keyProps.map((prop) => key[prop]);
}

function whereEquals(table, filters, values) {
  const conditions = [];
  for (const [prop, value] of Object.entries(filters ?? {})) {
    if (value === undefined || !Object.hasOwn(table.filterable, prop)) {
      continue;
    }
    conditions.push(table.filterable[prop] + ' = ' + param(values, value));
  }
  return conditions.length > 0 ? ' WHERE ' + conditions.join(' AND ') : '';
}

function orderBy(table, sort, order) {
  const direction = order === 'desc' ? ' DESC' : ' ASC';
  const columns = sort !== undefined && Object.hasOwn(table.filterable, sort)
    ? [table.filterable[sort]]
    : table.defaultOrder;
  const terms = columns.map((column) => column + direction);
  // The key breaks ties, so pages never overlap or skip rows.
  for (const column of table.keyOrder) {
    if (!columns.includes(column)) {
      terms.push(column + ' ASC');
    }
  }
  return ' ORDER BY ' + terms.join(', ');
}

// { count, page }: the total of matching rows and one page of them.
function buildList(table, { filters, sort, order, limit, offset }) {
  const values = [];
  const where = whereEquals(table, filters, values);
  const count = {
    text: 'SELECT count(*) AS "total" FROM ' + table.name + where,
    values: [...values],
  };
  const page = {
    text: 'SELECT ' + table.select + ' FROM ' + table.name + where + orderBy(table, sort, order)
      + ' LIMIT ' + param(values, limit) + ' OFFSET ' + param(values, offset),
    values,
  };
  return { count, page };
}

function buildInsert(table, data) {
  const values = [];
  const columns = [];
  const params = [];
  for (const [prop, value] of Object.entries(data)) {
    if (value === undefined || !Object.hasOwn(table.writable, prop)) {
      continue;
    }
    columns.push(table.writable[prop]);
    params.push(param(values, toDatabase(table, prop, value)));
  }
  const target = columns.length > 0
    ? ' (' + columns.join(', ') + ') VALUES (' + params.join(', ') + ')'
    : ' DEFAULT VALUES';
  return { text: 'INSERT INTO ' + table.name + target + ' RETURNING ' + table.select, values };
}

// A partial update sets the given properties; a replace (PUT) resets the
// others to their column default (NULL when there is none).
function buildUpdate(table, key, changes, { replace = false } = {}) {
  const values = keyValues(table, key);
  const assignments = [];
  for (const [prop, column] of Object.entries(table.updatable)) {
    if (changes[prop] !== undefined) {
      assignments.push(column + ' = ' + param(values, toDatabase(table, prop, changes[prop])));
    } else if (replace) {
      assignments.push(column + ' = DEFAULT');
    }
  }
  if (assignments.length === 0) {
    return {
      text: 'SELECT ' + table.select + ' FROM ' + table.name + ' WHERE ' + table.keyCondition,
      values,
    };
  }
  if (table.updatedAt !== null) {
    assignments.push(table.updatedAt + ' = now()');
  }
  return {
    text: 'UPDATE ' + table.name + ' SET ' + assignments.join(', ')
      + ' WHERE ' + table.keyCondition + ' RETURNING ' + table.select,
    values,
  };
}

module.exports = { keyValues, buildList, buildInsert, buildUpdate };
