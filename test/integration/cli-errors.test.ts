import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, inject, it } from 'vitest';
import { packageRoot } from '../../harness/base/paths.js';

/**
 * Bad input through the real `bench` binary: one clear line on stderr, a non-zero exit, no password
 * anywhere in the output. Runs the compiled CLI (`npm test` builds it first).
 */
const bin = join(packageRoot, 'bin', 'bench.js');

async function bench(args: string[]) {
  if (!existsSync(join(packageRoot, 'dist', 'harness', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
  return execa('node', [bin, ...args], { reject: false, timeout: 60_000, env: { BENCH_STATE_DIR: '/nonexistent-bench-state' } });
}

function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('(node:'));
}

describe('bench run with bad connection details', () => {
  const { source, target } = inject('pg');

  it('a wrong password gives one line naming the database and the fix', async () => {
    const wrong = new URL(source);
    wrong.password = 'not-the-password-s3cret';
    const r = await bench(['run', '--source-url', wrong.toString(), '--target-url', target]);
    expect(r.exitCode).toBe(1);
    const lines = errorLines(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: could not connect to the source database postgres:\/\/postgres@127\.0\.0\.1:\d+\/bench: password authentication failed for user "postgres" \(check the user and password/);
    expect(`${r.stdout}${r.stderr}`).not.toContain('s3cret');
    expect(`${r.stdout}${r.stderr}`).not.toContain(new URL(target).password);
  });

  it('an unreachable port gives one line saying nothing listens there', async () => {
    const r = await bench(['run', '--source-url', 'postgres://postgres:pw@127.0.0.1:1/bench', '--target-url', target]);
    expect(r.exitCode).toBe(1);
    const lines = errorLines(r.stderr);
    expect(lines).toEqual([
      'error: could not connect to the source database postgres://postgres@127.0.0.1:1/bench: nothing is listening at 127.0.0.1:1 (is the server running? `bench up` starts the native ones)',
    ]);
  });

  it('a missing database is named', async () => {
    const missing = new URL(target);
    missing.pathname = '/no_such_db';
    const r = await bench(['run', '--source-url', source, '--target-url', missing.toString()]);
    expect(r.exitCode).toBe(1);
    expect(errorLines(r.stderr)).toEqual([
      expect.stringMatching(/^error: could not connect to the target database .*\/no_such_db: database "no_such_db" does not exist \(create it/),
    ]);
  });

  it('bad options are all reported at once with exit code 2', async () => {
    const r = await bench(['run', '--parallelism', '0', '--strategy', 'teleport', '--constraints', 'sometimes', '--source-url', 'mysql://x']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('4 problems');
    expect(r.stderr).toContain('--parallelism is 0');
    expect(r.stderr).toContain('--strategy is "teleport"');
    expect(r.stderr).toContain('--constraints is "sometimes"');
    expect(r.stderr).toContain('unsupported connection URL scheme');
  });

  it('a missing table in --tables is a usage error, not a crash', async () => {
    const r = await bench(['run', '--source-url', source, '--target-url', target, '--tables', 'public.nope']);
    expect(r.exitCode).toBe(2);
    expect(errorLines(r.stderr).at(-1)).toMatch(/^error: no table in .* matches --tables public\.nope/);
  });
});
