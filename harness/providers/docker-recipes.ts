import pg from 'pg';
import type { EngineName } from '../model/roles.js';

/**
 * How each engine runs in a container: default image, ports, data directory, and the command line.
 * Engine differences live here as data and small pure builders, so docker.ts has no `if (engine === …)`.
 */

/**
 * How a container gets its server started.
 * - `entrypoint`: the image has its own entrypoint that initialises the data directory (the official
 *   postgres and mssql images). bench passes settings as arguments (`postgres -c key=value …`).
 * - `self-init`: the image has no entrypoint (e.g. bench-postgres:15, made by `docker import`). bench's
 *   own shell command runs initdb when PGDATA is empty, then `exec postgres -c …`.
 */
export type LaunchMode = 'entrypoint' | 'self-init';
export const launchModes: readonly LaunchMode[] = ['entrypoint', 'self-init'];

/**
 * - `publish`: the container has its own network; its port is published on 127.0.0.1 only.
 * - `host`: the container shares the host's network (needed when the engine runs with --bridge=none);
 *   the server then listens on 127.0.0.1 and the port bench picked.
 */
export type NetworkMode = 'publish' | 'host';
export const networkModes: readonly NetworkMode[] = ['publish', 'host'];

export interface LaunchInput {
  readonly mode: LaunchMode;
  readonly network: NetworkMode;
  /** The port on 127.0.0.1 clients use (also the server's own port with host networking). */
  readonly hostPort: number;
  readonly password: string;
  readonly settings: Readonly<Record<string, string>>;
  readonly dataDir: string;
  /** The image's own user; self-init needs a non-root one. */
  readonly imageUser: string;
}

export interface Launch {
  readonly cmd: string[];
  readonly env: string[];
  readonly user?: string;
}

export interface ContainerRecipe {
  readonly engine: EngineName;
  readonly defaultImage: string;
  /** Environment variable that overrides the default image. */
  readonly imageEnvVar: string;
  /** The server's port inside its own network namespace (publish mode). */
  readonly containerPort: number;
  /** Where data lives when the image does not say (PGDATA in its Env). */
  readonly defaultDataDir: string;
  readonly dataDirEnvVar?: string;
  readonly launchModes: readonly LaunchMode[];
  /** A signal that stops the server quickly and cleanly (PostgreSQL: SIGINT = fast shutdown). */
  readonly stopSignal: string;
  readonly memoryHint?: string;
  /** A random password in a form the server accepts. */
  password(random: string): string;
  launch(input: LaunchInput): Launch;
  url(password: string, port: number): string;
  /** Resolves once the server answers a trivial query; rejects otherwise. */
  probe(url: string, timeoutMs: number): Promise<void>;
  /** After the first successful probe: create what the URL needs (the database). */
  prepare?(url: string): Promise<void>;
}

/** The user and database bench creates in its PostgreSQL containers. */
export const PG_USER = 'bench';
export const PG_DATABASE = 'bench';

/** Sorted `-c key=value` pairs: a stable command line gives a stable spec hash. */
export function settingArgs(settings: Readonly<Record<string, string>>): string[] {
  return Object.keys(settings)
    .sort()
    .flatMap((k) => ['-c', `${k}=${settings[k]}`]);
}

/**
 * Settings bench owns, placed after the user's so they win (PostgreSQL applies the last -c).
 * With host networking the server shares the host's interfaces, so it must listen on loopback only;
 * with a published port it must listen on the container's interface and Docker binds 127.0.0.1.
 */
function ownSettings(input: LaunchInput): Record<string, string> {
  return input.network === 'host'
    ? { listen_addresses: '127.0.0.1', port: String(input.hostPort) }
    : { listen_addresses: '*' };
}

/**
 * The self-init script. Arguments after $0 are passed to postgres. The password travels in the
 * environment and reaches initdb through a file (--pwfile), never the command line. pg_hba gets a
 * password rule for every address because published ports arrive from the bridge gateway, not 127.0.0.1.
 */
export const SELF_INIT_SCRIPT = [
  'set -e',
  ': "${PGDATA:=/var/lib/postgresql/data}"',
  'if [ ! -s "$PGDATA/PG_VERSION" ]; then',
  '  pwfile="$(mktemp)"',
  '  printf "%s\\n" "$BENCH_PASSWORD" > "$pwfile"',
  `  initdb -D "$PGDATA" -U ${PG_USER} --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --no-locale`,
  '  rm -f "$pwfile"',
  '  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"',
  'fi',
  'exec postgres -D "$PGDATA" "$@"',
].join('\n');

