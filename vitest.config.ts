import { configDefaults, defineConfig } from 'vitest/config';

// Integration tests start real PostgreSQL clusters (see test/integration/global-setup.ts);
// forks keep each test file in its own process so a crash cannot take the servers' owner down.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The Docker tests need an engine and run on their own (test/docker/vitest.config.ts): in parallel with
    // the rest they would race for ports. test/serial/ holds timing-sensitive tests run one at a time after.
    exclude: [...configDefaults.exclude, 'test/docker/**', 'test/serial/**'],
    pool: 'forks',
    globalSetup: ['test/integration/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
