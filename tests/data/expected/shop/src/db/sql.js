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

// `scope`: { condition, value }, a generated condition with a $OWNER placeholder (the
// access policy's owner rows) and its value, sent as a parameter.
function whereEquals(table, filters, values, scope) {
  const conditions = [];
  if (scope !== undefined) {
    conditions.push('(' + scope.condition.replace('$OWNER', () => param(values, scope.value)) + ')');
  }
  for (const [prop, value] of Object.entries(filters ?? {})) {
    if (value === undefined || !Object.hasOwn(table.filterable, prop)) {
      continue;
    }
    conditions.push(table.filterable[prop] + ' = ' + param(values, value));
  }
  return conditions.length > 0 ? ' WHERE ' + conditions.join(' AND ') : '';
}

// The ORDER BY columns of a list: the sort column (or the table's default order), then
// the key, so that the order is total and pages never overlap or skip rows.
function orderColumns(table, sort) {
  const columns = sort !== undefined && Object.hasOwn(table.filterable, sort)
    ? [table.filterable[sort]]
    : [...table.defaultOrder];
  for (const column of table.keyOrder) {
    if (!columns.includes(column)) {
      columns.push(column);
    }
  }
  return columns;
}

// The property each order column comes back as (null when one is not a plain column).
function orderProps(table, sort) {
  const byColumn = new Map(Object.entries(table.filterable).map(([prop, column]) => [column, prop]));
  table.keyOrder.forEach((column, i) => byColumn.set(column, table.keyProps[i]));
  const props = orderColumns(table, sort).map((column) => byColumn.get(column));
  return props.every((prop) => prop !== undefined) ? props : null;
}

function orderBy(table, sort, order) {
  const direction = order === 'desc' ? ' DESC' : ' ASC';
  return ' ORDER BY ' + orderColumns(table, sort).map((column) => column + direction).join(', ');
}

// Keyset pagination: the rows strictly after `after` (the order values of the previous
// page's last row). PostgreSQL sorts NULL last ascending and first descending, so NULL
// counts as the largest value in both directions.
function afterCondition(table, sort, order, after, values) {
  const columns = orderColumns(table, sort);
  const alternatives = [];
  for (let i = 0; i < columns.length; i += 1) {
    const terms = columns.slice(0, i).map((column, j) => (after[j] === null
      ? column + ' IS NULL'
      : column + ' = ' + param(values, after[j])));
    const column = columns[i];
    if (order === 'desc') {
      terms.push(after[i] === null ? column + ' IS NOT NULL' : column + ' < ' + param(values, after[i]));
    } else if (after[i] === null) {
      continue;
    } else {
      terms.push('(' + column + ' > ' + param(values, after[i]) + ' OR ' + column + ' IS NULL)');
    }
    alternatives.push('(' + terms.join(' AND ') + ')');
  }
  return alternatives.length > 0 ? '(' + alternatives.join(' OR ') + ')' : 'FALSE';
}

// { count, page }: the total of matching rows and one page of them (after the cursor
// position `after` when given, else from `offset`).
function buildList(table, { filters, sort, order, limit, offset, after, scope }) {
  const values = [];
  const where = whereEquals(table, filters, values, scope);
  const count = {
    text: 'SELECT count(*) AS "total" FROM ' + table.name + where,
    values: [...values],
  };
  let condition = where;
  if (after !== undefined) {
    const keyset = afterCondition(table, sort, order, after, values);
    condition = where === '' ? ' WHERE ' + keyset : where + ' AND ' + keyset;
  }
  const skip = after === undefined ? ' OFFSET ' + param(values, offset ?? 0) : '';
  const page = {
    text: 'SELECT ' + table.select + ' FROM ' + table.name + condition
      + orderBy(table, sort, order) + ' LIMIT ' + param(values, limit) + skip,
    values,
  };
  return { count, page };
}

// Statements carry `props`, the property each $n value came from, so that an error
// PostgreSQL reports against a parameter ("parameter $2") can name the field.
function buildInsert(table, data) {
  const values = [];
  const props = [];
  const columns = [];
  const params = [];
  for (const [prop, value] of Object.entries(data)) {
    if (value === undefined || !Object.hasOwn(table.writable, prop)) {
      continue;
    }
    columns.push(table.writable[prop]);
    params.push(param(values, toDatabase(table, prop, value)));
    props.push(prop);
  }
  const target = columns.length > 0
    ? ' (' + columns.join(', ') + ') VALUES (' + params.join(', ') + ')'
    : ' DEFAULT VALUES';
  return { text: 'INSERT INTO ' + table.name + target + ' RETURNING ' + table.select, values, props };
}

// A partial update sets the given properties; a replace (PUT) resets the
// others to their column default (NULL when there is none).
// `scope` (as in buildList): the row is written only while the condition holds, in the
// same statement (the access policy's owner check cannot race the write).
function buildUpdate(table, key, changes, { replace = false, scope } = {}) {
  const values = keyValues(table, key);
  const props = [...table.keyProps];
  const where = table.keyCondition + (scope === undefined ? ''
    : ' AND (' + scope.condition.replace('$OWNER', () => param(values, scope.value)) + ')');
  props.length = values.length; // the owner's parameter names no field: keep $n aligned
  const assignments = [];
  for (const [prop, column] of Object.entries(table.updatable)) {
    if (changes[prop] !== undefined) {
      assignments.push(column + ' = ' + param(values, toDatabase(table, prop, changes[prop])));
      props.push(prop);
    } else if (replace) {
      assignments.push(column + ' = DEFAULT');
    }
  }
  if (assignments.length === 0) {
    return {
      text: 'SELECT ' + table.select + ' FROM ' + table.name + ' WHERE ' + where,
      values,
      props,
    };
  }
  if (table.updatedAt !== null) {
    assignments.push(table.updatedAt + ' = now()');
  }
  return {
    text: 'UPDATE ' + table.name + ' SET ' + assignments.join(', ')
      + ' WHERE ' + where + ' RETURNING ' + table.select,
    values,
    props,
  };
}

module.exports = { keyValues, orderProps, buildList, buildInsert, buildUpdate };
