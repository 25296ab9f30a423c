#!/usr/bin/env node
'use strict';
// Runs the compiled CLI when present, else the TypeScript source through tsx's require hook.
const path = require('node:path');
const fs = require('node:fs');
const compiled = path.join(__dirname, '..', 'dist', 'workers', 'cli.js');
let cli;
if (fs.existsSync(compiled)) {
  cli = require(compiled);
} else {
  require('tsx/cjs');
  cli = require(path.join(__dirname, '..', 'workers', 'cli.ts'));
}
cli.main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