export const postgresRecipe: ContainerRecipe = {
  engine: 'postgres',
  defaultImage: 'postgres:16-alpine',
  imageEnvVar: 'BENCH_DOCKER_IMAGE',
  containerPort: 5432,
  defaultDataDir: '/var/lib/postgresql/data',
  dataDirEnvVar: 'PGDATA',
  launchModes: ['entrypoint', 'self-init'],
  stopSignal: 'SIGINT',
  password: (random) => random,
  launch(input) {
    const args = settingArgs({ ...input.settings, ...ownSettings(input) });
    // PGPORT makes the official entrypoint's temporary init server and its psql agree on the port.
    const portEnv = input.network === 'host' ? [`PGPORT=${input.hostPort}`] : [];
    if (input.mode === 'entrypoint') {
      return {
        cmd: ['postgres', ...args],
        env: [`POSTGRES_USER=${PG_USER}`, `POSTGRES_PASSWORD=${input.password}`, `POSTGRES_DB=${PG_DATABASE}`, `PGDATA=${input.dataDir}`, ...portEnv],
      };
    }
    // The socket goes to /tmp: /var/run/postgresql may not exist or belong to another user in an imported image.
    const socket = settingArgs({ unix_socket_directories: '/tmp' });
    const root = input.imageUser === '' || input.imageUser === 'root' || input.imageUser === '0';
    return {
      cmd: ['/bin/sh', '-c', SELF_INIT_SCRIPT, 'bench-postgres', ...socket, ...args],
      env: [`BENCH_PASSWORD=${input.password}`, `PGDATA=${input.dataDir}`, ...portEnv],
      // PostgreSQL refuses to run as root.
      ...(root ? { user: 'postgres' } : {}),
    };
  },
  url: (password, port) => `postgres://${PG_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${PG_DATABASE}`,
  async probe(url, timeoutMs) {
    // The maintenance database exists from the first moment; ours is created by prepare().
    const client = new pg.Client({ connectionString: url.replace(/\/[^/?]*$/, '/postgres'), connectionTimeoutMillis: timeoutMs });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
    } finally {
      await client.end().catch(() => undefined);
    }
  },
  async prepare(url) {
    const client = new pg.Client({ connectionString: url.replace(/\/[^/?]*$/, '/postgres') });
    await client.connect();
    try {
      const r = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [PG_DATABASE]);
      if (r.rowCount === 0) await client.query(`CREATE DATABASE ${PG_DATABASE}`);
    } finally {
      await client.end();
    }
  },
};

/**
 * SQL Server: settings are not command-line flags (mssql-conf owns them), so the profile's PostgreSQL
 * settings do not apply. The image needs at least 2 GB of memory.
 */
export const mssqlRecipe: ContainerRecipe = {
  engine: 'mssql',
  defaultImage: 'mcr.microsoft.com/mssql/server:2022-latest',
  imageEnvVar: 'BENCH_DOCKER_MSSQL_IMAGE',
  containerPort: 1433,
  defaultDataDir: '/var/opt/mssql',
  launchModes: ['entrypoint'],
  stopSignal: 'SIGTERM',
  memoryHint: 'SQL Server needs at least 2 GB of memory',
  // The sa password must have three of: upper case, lower case, digits, symbols.
  password: (random) => `${random}Aa1`,
  launch(input) {
    return {
      cmd: [],
      env: [
        'ACCEPT_EULA=Y',
        'MSSQL_PID=Developer',
        `MSSQL_SA_PASSWORD=${input.password}`,
        ...(input.network === 'host' ? [`MSSQL_TCP_PORT=${input.hostPort}`, 'MSSQL_IP_ADDRESS=127.0.0.1'] : []),
      ],
    };
  },
  // The container's certificate is self-signed: the connection stays encrypted, and the certificate of
  // the server bench itself just started on 127.0.0.1 is trusted (the probe below connects the same way).
  url: (password, port) => `mssql://sa:${encodeURIComponent(password)}@127.0.0.1:${port}/master?trustServerCertificate=true`,
  async probe(url, timeoutMs) {
    const { Connection, Request } = await import('tedious');
    const u = new URL(url);
    await new Promise<void>((resolve, reject) => {
      const conn = new Connection({
        server: u.hostname,
        authentication: { type: 'default', options: { userName: decodeURIComponent(u.username), password: decodeURIComponent(u.password) } },
        options: { port: Number(u.port), database: 'master', encrypt: false, trustServerCertificate: true, connectTimeout: timeoutMs },
      });
      conn.on('error', () => undefined);
      conn.connect((err) => {
        if (err) {
          conn.close();
          reject(err);
          return;
        }
        conn.execSql(
          new Request('SELECT 1', (e) => {
            conn.close();
            if (e) reject(e);
            else resolve();
          }),
        );
      });
    });
  },
};

/** The recipe registry: one entry per engine bench can run in a container. */
export const recipes = { postgres: postgresRecipe, mssql: mssqlRecipe } satisfies Record<EngineName, ContainerRecipe>;
