#!/usr/bin/env node
// dp's entry (dist/cli/dp.js): runs the bundle, dist/cli/dp-main.js, with the V8 code cache the build made by
// running it once (dp-main.js.cache), so a command skips compiling what that run compiled: about a tenth of
// dp's start-up. The cache is used only for the exact bundle it was made from (its sha-256 heads the file)
// and only where V8 accepts it (the Node version and flags of the build); otherwise the bundle compiles as usual.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { createHash } = require('node:crypto');
const { join } = require('node:path');
const Module = require('node:module');
const vm = require('node:vm');

const main = join(__dirname, 'dp-main.js');
const cacheFile = `${main}.cache`;
const source = readFileSync(main, 'utf8');
const hash = createHash('sha256').update(source).digest();
let cachedData;
try {
  const bytes = readFileSync(cacheFile);
  if (bytes.subarray(0, hash.length).equals(hash)) cachedData = bytes.subarray(hash.length);
} catch {
  // No cache: compile as usual.
}
const script = new vm.Script(Module.wrap(source.replace(/^#!.*/, '')), { filename: main, cachedData });
// Code compiled by vm.Script has no module loader for import(): the bundle imports through this file's.
globalThis[Symbol.for('generator-dp.import')] = (specifier) => import(specifier);
if (process.env.DP_BUILD_CODE_CACHE === '1') {
  process.once('exit', () => writeFileSync(cacheFile, Buffer.concat([hash, script.createCachedData()])));
}
const bundle = new Module(main, module);
bundle.filename = main;
script.runInThisContext()(bundle.exports, Module.createRequire(main), bundle, main, __dirname);
