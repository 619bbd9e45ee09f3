import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import pg from 'pg';
import { Lifecycle } from '../../harness/base/lifecycle.js';
import { DockerProvider, LABEL } from '../../harness/providers/docker.js';
import type { ProviderContext, ServerSpec } from '../../harness/providers/provider.js';
import type { Role } from '../../harness/model/roles.js';

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

/**
 * An image with an entrypoint, like the official postgres images (none can be pulled here): it keeps
 * their contract (POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB, initialise an empty PGDATA, then
 * `exec "$@"`), so the provider's `entrypoint` launch mode runs against a real server. Made from
 * TEST_IMAGE with `docker commit`; its launch-mode label is blanked so detection goes by the entrypoint.
 */
export const ENTRYPOINT_IMAGE = 'bench-postgres-entrypoint:15';

const FAKE_ENTRYPOINT = `#!/bin/sh
set -e
if [ "$1" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
  pw="$(mktemp)"
  printf '%s\\n' "$POSTGRES_PASSWORD" > "$pw"
  initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile="$pw" --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$pw"
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -c unix_socket_directories=/tmp" -w start >/dev/null
  createdb -h /tmp -U "$POSTGRES_USER" "$POSTGRES_DB"
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
fi
# The official image has /var/run/postgresql; this one keeps its socket in /tmp.
exec "$@" -c unix_socket_directories=/tmp
`;

export async function ensureEntrypointImage(): Promise<string> {
  try {
    await docker.getImage(ENTRYPOINT_IMAGE).inspect();
    return ENTRYPOINT_IMAGE;
  } catch {
    // build it below
  }
  const path = '/var/lib/postgresql/docker-entrypoint.sh';
  const c = await docker.createContainer({
    Image: TEST_IMAGE,
    Env: [`SCRIPT=${FAKE_ENTRYPOINT}`],
    Cmd: ['/bin/sh', '-c', `printf '%s' "$SCRIPT" > ${path} && chmod 755 ${path}`],
    HostConfig: { NetworkMode: 'none' },
  });
  try {
    await c.start();
    const { StatusCode } = (await c.wait()) as { StatusCode: number };
    if (StatusCode !== 0) throw new Error(`writing the fake entrypoint failed (exit ${StatusCode})`);
    const [repo, tag] = ENTRYPOINT_IMAGE.split(':') as [string, string];
    await c.commit({
      repo,
      tag,
      changes: [`ENTRYPOINT ["${path}"]`, 'CMD ["postgres"]', 'ENV SCRIPT=', 'LABEL dev.bench.launch-mode='],
    } as never);
  } finally {
    await c.remove({ force: true });
  }
  return ENTRYPOINT_IMAGE;
}
