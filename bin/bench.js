#!/usr/bin/env node
// The compiled CLI lives in dist/ (`npm run build`); this shim keeps the bin path stable.
import { main } from '../dist/harness/cli.js';

const code = await main(process.argv);
process.exitCode = code;
// Everything bench opened is closed by now; if a stray handle still holds the event loop, do not hang.
setTimeout(() => process.exit(code), 2000).unref();
