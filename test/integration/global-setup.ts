import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { Lifecycle } from '../../harness/base/lifecycle.js';
import { NativeProvider } from '../../harness/providers/native.js';
import type { ProviderContext } from '../../harness/providers/provider.js';

/**
 * Starts one real PostgreSQL source cluster and one target cluster for the whole test run, through the
 * same native provider `bench up` uses. Test files create their own databases in them (see
 * test/support/databases.ts) so files can run in parallel without sharing tables.
 */
const TEST_SETTINGS = {
  // Durability off: tests check correctness, not speed, and must not wear the disk.
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  max_connections: '200',
  shared_buffers: '128MB',
  // No background ANALYZE of the last test's tables landing in the next timing-sensitive test.
  autovacuum: 'off',
};

declare module 'vitest' {
  export interface ProvidedContext {
    pg: { source: string; target: string; stateDir: string };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stateDir = mkdtempSync(join(tmpdir(), 'bench-test-'));
  // mkdtemp makes 0700; as root the server user must be able to reach its data directory.
  chmodSync(stateDir, 0o755);
  const lifecycle = new Lifecycle();
  const ctx: ProviderContext = { stateDir, lifecycle };
  const provider = new NativeProvider();
  try {
    const [source, target] = await provider.up(
      [
        { role: 'source', engine: 'postgres', settings: TEST_SETTINGS },
        { role: 'target', engine: 'postgres', settings: TEST_SETTINGS },
      ],
      ctx,
    );
    project.provide('pg', { source: source!.url, target: target!.url, stateDir });
  } catch (err) {
    await lifecycle.dispose(true);
    rmSync(stateDir, { recursive: true, force: true });
    throw err;
  }
  return async () => {
    await provider.down(ctx);
    rmSync(stateDir, { recursive: true, force: true });
  };
}
