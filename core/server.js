// `node core/server.js` from a built checkout: the command users of the original know. It runs the
// bundle that `npm run build` writes to out/core/server.js (in the Docker image that bundle itself
// sits at /app/core/server.js).
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const bundle = path.join(__dirname, '..', 'out', 'core', 'server.js');
if (!fs.existsSync(bundle)) {
  process.stderr.write('IMS Lab: out/core/server.js is missing; run `npm run build` first.\n');
  process.exit(1);
}
require(bundle);
