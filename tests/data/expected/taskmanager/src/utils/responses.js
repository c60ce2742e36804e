'use strict';

// The response shapes every handler uses, so all resources answer alike.

function sendList(res, page) {
  res.status(200).json({
    data: page.rows,
    meta: { total: page.total, limit: page.limit, offset: page.offset },
  });
}

function sendCreated(res, location, body) {
  res.status(201).location(location).json(body);
}

function sendNoContent(res) {
  res.status(204).end();
}

// The URL of one item, for the Location header: mount path + collection + key values.
function itemLocation(req, collectionPath, keyValues) {
  const keys = keyValues.map((value) => `/${encodeURIComponent(String(value))}`).join('');
  return `${req.baseUrl}${collectionPath}${keys}`;
}

module.exports = { sendList, sendCreated, sendNoContent, itemLocation };
