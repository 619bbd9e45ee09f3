import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The docker provider's tests against a real engine: run after test/docker/start-engine.sh and
// build-postgres-image.sh with `npx vitest run -c test/docker/vitest.config.ts`. They skip (saying why)
// when no engine answers, unless BENCH_REQUIRE_DOCKER=1, which turns that into a failure (CI).
// One file at a time: each test starts containers, and the machine has 2 cores.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/docker/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
