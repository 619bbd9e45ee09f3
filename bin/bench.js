#!/usr/bin/env node
// The compiled CLI lives in dist/ (`npm run build`); this shim keeps the bin path stable.
import { main } from '../dist/harness/cli.js';
main(process.argv).then((code) => { process.exitCode = code; });
