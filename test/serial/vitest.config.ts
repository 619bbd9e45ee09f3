import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests whose subject is timing itself (bench check on real sweeps): run after the main suite, one file
// at a time, so the parallel test files' load does not land on one sweep and not another.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/serial/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    globalSetup: ['test/integration/global-setup.ts'],
    testTimeout: 600_000,
    hookTimeout: 180_000,
  },
});
