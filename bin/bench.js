#!/usr/bin/env node
// The compiled CLI lives in dist/ (`npm run build`); this shim keeps the bin path stable.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// The bench process must stay under 256 MB RSS whatever the table sizes. Its live data is small
// (batches and queues bounded by rows and bytes, harness/base/memory-bounds.ts), but V8 sizes its heap from the machine's memory and lets garbage pile up
// to gigabytes on a large host: measured here, a pipeline copy peaked at 432 MB RSS by default and 204 MB
// with the heap capped (and ran faster). So bench re-runs itself once with a capped heap.
// BENCH_HEAP_MB changes the cap; an explicit --max-old-space-size (NODE_OPTIONS or node flags) wins.
const HEAP_MB = process.env.BENCH_HEAP_MB ?? '160';
const capped = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.includes('--max-old-space-size'));

if (!capped) {
  // Own process group: a terminal's Ctrl-C reaches only this parent, which forwards it exactly once
  // (bench treats a second Ctrl-C as "exit now"). The IPC channel is the child's lifeline: it closes when
  // this process ends, even by SIGKILL, and the child then stops and cleans up (harness/base/lifecycle.ts).
  const child = spawn(
    process.execPath,
    [`--max-old-space-size=${HEAP_MB}`, '--max-semi-space-size=8', ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: ['inherit', 'inherit', 'inherit', 'ipc'], detached: true },
  );
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
} else {
  const { main } = await import('../dist/harness/main.js');
  const code = await main(process.argv);
  process.exitCode = code;
  // Everything bench opened is closed by now; if a stray handle still holds the event loop, do not hang.
  setTimeout(() => process.exit(code), 2000).unref();
}
