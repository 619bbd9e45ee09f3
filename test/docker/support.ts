import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import pg from 'pg';
import { Lifecycle } from '../../harness/lifecycle.js';
import { DockerProvider, LABEL } from '../../harness/providers/docker.js';
import type { ProviderContext, Role, ServerSpec } from '../../harness/providers/provider.js';

/** The image every docker test runs: built locally, never pulled (CI has no registry). */
export const TEST_IMAGE = process.env.BENCH_DOCKER_IMAGE ?? 'bench-postgres:15';

/**
 * Why the docker tests cannot run here, or undefined when they can. With BENCH_REQUIRE_DOCKER set a reason
 * is an error (CI must not go green by skipping); without it the tests skip and say why.
 */
export async function dockerUnavailable(): Promise<string | undefined> {
  const ok = await new DockerProvider().available();
  let reason = ok === true ? undefined : ok;
  if (!reason) {
    try {
      await new Docker().getImage(TEST_IMAGE).inspect();
    } catch {
      reason = `image ${TEST_IMAGE} is missing: run test/docker/build-postgres-image.sh`;
    }
  }
  if (reason && process.env.BENCH_REQUIRE_DOCKER) throw new Error(`BENCH_REQUIRE_DOCKER is set but ${reason}`);
  if (reason) console.warn(`\n*** docker tests SKIPPED: ${reason} (set BENCH_REQUIRE_DOCKER=1 to make this a failure) ***\n`);
  return reason;
}

export const docker = new Docker();

const dirs: string[] = [];

/** A new state directory; its containers and volumes are removed by cleanupAll(). */
export function newContext(): ProviderContext {
  const d = mkdtempSync(join(tmpdir(), 'bench-docker-'));
  dirs.push(d);
  return { stateDir: d, lifecycle: new Lifecycle() };
}

/** A fresh lifecycle on the same state directory, as a second `bench up` would have. */
export function again(ctx: ProviderContext): ProviderContext {
  return { stateDir: ctx.stateDir, lifecycle: new Lifecycle() };
}

export async function cleanupAll(): Promise<void> {
  for (const d of dirs) {
    await new DockerProvider().down({ stateDir: d, lifecycle: new Lifecycle() }).catch(() => undefined);
    rmSync(d, { recursive: true, force: true });
  }
}

export function spec(role: Role, extra: Partial<ServerSpec> = {}): ServerSpec {
  return {
    role,
    engine: 'postgres',
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', shared_buffers: '64MB' },
    image: TEST_IMAGE,
    ...extra,
  };
}

/** Every container or volume labelled for this state directory. */
export async function labelled(stateDir: string): Promise<{ containers: Docker.ContainerInfo[]; volumes: Docker.VolumeInspectInfo[] }> {
  const filters = JSON.stringify({ label: [`${LABEL.managed}=true`, `${LABEL.stateDir}=${stateDir}`] });
  const [containers, volumes] = await Promise.all([docker.listContainers({ all: true, filters }), docker.listVolumes({ filters })]);
  return { containers, volumes: volumes.Volumes ?? [] };
}

export async function query<T = Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows as T[];
  } finally {
    await c.end();
  }
}
