import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** bench's name on the npm registry (`bench` itself belongs to an unrelated package). */
export const PACKAGE_NAME = 'db-copy-bench';

/**
 * Every file and directory bench reads or writes is named here (the pgcopydb rule: one place for work
 * paths). The code runs compiled (dist/harness/base/paths.js, in the repository or installed under
 * node_modules/db-copy-bench) and from source under vitest (harness/base/paths.ts), so the package root
 * is found by walking up to the package.json that carries our name.
 */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      if (pkg.name === PACKAGE_NAME) return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('bench: cannot find its own package.json');
    dir = parent;
  }
}

export const packageRoot = findPackageRoot();

export const packageVersion: string = (
  JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }
).version;

/** Built-in profiles (JSON data files). */
export const profilesDir = join(packageRoot, 'profiles');

/** The state directory: clusters, their logs, provider state. `--state-dir` > $BENCH_STATE_DIR > ./.bench */
export function resolveStateDir(option?: string): string {
  return resolve(option ?? process.env.BENCH_STATE_DIR ?? '.bench');
}

export const statePaths = {
  nativeRoot: (stateDir: string) => join(stateDir, 'native'),
  nativeStateFile: (stateDir: string) => join(stateDir, 'native', 'state.json'),
  /** Default cluster home; the native provider may relocate it (see cluster-home.ts) when run as root. */
  clusterHome: (stateDir: string, role: string) => join(stateDir, 'native', role),
  spillDir: (stateDir: string) => join(stateDir, 'spill'),
};

/**
 * Scratch directories that hold table data or secrets, each named after the pid of the bench that made
 * it, so the next bench can tell a killed one's leftovers (the pid has ended) from a running one's and
 * remove them (private-files.ts removeLeftovers).
 */
export const scratchPaths = {
  /** A copy command's spill files, peer work directories and passfiles. */
  workRoot: (spillRoot: string) => join(spillRoot, `bench-${process.pid}`),
  /** SQL Server seeding's copy. */
  seedWorkRoot: (spillRoot: string) => join(spillRoot, `bench-seed-${process.pid}`),
  workRootPattern: /^bench-(?:seed-)?(\d+)$/,
  /** server-copy's exports: under the system temp directory, where the servers' OS user can reach them (mkdtemp prefix). */
  serverCopyPrefix: () => join(tmpdir(), `bench-server-copy-${process.pid}-`),
  serverCopyPattern: /^bench-server-copy-(\d+)-/,
  /** The source's schema archive (pg_dump -Fc --schema-only), read once per command in the work root. */
  schemaDump: (workRoot: string) => join(workRoot, 'source-schema.dump'),
};

export const clusterPaths = {
  dataDir: (home: string) => join(home, 'data'),
  logFile: (home: string) => join(home, 'server.log'),
  /** Settings under test are written here and included from postgresql.conf. */
  settingsFile: (home: string) => join(home, 'data', 'bench.conf'),
};
