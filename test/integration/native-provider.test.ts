import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { Lifecycle } from '../../harness/base/lifecycle.js';
import { NativeProvider } from '../../harness/providers/native.js';
import { runningPid } from '../../harness/providers/native-cluster.js';
import { findFreePort } from '../../harness/providers/ports.js';
import type { ProviderContext, ServerSpec } from '../../harness/providers/provider.js';
import { packageRoot } from '../../harness/base/paths.js';

const dirs: string[] = [];
function stateDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'bench-native-'));
  chmodSync(d, 0o755);
  dirs.push(d);
  return d;
}

afterAll(async () => {
  for (const d of dirs) {
    await new NativeProvider().down({ stateDir: d, lifecycle: new Lifecycle() }).catch(() => undefined);
    rmSync(d, { recursive: true, force: true });
  }
});

const spec = (role: 'source' | 'target', settings: Record<string, string> = {}, port?: number): ServerSpec => ({
  role,
  engine: 'postgres',
  settings: { fsync: 'off', ...settings },
  ...(port ? { port } : {}),
});

async function show(url: string, setting: string): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const r = await c.query(`SELECT current_setting($1) AS v`, [setting]);
  await c.end();
  return r.rows[0].v as string;
}

describe('native provider', () => {
  it('starts, reuses a running cluster, restarts it for new settings, and removes everything on down', async () => {
    const ctx: ProviderContext = { stateDir: stateDir(), lifecycle: new Lifecycle() };
    const provider = new NativeProvider();
    const [first] = await provider.up([spec('source', { work_mem: '8MB' })], ctx);
    expect(first!.startedNow).toBe(true);
    expect(await show(first!.url, 'work_mem')).toBe('8MB');
    expect(await show(first!.url, 'listen_addresses')).toBe('127.0.0.1');

    const [again] = await provider.up([spec('source', { work_mem: '8MB' })], ctx);
    expect(again!.startedNow).toBe(false);
    expect(again!.url).toBe(first!.url);

    const [changed] = await provider.up([spec('source', { work_mem: '16MB' })], ctx);
    expect(changed!.startedNow).toBe(true);
    expect(await show(changed!.url, 'work_mem')).toBe('16MB');

    const home = String(changed!.details.home);
    expect(runningPid(home)).toBeDefined();
    const removed = await provider.down(ctx);
    expect(removed).toEqual([expect.stringMatching(/^stopped and removed the source cluster/)]);
    expect(existsSync(home)).toBe(false);
    expect((await provider.status(ctx))[0]!.state).toBe('absent');
  });

  it('refuses a port in use with a one-line fix, and leaves nothing behind', async () => {
    const port = await findFreePort(56500);
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', () => r()));
    const lifecycle = new Lifecycle();
    const ctx: ProviderContext = { stateDir: stateDir(), lifecycle };
    try {
      await expect(new NativeProvider().up([spec('target'), spec('source', {}, port)], ctx)).rejects.toThrow(
        `port ${port} on 127.0.0.1 is in use (pass a free --source-port, or run \`bench down\`)`,
      );
      await lifecycle.dispose(true);
      const statuses = await new NativeProvider().status(ctx);
      expect(statuses.map((s) => s.state)).toEqual(['absent', 'absent']);
    } finally {
      blocker.close();
    }
  });

  it.each(['source', 'target'])('Ctrl-C while the %s cluster is being made: exit 130, no server left running', async (role) => {
    const dir = stateDir();
    const child = execa('node', [join(packageRoot, 'bin', 'bench.js'), 'up', '--state-dir', dir, '--profile', 'bulk-load'], {
      reject: false,
      all: true,
    });
    // Interrupt while the clusters are being created (initdb + start take about a second each here).
    let output = '';
    child.all!.on('data', (d: Buffer) => (output += d.toString()));
    // For the target, the source cluster is already up by then and must be stopped too.
    for (let i = 0; i < 200 && !output.includes(`initialising the ${role}`); i++) await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode).toBe(130);
    expect(r.stderr).toMatch(/interrupted by SIGINT/);
    const leftovers = await execa('pgrep', ['-f', dir], { reject: false });
    expect(leftovers.stdout.trim()).toBe('');
    expect(existsSync(join(dir, 'native', 'source'))).toBe(false);
  });

  it.runIf(process.getuid?.() === 0)('also works for a normal (non-root) user', async () => {
    const dir = stateDir();
    const nobody = await execa('id', ['-u', 'nobody']);
    chownSync(dir, Number(nobody.stdout), Number(nobody.stdout));
    // `--profile` is an option of the commands that start servers; status and down take only the state.
    const run = (cmd: string) =>
      execa('runuser', ['-u', 'nobody', '--', 'node', join(packageRoot, 'bin', 'bench.js'), cmd, '--state-dir', dir, ...(cmd === 'up' ? ['--profile', 'bulk-load'] : [])], {
        reject: false,
        env: { HOME: dir },
      });
    const up = await run('up');
    expect(up.stderr).not.toMatch(/error/);
    expect(up.exitCode).toBe(0);
    const status = await run('status');
    expect(status.stdout.match(/running/g)).toHaveLength(2);
    const ps = await execa('ps', ['-o', 'user=', '-p', String(runningPid(join(dir, 'native', 'source')))]);
    expect(ps.stdout.trim()).toBe('nobody');
    const down = await run('down');
    expect(down.exitCode).toBe(0);
  });
});
