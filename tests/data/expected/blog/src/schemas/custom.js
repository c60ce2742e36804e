'use strict';

// Path parameter schemas of the endpoints that belong to no table.
const customSchemas = {
  endpoints: { getSearch: { params: { type: 'object', additionalProperties: false, properties: {} } } },
};

module.exports = { customSchemas };
