'use strict';

const http = require('node:http');
const app = require('./app');
const { port } = require('./config.json');

http.createServer(app).listen(port);
