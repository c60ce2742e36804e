'use strict';

// The response shapes every handler uses, so all resources answer alike.

function sendList(res, page) {
  res.status(200).json({
    data: page.rows,
    meta: {
      total: page.total,
      limit: page.limit,
      offset: page.offset,
      next_cursor: page.nextCursor ?? null,
    },
  });
}

function sendCreated(res, location, body) {
  res.status(201).location(location).json(body);
}

function sendNoContent(res) {
  res.status(204).end();
}

// The URL of one item, for the Location header: mount path + collection + key values.
// Key values as they appear in JSON: a timestamp key (a Date from pg) as ISO 8601.
function keySegment(value) {
  return `/${encodeURIComponent(value instanceof Date ? value.toISOString() : String(value))}`;
}

function itemLocation(req, collectionPath, keyValues) {
  const keys = keyValues.map(keySegment).join('');
  return `${req.baseUrl}${collectionPath}${keys}`;
}

module.exports = { sendList, sendCreated, sendNoContent, itemLocation };
