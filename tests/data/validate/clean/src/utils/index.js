'use strict';

module.exports = {
  ...require('./errors'),
};
