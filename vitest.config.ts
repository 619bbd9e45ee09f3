import { defineConfig } from 'vitest/config';

// Integration tests start real PostgreSQL clusters (see test/integration/global-setup.ts);
// forks keep each test file in its own process so a crash cannot take the servers' owner down.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    globalSetup: ['test/integration/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
