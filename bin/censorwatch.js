#!/usr/bin/env node
'use strict';
// Runs the compiled CLI only, so what runs is what was built; `npm ci` builds it (prepare).
const path = require('node:path');
const fs = require('node:fs');
const compiled = path.join(__dirname, '..', 'dist', 'workers', 'cli.js');
// stat, not existsSync (access(2)): it answers for the effective user, as loading the file does.
if (!fs.statSync(compiled, { throwIfNoEntry: false })) {
  process.stderr.write('censorwatch: dist/ is missing: run `npm run build` (npm ci does it too)\n');
  process.exit(1);
}
require(compiled)
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
